package dev.backendrouter.cli;

import dev.backendrouter.api.BackendGroup;
import dev.backendrouter.api.BackendMember;
import dev.backendrouter.api.Problem;
import dev.backendrouter.api.Topology;
import dev.backendrouter.api.TopologyException;
import dev.backendrouter.router.TopologyFileSource;
import dev.backendrouter.router.TopologySource;
import dev.backendrouter.router.internal.tls.TlsMaterial;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;

/** Reads topology files as a router does, and prints their problems. */
final class Topologies {
    private Topologies() {
    }

    /** The file with placeholders from {@code environment}, then the process environment; not yet for a stage. */
    static TopologyFileSource file(String file, Map<String, String> environment) {
        return TopologySource.file(Path.of(file))
                .withEnvironment(name -> environment.containsKey(name) ? environment.get(name) : System.getenv(name));
    }

    /** The file for {@code stage} (when not null), as {@code BackendRouter.builder().stage(stage)} reads it. */
    static TopologyFileSource file(String file, String stage, Map<String, String> environment) {
        TopologyFileSource source = file(file, environment);
        return stage == null ? source : source.forStage(stage);
    }

    /** What a load reads: the file, and {@code " + topology-STAGE.yaml"} when that overlay exists. */
    static String describe(String file, TopologyFileSource source) {
        String overlay = source.overlayName();
        return overlay != null && Files.isRegularFile(Path.of(overlay))
                ? file + " + " + Path.of(overlay).getFileName() : file;
    }

    /**
     * Reads the members' TLS files as a router does when it builds its routing table: the
     * material of each backend (by URL) with tls settings, or every problem at its path.
     */
    static Map<URI, TlsMaterial> tls(Topology topology, String source) {
        List<Problem> problems = new ArrayList<>();
        Map<URI, TlsMaterial> materials = new HashMap<>();
        for (BackendGroup group : topology.groups()) {
            for (int i = 0; i < group.members().size(); i++) {
                BackendMember member = group.members().get(i);
                if (!member.tls().isDefault() && !materials.containsKey(member.url())) {
                    String path = topology.memberPath(group, i);
                    String host;
                    if (BackendMember.isCacheScheme(member.url())) {
                        host = String.valueOf(member.url().getHost());
                    } else {
                        try {
                            host = HttpUrl.get(member.url().toString()).host();
                        } catch (IllegalArgumentException e) {
                            // java.net.URI accepted it, OkHttp does not: the router refuses it the same way
                            problems.add(new Problem(path + ".url", "OkHttp cannot use this URL: " + e.getMessage()));
                            continue;
                        }
                    }
                    TlsMaterial material = TlsMaterial.load(member.tls(), host, path + ".tls", problems);
                    if (material != null) {
                        materials.put(member.url(), material);
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new TopologyException(source, problems);
        }
        return materials;
    }

    /** Every problem, one a line: {@code   - path: message}. */
    static void printProblems(PrintStream out, Style style, TopologyException e) {
        int count = e.problems().size();
        out.println(style.red(style.bold("Invalid topology")) + " " + e.source() + " (" + count
                + (count == 1 ? " problem" : " problems") + "):");
        for (Problem problem : e.problems()) {
            out.println("  - " + (problem.path().isEmpty() ? "" : style.bold(problem.path()) + ": ") + problem.message());
        }
    }
}

package dev.backendrouter.cli;

import dev.backendrouter.api.Problem;
import dev.backendrouter.api.TopologyException;
import dev.backendrouter.router.TopologyFileSource;
import dev.backendrouter.router.TopologySource;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

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

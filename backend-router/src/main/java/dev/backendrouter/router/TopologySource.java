package dev.backendrouter.router;

import dev.backendrouter.api.Problem;
import dev.backendrouter.api.Topology;
import dev.backendrouter.api.TopologyException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Where a router's topology comes from: a file, a class-path resource, the registry, or your own
 * implementation.
 *
 * <pre>{@code
 * Topology topology = TopologySource.file(Path.of("topology.yaml")).forStage("prep").load();
 *
 * TopologySource fromConfigService = () -> Topology.builder()...build();   // your own source
 * }</pre>
 *
 * A source is read again on every {@link #load()}, so a router can reload from it.
 */
@FunctionalInterface
public interface TopologySource {

    /**
     * Reads the topology.
     *
     * @throws TopologyException listing every problem when it cannot be read or is invalid
     */
    Topology load();

    /**
     * This source for one stage ({@code wip}, {@code prep}, {@code ship}, {@code prod}). The loaded
     * topology takes that stage, and a member labelled for another stage is refused: test stages
     * never touch production backends. File sources also merge the stage's overlay file.
     */
    default TopologySource forStage(String stage) {
        Objects.requireNonNull(stage, "stage");
        TopologySource base = this;
        String name = NamedSource.describe(base);
        return new NamedSource(name + " for stage '" + stage + "'", () -> {
            Topology topology = base.load();
            if (stage.equals(topology.stage())) {
                return topology;
            }
            if (topology.stage() != null) {
                throw new TopologyException(name, List.of(new Problem("stage", "the topology is for stage '"
                        + topology.stage() + "' but stage '" + stage + "' was asked for")));
            }
            return topology.toBuilder().stage(stage).build();
        });
    }

    /**
     * A YAML or JSON file ({@code .json} is read as JSON, anything else as YAML).
     * See {@code docs/topology.md} for every field.
     */
    static TopologyFileSource file(Path path) {
        return TopologyFileSource.ofFile(path);
    }

    /** A YAML or JSON resource on the class path, e.g. {@code "topology.yaml"}. */
    static TopologyFileSource classpath(String resource) {
        return TopologyFileSource.ofClasspath(resource, Thread.currentThread().getContextClassLoader());
    }

    /**
     * The Backend Connections registry's view of one deployment:
     * {@code GET {baseUrl}/api/backends/deployment/{deploymentId}/details}, polled with ETags.
     * See docs/registry-api.md.
     */
    static RegistryTopologySource registry(java.net.URI baseUrl, long deploymentId) {
        return RegistryTopologySource.of(baseUrl, deploymentId);
    }

    /**
     * A topology given as a tree of maps and lists with the file's fields — configuration
     * properties, say — read and validated exactly like a file, with the same paths in its
     * problems. Placeholders are not resolved (the configuration system has done that). The limits
     * of files hold here too: a tree nested deeper than 32 levels (or one that holds itself), with
     * more than 100,000 values, or with a null key is refused with a problem at its path.
     *
     * @param description what the tree is, for messages ({@code "backend-router.* properties"})
     */
    static TopologySource fromTree(String description, java.util.Map<String, ?> tree) {
        java.util.Objects.requireNonNull(tree, "tree");
        return new NamedSource(description, () -> {
            List<Problem> problems = new java.util.ArrayList<>();
            var root = dev.backendrouter.router.internal.topology.TopologyParser.tree(tree, problems);
            if (root == null) {
                throw new TopologyException(description, problems);
            }
            return dev.backendrouter.router.internal.topology.TopologyReader.read(root, description, null, problems);
        });
    }

    /** A fixed topology, built in code. */
    static TopologySource of(Topology topology) {
        Objects.requireNonNull(topology, "topology");
        return new NamedSource("TopologySource.of(topology of " + topology.service() + ")", () -> topology);
    }
}

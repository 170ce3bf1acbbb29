package dev.backendrouter.router;

import dev.backendrouter.api.Problem;
import dev.backendrouter.api.Topology;
import dev.backendrouter.api.TopologyException;
import dev.backendrouter.router.internal.topology.Placeholders;
import dev.backendrouter.router.internal.topology.TopologyParser;
import dev.backendrouter.router.internal.topology.TopologyReader;
import dev.backendrouter.router.internal.topology.TreeMerger;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A topology read from a YAML or JSON file or class-path resource, with {@code ${VAR}} and
 * {@code ${VAR:default}} placeholders resolved from the environment and, for a stage, the stage's
 * overlay merged over the base. Immutable: each option returns a new source.
 *
 * <pre>{@code
 * TopologyFileSource source = TopologySource.file(Path.of("config/topology.yaml"))
 *     .forStage("prep");                   // merges config/topology-prep.yaml when it exists
 * Topology topology = source.load();       // throws TopologyException listing every problem
 *
 * // tests: placeholders from a map instead of the process environment
 * TopologySource.file(path).withEnvironment(Map.of("STORAGE_URL", "http://localhost:4001")::get);
 * }</pre>
 */
public final class TopologyFileSource implements TopologySource {
    private final Location location;
    private final String stage;
    private final Function<String, String> environment;

    private TopologyFileSource(Location location, String stage, Function<String, String> environment) {
        this.location = location;
        this.stage = stage;
        this.environment = environment;
    }

    static TopologyFileSource ofFile(Path path) {
        return new TopologyFileSource(new FileLocation(Objects.requireNonNull(path, "path")), null, System::getenv);
    }

    static TopologyFileSource ofClasspath(String resource, ClassLoader loader) {
        Objects.requireNonNull(resource, "resource");
        String name = resource.startsWith("/") ? resource.substring(1) : resource;
        return new TopologyFileSource(new ClasspathLocation(name,
                loader != null ? loader : TopologyFileSource.class.getClassLoader()), null, System::getenv);
    }

    /**
     * For a stage: the file's {@code NAME-STAGE.EXT} sibling ({@code topology-prep.yaml} beside
     * {@code topology.yaml}) is merged over it when present: mappings key by key, backends by
     * name. The topology takes the stage, and members labelled for another stage are refused.
     */
    @Override
    public TopologyFileSource forStage(String stage) {
        return new TopologyFileSource(location, Objects.requireNonNull(stage, "stage"), environment);
    }

    /** Resolves placeholders with {@code environment} (a variable name to its value, or null) instead of {@link System#getenv}. */
    public TopologyFileSource withEnvironment(Function<String, String> environment) {
        return new TopologyFileSource(location, stage, Objects.requireNonNull(environment, "environment"));
    }

    /** The overlay this source merges for its stage, whether or not it exists. */
    public String overlayName() {
        return stage == null ? null : location.overlay(stage).describe();
    }

    @Override
    public Topology load() {
        List<Problem> problems = new ArrayList<>();
        byte[] base = location.read();
        if (base == null) {
            throw new TopologyException(location.describe(), List.of(new Problem("", "not found: "
                    + location.describe() + " (check the path and the working directory)")));
        }
        JsonNode root = TopologyParser.parse(base, TopologyParser.isJson(location.name()), problems);
        String source = location.describe();
        if (stage != null) {
            Location overlay = location.overlay(stage);
            byte[] overlayBytes = overlay.read();
            if (overlayBytes != null) {
                source = source + " + " + overlay.name();
                List<Problem> overlayProblems = new ArrayList<>();
                JsonNode overlayRoot = TopologyParser.parse(overlayBytes, TopologyParser.isJson(overlay.name()), overlayProblems);
                overlayProblems.forEach(p -> problems.add(new Problem(
                        p.path().isEmpty() ? overlay.name() : overlay.name() + " " + p.path(), p.message())));
                if (root instanceof ObjectNode baseRoot && overlayRoot instanceof ObjectNode over) {
                    List<Problem> mergeProblems = new ArrayList<>();
                    TreeMerger.merge(baseRoot, over, "", mergeProblems);
                    mergeProblems.forEach(p -> problems.add(new Problem(overlay.name() + " " + p.path(), p.message())));
                }
            }
        }
        if (!(root instanceof ObjectNode object)) {
            throw new TopologyException(source, problems);
        }
        Placeholders.resolve(object, "", environment, problems);
        return TopologyReader.read(object, source, stage, problems);
    }

    /** The file, as messages name it: {@code config/topology.yaml}, {@code config/topology.yaml for stage 'prep'}. */
    String described() {
        return location.describe() + (stage == null ? "" : " for stage '" + stage + "'");
    }

    @Override
    public String toString() {
        return "TopologyFileSource[" + location.describe() + (stage == null ? "" : ", stage=" + stage) + "]";
    }

    /** Where the bytes come from; knows how to name its stage overlay. */
    private interface Location {
        /** The bytes, or {@code null} when there is no such file. */
        byte[] read();

        String name();

        String describe();

        Location overlay(String stage);

        static String overlayName(String name, String stage) {
            int dot = name.lastIndexOf('.');
            return dot <= 0 ? name + "-" + stage : name.substring(0, dot) + "-" + stage + name.substring(dot);
        }
    }

    private record FileLocation(Path path) implements Location {
        @Override
        public byte[] read() {
            try (InputStream in = Files.newInputStream(path)) {
                return in.readNBytes(TopologyParser.MAX_BYTES + 1);
            } catch (NoSuchFileException e) {
                return null;
            } catch (IOException e) {
                throw new TopologyException(path.toString(), List.of(new Problem("", "cannot read the file: "
                        + e + " (check its permissions)")), e);
            }
        }

        @Override
        public String name() {
            return path.getFileName().toString();
        }

        @Override
        public String describe() {
            return path.toString();
        }

        @Override
        public Location overlay(String stage) {
            return new FileLocation(path.resolveSibling(Location.overlayName(name(), stage)));
        }
    }

    private record ClasspathLocation(String resource, ClassLoader loader) implements Location {
        @Override
        public byte[] read() {
            try (InputStream in = loader.getResourceAsStream(resource)) {
                return in == null ? null : in.readNBytes(TopologyParser.MAX_BYTES + 1);
            } catch (IOException e) {
                throw new TopologyException("classpath:" + resource, List.of(new Problem("", "cannot read the resource: "
                        + e)), e);
            }
        }

        @Override
        public String name() {
            int slash = resource.lastIndexOf('/');
            return slash < 0 ? resource : resource.substring(slash + 1);
        }

        @Override
        public String describe() {
            return "classpath:" + resource;
        }

        @Override
        public Location overlay(String stage) {
            int slash = resource.lastIndexOf('/');
            String dir = slash < 0 ? "" : resource.substring(0, slash + 1);
            return new ClasspathLocation(dir + Location.overlayName(name(), stage), loader);
        }
    }
}

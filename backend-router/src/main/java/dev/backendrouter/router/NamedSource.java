package dev.backendrouter.router;

import dev.backendrouter.api.Topology;
import java.util.function.Supplier;

/**
 * A source made by {@link TopologySource}'s factories and combinators, with a name for messages
 * ({@code "backend-router.* properties for stage 'prep'"}), where a lambda would print its class.
 */
final class NamedSource implements TopologySource {
    private final String name;
    private final Supplier<Topology> load;

    NamedSource(String name, Supplier<Topology> load) {
        this.name = name;
        this.load = load;
    }

    @Override
    public Topology load() {
        return load.get();
    }

    /**
     * How a source reads in a message: its own {@code toString} when it has one, else what it is
     * ({@code the application's TopologySource, a lambda in com.example.Config}).
     */
    static String describe(TopologySource source) {
        if (source == null) {
            return "no source";
        }
        if (source instanceof TopologyFileSource file) {
            return file.described();
        }
        if (source instanceof RegistryTopologySource registry) {
            return registry.described();
        }
        Class<?> type = source.getClass();
        String className = type.getName();
        if (type.isSynthetic() || className.contains("$$Lambda")) {
            return "the application's TopologySource, a lambda in " + className.replaceAll("\\$\\$Lambda.*", "");
        }
        String text = source.toString();
        if (text.equals(className + "@" + Integer.toHexString(System.identityHashCode(source)))
                || text.equals(className + "@" + Integer.toHexString(source.hashCode()))) {
            return "the application's TopologySource, an instance of " + className;
        }
        return text;
    }

    @Override
    public String toString() {
        return name;
    }
}

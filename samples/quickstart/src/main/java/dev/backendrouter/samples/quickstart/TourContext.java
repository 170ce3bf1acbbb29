package dev.backendrouter.samples.quickstart;

import dev.backendrouter.router.BackendRouter;
import dev.backendrouter.router.RouterListener;
import dev.backendrouter.router.TopologySource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** What every scene shares: the console, the simulated backends, and the topology file naming them. */
final class TourContext implements AutoCloseable {
    private final Console console;
    private final Map<String, SimulatedBackend> backends = new LinkedHashMap<>();
    private final Path directory;
    private final Path topologyFile;

    TourContext(Console console) throws IOException {
        this.console = console;
        this.directory = Files.createTempDirectory("backend-router-tour");
        this.topologyFile = directory.resolve("topology.yaml");
        try (InputStream in = TourContext.class.getResourceAsStream("topology.yaml")) {
            Files.copy(in, topologyFile);
        }
    }

    Console console() {
        return console;
    }

    Path topologyFile() {
        return topologyFile;
    }

    /** Starts a backend; its port becomes {@code ${NAME_PORT}} for the topology. */
    SimulatedBackend start(String name, int latencyMillis, double errorRate) {
        SimulatedBackend backend = SimulatedBackend.start(name, latencyMillis, errorRate);
        backends.put(name, backend);
        return backend;
    }

    SimulatedBackend backend(String name) {
        SimulatedBackend backend = backends.get(name);
        if (backend == null) {
            throw new IllegalArgumentException("no simulated backend " + name);
        }
        return backend;
    }

    int backendCount() {
        return backends.size();
    }

    /** The placeholder a backend's port fills: {@code users-a-m} is {@code USERS_A_M_PORT}. */
    static String portVariable(String backendName) {
        return backendName.toUpperCase(Locale.ROOT).replace('-', '_') + "_PORT";
    }

    /** A router on the tour's topology file, ports filled in from the running backends. */
    BackendRouter openRouter(RouterListener listener) {
        Map<String, String> ports = new LinkedHashMap<>();
        backends.values().forEach(b -> ports.put(portVariable(b.name()), Integer.toString(b.port())));
        return BackendRouter.builder()
                .topology(TopologySource.file(topologyFile).withEnvironment(ports::get))
                .listener(listener)
                .build();
    }

    @Override
    public void close() throws IOException {
        backends.values().forEach(SimulatedBackend::close);
        Files.deleteIfExists(topologyFile);
        Files.deleteIfExists(directory);
    }
}

package dev.backendrouter.benchmarks.registry;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The backend-registry jar in its own process, on a free loopback port, with R1's demo data in a temporary folder. */
final class RegistryProcess implements AutoCloseable {
    private final Process process;
    private final Path dir;
    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private RegistryProcess(Process process, Path dir, String base) {
        this.process = process;
        this.dir = dir;
        this.base = base;
    }

    static RegistryProcess start(Path jar) throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("no registry jar at " + jar + ": mvn -q -DskipTests -pl backend-registry -am package");
        }
        Path dir = Files.createTempDirectory("registry-bench-");
        int port = RegistryWatchBenchmark.freePort();
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(),
                "--demo", "--server.port=" + port, "--server.address=127.0.0.1", "--registry.data=" + dir.resolve("data"),
                "--server.tomcat.threads.max=50", "--server.tomcat.max-connections=4000", "--logging.level.root=WARN");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
        RegistryProcess registry = new RegistryProcess(process, dir, "http://127.0.0.1:" + port);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < until) {
            try {
                registry.details();
                return registry;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the registry exited: " + Files.readString(dir.resolve("registry.log")));
                }
                Thread.sleep(200);
            }
        }
        registry.close();
        throw new IllegalStateException("the registry did not start within 90 s");
    }

    String base() {
        return base;
    }

    String details() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(RegistryWatchBenchmark.get(base, "/api/backends/deployment/123/details").build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("details answered " + response.statusCode());
        }
        return response.body();
    }

    String etag() throws IOException, InterruptedException {
        return http.send(RegistryWatchBenchmark.get(base, "/api/backends/deployment/123/details").build(),
                HttpResponse.BodyHandlers.discarding()).headers().firstValue("ETag").orElseThrow();
    }

    /** Deployment 457's status becomes {@code v<version>}: a change in deployment 123's details. */
    void change(int version) throws IOException, InterruptedException {
        String body = "{\"id\": 457, \"serviceName\": \"file-system-server\", \"name\": \"file-system-server-2\", \"host\": \"localhost\","
                + " \"port\": 4002, \"status\": \"v" + version + "\"}";
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(java.net.URI.create(base + "/api/deployments/457"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("the change answered " + response.statusCode() + ": " + response.body());
        }
    }

    /** User and system CPU time of the registry process so far, from /proc. */
    long cpuNanos() throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return RegistryWatchBenchmark.clockTicksToNanos(Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind
        }
    }
}

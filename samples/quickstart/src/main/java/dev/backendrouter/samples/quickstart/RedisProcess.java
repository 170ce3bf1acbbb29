package dev.backendrouter.samples.quickstart;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** A redis-server of the tour's own: a free loopback port, a temporary directory, no persistence; killed and restarted on cue. */
final class RedisProcess implements AutoCloseable {
    private final String binary;
    private final Path dir;
    private final int port;
    private Process process;

    private RedisProcess(String binary, Path dir, int port) {
        this.binary = binary;
        this.dir = dir;
        this.port = port;
    }

    /** The redis-server on this machine, if there is one. */
    static Optional<String> binary() {
        return List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server", "/usr/sbin/redis-server").stream()
                .filter(path -> Files.isExecutable(Path.of(path))).findFirst();
    }

    static RedisProcess start(String binary) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        RedisProcess redis = new RedisProcess(binary, Files.createTempDirectory("tour-redis-"), port);
        redis.launch();
        return redis;
    }

    int port() {
        return port;
    }

    private void launch() throws IOException {
        process = new ProcessBuilder(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir", dir.toString(),
                "--save", "", "--appendonly", "no").redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        long until = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < until && process.isAlive()) {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
        }
        throw new IOException("redis-server did not start: " + Files.readString(dir.resolve("redis.log")));
    }

    /** As a crash would: SIGKILL. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** Again on the same port, empty. */
    void restart() throws IOException {
        launch();
    }

    @Override
    public void close() throws IOException {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}

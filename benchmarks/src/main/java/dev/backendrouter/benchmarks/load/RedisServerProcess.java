package dev.backendrouter.benchmarks.load;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** A redis-server of the benchmark's own on a free loopback port, without persistence; emptied between runs. */
final class RedisServerProcess implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final Process process;

    private RedisServerProcess(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    static Optional<String> binary() {
        return List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server").stream()
                .filter(path -> Files.isExecutable(Path.of(path))).findFirst();
    }

    static RedisServerProcess start(String binary) throws IOException, InterruptedException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Path dir = Files.createTempDirectory("bench-redis-");
        Process process = new ProcessBuilder(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir",
                dir.toString(), "--save", "", "--appendonly", "no").redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile()).start();
        RedisServerProcess redis = new RedisServerProcess(dir, port, process);
        for (int i = 0; i < 500; i++) {
            try {
                redis.flush();
                return redis;
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        redis.close();
        throw new IOException("redis-server did not start: " + Files.readString(dir.resolve("redis.log")));
    }

    String url() {
        return "redis://127.0.0.1:" + port + "/0";
    }

    /** FLUSHALL: every run starts from an empty cache. */
    void flush() throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write("*1\r\n$8\r\nFLUSHALL\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] reply = new byte[5];
            if (socket.getInputStream().readNBytes(reply, 0, 5) != 5 || reply[0] != '+') {
                throw new IOException("FLUSHALL was not answered +OK");
            }
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind
        }
    }
}

package dev.backendrouter.redis;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real {@code redis-server} process on a free loopback port in a temporary directory, for one
 * test class: started, killed, restarted on the same port, and stopped. Without the binary the
 * tests using it are skipped, naming the Debian package; under CI (where {@code .ci/run} installs
 * it) they fail instead.
 */
final class RedisServer implements AutoCloseable {
    static final String PACKAGE = "redis-server";

    private final Path dir;
    private final int port;
    private final List<String> extra;
    private Process process;

    private RedisServer(Path dir, int port, List<String> extra) {
        this.dir = dir;
        this.port = port;
        this.extra = extra;
    }

    /** A plain server. */
    static RedisServer start() {
        return start(List.of());
    }

    /** A server with extra {@code redis-server} arguments ({@code --requirepass}, TLS ports, {@code --sentinel}). */
    static RedisServer start(List<String> arguments) {
        return start(freePort(), arguments);
    }

    static RedisServer start(int port, List<String> arguments) {
        String binary = binary();
        try {
            RedisServer server = new RedisServer(Files.createTempDirectory("redis-test-"), port, arguments);
            server.launch(binary);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The redis-server binary; skips the test (fails under CI) when the machine has none. */
    static String binary() {
        for (String candidate : List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server", "/usr/sbin/redis-server")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        String message = "redis-server is not installed: apt-get install -y " + PACKAGE + " (the project's .ci/run installs it)";
        if ("true".equals(System.getenv("CI"))) {
            throw new IllegalStateException(message);
        }
        assumeTrue(false, message);
        return null;
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void launch(String binary) throws IOException {
        List<String> command = new ArrayList<>(List.of(binary));
        boolean sentinel = extra.contains("--sentinel");
        if (sentinel) {
            Path config = dir.resolve("sentinel.conf");
            Files.writeString(config, String.join("\n", extra.subList(extra.indexOf("--sentinel") + 1, extra.size())) + "\n");
            command.add(config.toString());
            command.add("--sentinel");
            command.addAll(List.of("--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir", dir.toString()));
        } else {
            command.addAll(List.of("--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir", dir.toString(),
                    "--save", "", "--appendonly", "no", "--protected-mode", "no"));
            command.addAll(extra);
        }
        process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile()).start();
        awaitListening(Duration.ofSeconds(10));
    }

    private void awaitListening(Duration timeout) throws IOException {
        int listening = extra.contains("--tls-port") ? Integer.parseInt(extra.get(extra.indexOf("--tls-port") + 1)) : port;
        long until = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < until) {
            if (!process.isAlive()) {
                throw new IOException("redis-server exited: " + Files.readString(dir.resolve("redis.log")));
            }
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), listening)) {
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
        throw new IOException("redis-server did not listen on " + listening + ": " + Files.readString(dir.resolve("redis.log")));
    }

    int port() {
        return port;
    }

    Path dir() {
        return dir;
    }

    /** {@code redis://127.0.0.1:PORT/DB}. */
    String url(int database) {
        return "redis://127.0.0.1:" + port + "/" + database;
    }

    /** Kills the process at once (SIGKILL), as a crash would. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts it again on the same port, empty. */
    void restart() {
        try {
            launch(binary());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One command through a raw socket (RESP), for checks the router must not be the one to make; the reply's text. */
    String authenticated(String password, String... words) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5_000);
            StringBuilder request = new StringBuilder();
            if (password != null) {
                request.append(resp("AUTH", password));
            }
            request.append(resp(words));
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            RespReader reader = new RespReader(socket.getInputStream());
            if (password != null) {
                reader.read();
            }
            return reader.read();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String command(String... words) {
        return authenticated(null, words);
    }

    private static String resp(String... words) {
        StringBuilder out = new StringBuilder("*" + words.length + "\r\n");
        for (String word : words) {
            out.append('$').append(word.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(word).append("\r\n");
        }
        return out.toString();
    }

    @Override
    public void close() {
        kill();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind
        }
    }
}

package dev.backendrouter.registry;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server from Debian's {@code postgresql} package, made by {@code initdb} in a
 * temporary directory and started on a free loopback port, for one test class. As root (CI) it runs
 * as the package's {@code postgres} user, since PostgreSQL refuses to run as root. Without the
 * package the tests using it are skipped, naming it; under CI (where {@code .ci/run} installs it)
 * they fail instead.
 */
final class Postgres implements AutoCloseable {
    static final String PACKAGE = "postgresql";
    private final Path dir;
    private final int port;
    private final Process process;

    private Postgres(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    static Postgres start() {
        Path bin = binaries();
        try {
            Path dir = Files.createTempDirectory("registry-postgres-");
            Path data = dir.resolve("data");
            boolean root = "root".equals(System.getProperty("user.name"));
            if (root) {
                UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
                Files.setOwner(dir, postgres);
            }
            run(asUser(root, List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "registry", "--auth=trust",
                    "-E", "UTF8", "--no-sync")), dir.resolve("initdb.log"));
            int port = freePort();
            List<String> server = asUser(root, List.of(bin.resolve("postgres").toString(), "-D", data.toString(), "-p",
                    Integer.toString(port), "-k", dir.toString(), "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off",
                    "-c", "max_connections=100"));
            Process process = new ProcessBuilder(server).redirectErrorStream(true).redirectOutput(dir.resolve("postgres.log").toFile())
                    .start();
            Postgres postgres = new Postgres(dir, port, process);
            postgres.awaitReady();
            return postgres;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The newest {@code /usr/lib/postgresql/N/bin}; skips the test (fails under CI) when there is none. */
    static Path binaries() {
        Path root = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(root)) {
            try (Stream<Path> versions = Files.list(root)) {
                var found = versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                        .max(Comparator.comparing(b -> Integer.parseInt(b.getParent().getFileName().toString().replaceAll("\\D", "0"))));
                if (found.isPresent()) {
                    return found.get();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        String message = "PostgreSQL is not installed: apt-get install -y " + PACKAGE + " (the project's .ci/run installs it)";
        if ("true".equals(System.getenv("CI"))) {
            throw new IllegalStateException(message);
        }
        assumeTrue(false, message);
        return null;
    }

    private static List<String> asUser(boolean root, List<String> command) {
        if (!root) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    private static void run(List<String> command, Path log) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + Files.readString(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private void awaitReady() throws IOException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        SQLException last = null;
        while (System.nanoTime() < until) {
            if (!process.isAlive()) {
                throw new IOException("postgres exited: " + Files.readString(dir.resolve("postgres.log")));
            }
            try (Connection connection = DriverManager.getConnection(url("postgres"), "registry", "")) {
                if (connection.isValid(5)) {
                    return;
                }
            } catch (SQLException notYet) {
                last = notYet;
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
        }
        throw new IOException("postgres did not accept connections on " + port + ": " + last + "\n"
                + Files.readString(dir.resolve("postgres.log")));
    }

    /** A new, empty database; returns its JDBC URL. */
    String createDatabase(String name) {
        try (Connection connection = DriverManager.getConnection(url("postgres"), "registry", "")) {
            connection.createStatement().execute("CREATE DATABASE " + name);
            return url(name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fast shutdown (SIGINT), then the directory goes. */
    @Override
    public void close() {
        try {
            new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (IOException | InterruptedException e) {
            process.destroyForcibly();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind
        }
    }
}

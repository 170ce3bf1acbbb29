package dev.backendrouter.benchmarks.load;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An nginx reverse proxy in front of simulated backends: a config generated into a temporary
 * directory, nginx started as a child process of this JVM ({@code daemon off}, one process,
 * listening on 127.0.0.1 only), and stopped by {@link #close()} — or by a shutdown hook if the
 * JVM ends first, so no nginx outlives the run.
 */
final class Nginx implements AutoCloseable {
    /** The upstream settings every scenario uses, as the issue gives them. */
    static final String SERVER_PARAMS = "max_fails=3 fail_timeout=30s";
    static final String NEXT_UPSTREAM = "error timeout http_502 http_503 http_504";
    static final String PROCESS_MODEL = "one process (`master_process off`, `worker_processes 1`)";

    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly), "nginx-stopper"));
    }

    /** One upstream server: a backend, and whether it is a {@code backup}. */
    record Server(SimBackend backend, boolean backup) {
        static Server primary(SimBackend backend) {
            return new Server(backend, false);
        }

        static Server backup(SimBackend backend) {
            return new Server(backend, true);
        }
    }

    private final Process process;
    private final Path dir;
    private final int port;

    private Nginx(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /** The nginx binary at {@code path}, if it is an executable file. */
    static boolean usable(Path binary) {
        return binary != null && Files.isRegularFile(binary) && Files.isExecutable(binary);
    }

    /** What {@code nginx -v} says, e.g. {@code nginx/1.22.1}. */
    static String version(Path binary) {
        try {
            Process p = new ProcessBuilder(binary.toString(), "-v").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor(5, TimeUnit.SECONDS);
            return out.replace("nginx version: ", "");
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    /** Starts nginx proxying {@code /} to the servers, and waits until its port answers. */
    static Nginx start(Path binary, List<Server> servers) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("load-nginx-");
        int port = freePort();
        Files.writeString(dir.resolve("nginx.conf"), config(dir, port, servers));
        Process process = new ProcessBuilder(binary.toString(), "-p", dir + "/", "-c", dir.resolve("nginx.conf").toString(),
                "-e", dir.resolve("error.log").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.log").toFile())
                .start();
        RUNNING.add(process);
        Nginx nginx = new Nginx(process, dir, port);
        try {
            nginx.awaitListening();
        } catch (IOException | InterruptedException | RuntimeException e) {
            nginx.close();
            throw e;
        }
        return nginx;
    }

    static String config(Path dir, int port, List<Server> servers) {
        StringBuilder upstream = new StringBuilder();
        for (Server server : servers) {
            upstream.append("    server 127.0.0.1:").append(server.backend().port()).append(server.backup() ? " backup" : "")
                    .append(' ').append(SERVER_PARAMS).append(";\n");
        }
        return """
                daemon off;
                master_process off;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 4096; }
                http {
                  access_log off;
                  client_body_temp_path %1$s/client_body;
                  proxy_temp_path %1$s/proxy;
                  fastcgi_temp_path %1$s/fastcgi;
                  uwsgi_temp_path %1$s/uwsgi;
                  scgi_temp_path %1$s/scgi;
                  upstream backends {
                %2$s    keepalive 64;
                  }
                  server {
                    listen 127.0.0.1:%3$d;
                    location = /__nginx_ready { return 200 "ready"; }
                    location / {
                      proxy_pass http://backends;
                      proxy_http_version 1.1;
                      proxy_set_header Connection "";
                      proxy_next_upstream %4$s;
                    }
                  }
                }
                """.formatted(dir, upstream, port, NEXT_UPSTREAM);
    }

    int port() {
        return port;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    private void awaitListening() throws IOException, InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < until) {
            if (!process.isAlive()) {
                throw new IOException("nginx exited with " + process.exitValue() + ": " + log());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                socket.getOutputStream().write(("GET /__nginx_ready HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                if (answer.startsWith("HTTP/1.1 200")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(20);
        }
        throw new IOException("nginx did not answer on port " + port + " within 10 s: " + log());
    }

    private String log() {
        try {
            Path error = dir.resolve("error.log");
            Path stdout = dir.resolve("stdout.log");
            return (Files.exists(error) ? Files.readString(error) : "") + (Files.exists(stdout) ? Files.readString(stdout) : "");
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Stops nginx (TERM, then KILL after 5 s) and deletes its directory. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        RUNNING.remove(process);
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp directory left behind is harmless
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}

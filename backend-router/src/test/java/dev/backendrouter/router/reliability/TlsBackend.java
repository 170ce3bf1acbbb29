package dev.backendrouter.router.reliability;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.tls.HandshakeCertificates;

/**
 * A JDK HTTP or HTTPS server on 127.0.0.1 that answers every path with its name, and
 * {@code /health} with a healthy status. It counts the connections it accepted.
 */
public final class TlsBackend implements AutoCloseable {
    private final String name;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile String redirectTo;

    private TlsBackend(String name, HandshakeCertificates certificates) {
        this.name = name;
        try {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            if (certificates == null) {
                server = HttpServer.create(address, 0);
            } else {
                HttpsServer https = HttpsServer.create(address, 0);
                https.setHttpsConfigurator(new HttpsConfigurator(certificates.sslContext()) {
                    @Override
                    public void configure(HttpsParameters parameters) {
                        connections.incrementAndGet();     // called once for each connection accepted
                        super.configure(parameters);
                    }
                });
                server = https;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::answer);
        server.setExecutor(executor);
        server.start();
    }

    /** An HTTPS backend presenting {@code certificates}' held certificate. */
    public static TlsBackend https(String name, HandshakeCertificates certificates) {
        return new TlsBackend(name, certificates);
    }

    /** A plain HTTP backend. */
    public static TlsBackend http(String name) {
        return new TlsBackend(name, null);
    }

    /** Answers every path but {@code /health} with a 302 to the same path on {@code base} from now on. */
    public TlsBackend redirectingTo(String base) {
        redirectTo = base;
        return this;
    }

    private void answer(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        String path = exchange.getRequestURI().getPath();
        if (redirectTo != null && !path.endsWith("/health")) {
            exchange.getResponseHeaders().set("Location", redirectTo + path);
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
            return;
        }
        byte[] body = (exchange.getRequestURI().getPath().endsWith("/health") ? "{\"status\":\"healthy\"}" : name)
                .getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, body.length);
        try (var out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** The base URL, by the name the certificate holds: {@code https://localhost:PORT}. */
    public String url() {
        return (server instanceof HttpsServer ? "https" : "http") + "://localhost:" + server.getAddress().getPort();
    }

    /** The base URL by another name for the same loopback address: {@code https://127.0.0.1:PORT}. */
    public String ipUrl() {
        return url().replace("://localhost:", "://127.0.0.1:");
    }

    /** HTTPS connections accepted, whether or not their handshake then succeeded. */
    public int connections() {
        return connections.get();
    }

    /** Requests answered: a refused handshake never gets this far. */
    public int requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}

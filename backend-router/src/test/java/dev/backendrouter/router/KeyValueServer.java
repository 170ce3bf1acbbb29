package dev.backendrouter.router;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small cache service on loopback (JDK HttpServer): GET answers a stored body (200) or 404,
 * PUT stores the body under the path and query, DELETE removes it. Like a cache deployment
 * in front of storage.
 */
final class KeyValueServer implements AutoCloseable {
    private final Map<String, byte[]> values = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private volatile long delayMillis;

    KeyValueServer() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String key = exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
            String method = exchange.getRequestMethod();
            counts.computeIfAbsent(method, m -> new AtomicInteger()).incrementAndGet();
            if (delayMillis > 0) {
                Thread.sleep(delayMillis);
            }
            switch (method) {
                case "GET" -> {
                    byte[] value = values.get(key);
                    if (value == null) {
                        exchange.sendResponseHeaders(404, -1);
                    } else {
                        exchange.getResponseHeaders().set("Content-Type", "text/plain");
                        exchange.sendResponseHeaders(200, value.length);
                        exchange.getResponseBody().write(value);
                    }
                }
                case "PUT" -> {
                    values.put(key, exchange.getRequestBody().readAllBytes());
                    exchange.sendResponseHeaders(204, -1);
                }
                case "DELETE" -> {
                    values.remove(key);
                    exchange.sendResponseHeaders(204, -1);
                }
                default -> exchange.sendResponseHeaders(405, -1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The stored value of a path, or null. */
    String value(String key) {
        byte[] value = values.get(key);
        return value == null ? null : new String(value, java.nio.charset.StandardCharsets.UTF_8);
    }

    int count(String method) {
        AtomicInteger count = counts.get(method);
        return count == null ? 0 : count.get();
    }

    void delay(long millis) {
        this.delayMillis = millis;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}

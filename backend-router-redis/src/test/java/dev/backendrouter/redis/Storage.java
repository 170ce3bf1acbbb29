package dev.backendrouter.redis;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The storage tier behind the cache: a JDK HTTP server on a loopback port holding bodies by path.
 * GET answers 200 with the body (or 404), PUT stores, DELETE forgets; every request is counted.
 * A path can be given its own {@code Cache-Control} and the whole server a delay per answer.
 */
final class Storage implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, byte[]> bodies = new ConcurrentHashMap<>();
    private final Map<String, String> cacheControl = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicLong delayMillis = new AtomicLong();
    private volatile boolean failing;
    private volatile java.util.concurrent.CountDownLatch gate;

    Storage() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "storage-" + server.getAddress().getPort());
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            String path = exchange.getRequestURI().getRawPath();
            String key = path + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
            java.util.concurrent.CountDownLatch held = gate;
            if (held != null && !path.equals("/health")) {
                held.await(30, java.util.concurrent.TimeUnit.SECONDS);
            }
            long delay = delayMillis.get();
            if (delay > 0) {
                Thread.sleep(delay);
            }
            if (failing && !path.equals("/health")) {
                send(exchange, 503, "{\"error\":{\"code\":\"unavailable\",\"message\":\"storage is down\"}}"
                        .getBytes(StandardCharsets.UTF_8));
                return;
            }
            switch (exchange.getRequestMethod()) {
                case "GET" -> {
                    if (path.equals("/health")) {
                        send(exchange, 200, "{\"status\":\"healthy\"}".getBytes(StandardCharsets.UTF_8));
                        return;
                    }
                    reads.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                    byte[] body = bodies.get(key);
                    String control = cacheControl.get(key);
                    if (control != null) {
                        exchange.getResponseHeaders().set("Cache-Control", control);
                    }
                    if (body == null) {
                        send(exchange, 404, "{\"error\":{\"code\":\"not_found\",\"message\":\"no such file\"}}".getBytes(StandardCharsets.UTF_8));
                    } else {
                        exchange.getResponseHeaders().set("Content-Type", "application/json");
                        exchange.getResponseHeaders().set("ETag", "\"" + java.util.Arrays.hashCode(body) + "\"");
                        send(exchange, 200, body);
                    }
                }
                case "PUT" -> {
                    bodies.put(key, exchange.getRequestBody().readAllBytes());
                    send(exchange, 204, null);
                }
                case "DELETE" -> {
                    bodies.remove(key);
                    send(exchange, 204, null);
                }
                default -> send(exchange, 405, null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body == null ? -1 : body.length);
        if (body != null) {
            exchange.getResponseBody().write(body);
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void put(String path, String body) {
        bodies.put(path, body.getBytes(StandardCharsets.UTF_8));
    }

    void put(String path, byte[] body) {
        bodies.put(path, body);
    }

    void cacheControl(String path, String value) {
        cacheControl.put(path, value);
    }

    /** GETs of this path and query that reached storage. */
    int reads(String path) {
        AtomicInteger count = reads.get(path);
        return count == null ? 0 : count.get();
    }

    /** Every request, health checks included. */
    int requests() {
        return requests.get();
    }

    /** Data requests wait (30 s at most) until the returned latch is counted down. */
    java.util.concurrent.CountDownLatch hold() {
        gate = new java.util.concurrent.CountDownLatch(1);
        return gate;
    }

    void release() {
        java.util.concurrent.CountDownLatch held = gate;
        gate = null;
        if (held != null) {
            held.countDown();
        }
    }

    /** Every data request answered 503 while {@code true}. */
    void failing(boolean failing) {
        this.failing = failing;
    }

    void delay(long millis) {
        delayMillis.set(millis);
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}

package dev.backendrouter.samples.quickstart;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One simulated backend service on a loopback port, behaving like the services the router fronts:
 * {@code GET /health} as JSON, a key-value store behind {@code GET/PUT/POST/DELETE} on any path,
 * a latency, an error rate, and the common error body
 * {@code {"error":{"code","message","request_id"}}}. It can be killed and restarted on its port,
 * or told to fail everything (an outage that still accepts connections).
 */
final class SimulatedBackend implements AutoCloseable {
    private static final String[][] ERRORS = {
        {"500", "INTERNAL_ERROR", "Unexpected error while handling the request"},
        {"502", "DATABASE_ERROR", "Database connection lost"},
        {"503", "SERVICE_UNAVAILABLE", "Service temporarily unavailable"},
    };

    private final String name;
    private final int latencyMillis;
    private final double errorRate;
    private final Random random;
    private final Map<String, byte[]> store = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong firstRequestNanos = new AtomicLong();
    private volatile boolean failing;
    private volatile long startedNanos;
    private volatile int port;
    private HttpServer server;
    private ExecutorService executor;

    private SimulatedBackend(String name, int latencyMillis, double errorRate, long seed) {
        this.name = name;
        this.latencyMillis = latencyMillis;
        this.errorRate = errorRate;
        this.random = new Random(seed);
    }

    /** Starts a backend on an ephemeral loopback port. */
    static SimulatedBackend start(String name, int latencyMillis, double errorRate) {
        SimulatedBackend backend = new SimulatedBackend(name, latencyMillis, errorRate, name.hashCode());
        backend.bind(0);
        return backend;
    }

    String name() {
        return name;
    }

    int port() {
        return port;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Requests to data paths (not {@code /health}) since the start or the last {@link #resetCounts()}. */
    long requests() {
        return requests.get();
    }

    /** Data requests answered with a simulated error. */
    long errors() {
        return errors.get();
    }

    /** {@link System#nanoTime()} of the first data request since the last {@link #resetCounts()}, or 0. */
    long firstRequestNanos() {
        return firstRequestNanos.get();
    }

    void resetCounts() {
        requests.set(0);
        errors.set(0);
        firstRequestNanos.set(0);
    }

    /** Every data request fails with 503 (the connection is still accepted) until {@code failing(false)}. */
    void failing(boolean failing) {
        this.failing = failing;
    }

    void put(String path, String body) {
        store.put(path, body.getBytes(StandardCharsets.UTF_8));
    }

    /** The stored body at {@code path}, or {@code null}. */
    String get(String path) {
        byte[] body = store.get(path);
        return body == null ? null : new String(body, StandardCharsets.UTF_8);
    }

    /** Copies every stored item from {@code source}: replication catching up. */
    void copyFrom(SimulatedBackend source) {
        store.putAll(source.store);
    }

    /** Stops listening and drops open connections, like a crashed process. */
    synchronized void kill() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }

    /** Starts again on the same port. */
    synchronized void restart() {
        if (server == null) {
            bind(port);
        }
    }

    @Override
    public void close() {
        kill();
    }

    private synchronized void bind(int wantedPort) {
        try {
            HttpServer created = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), wantedPort), 128);
            AtomicInteger threads = new AtomicInteger();
            executor = Executors.newFixedThreadPool(16, task -> {
                Thread thread = new Thread(task, "tour-" + name + "-" + threads.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
            created.setExecutor(executor);
            created.createContext("/", this::handle);
            created.start();
            server = created;
            port = created.getAddress().getPort();
            startedNanos = System.nanoTime();
        } catch (IOException e) {
            throw new IllegalStateException("could not start simulated backend " + name + " on port " + wantedPort, e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] requestBody = in.readAllBytes();
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/health")) {
                long uptime = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
                send(exchange, 200, "{\"status\":\"healthy\",\"service\":\"" + name + "\",\"uptime\":" + uptime
                        + ",\"timestamp\":\"" + Instant.now() + "\",\"dependencies\":{\"database\":\"connected\","
                        + "\"cache\":\"connected\"}}");
                return;
            }
            requests.incrementAndGet();
            firstRequestNanos.compareAndSet(0, System.nanoTime());
            pause();
            String[] error = failing ? ERRORS[2] : simulatedError();
            if (error != null) {
                errors.incrementAndGet();
                sendError(exchange, Integer.parseInt(error[0]), error[1], error[2]);
                return;
            }
            switch (exchange.getRequestMethod()) {
                case "GET" -> {
                    byte[] body = store.get(path);
                    if (body == null) {
                        sendError(exchange, 404, "NOT_FOUND", "No item at " + path);
                    } else {
                        send(exchange, 200, body);
                    }
                }
                case "PUT", "POST" -> {
                    store.put(path, requestBody);
                    send(exchange, 200, requestBody);
                }
                case "DELETE" -> {
                    store.remove(path);
                    exchange.sendResponseHeaders(204, -1);
                }
                default -> sendError(exchange, 405, "METHOD_NOT_ALLOWED", exchange.getRequestMethod() + " is not served here");
            }
        }
    }

    private String[] simulatedError() {
        if (errorRate <= 0) {
            return null;
        }
        synchronized (random) {
            return random.nextDouble() < errorRate ? ERRORS[random.nextInt(ERRORS.length)] : null;
        }
    }

    private void pause() {
        if (latencyMillis > 0) {
            try {
                Thread.sleep(latencyMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void sendError(HttpExchange exchange, int status, String code, String message) throws IOException {
        String requestId = exchange.getRequestHeaders().getFirst("X-Request-Id");
        send(exchange, status, "{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message + "\",\"details\":{},"
                + "\"timestamp\":\"" + Instant.now() + "\",\"request_id\":\""
                + (requestId != null ? requestId : UUID.randomUUID().toString()) + "\"}}");
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        send(exchange, status, json.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public String toString() {
        return name + " (" + url() + ")";
    }
}

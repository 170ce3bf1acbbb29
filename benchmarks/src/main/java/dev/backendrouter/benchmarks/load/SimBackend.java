package dev.backendrouter.benchmarks.load;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A simulated backend on a loopback port (the JDK's HttpServer): every data path answers a small
 * JSON document after a settable latency, a settable share of requests fails with 500, 502 or
 * 503 and the common error body, {@code failing(true)} fails every request with 503, and
 * {@link #kill()} / {@link #restart()} take it off and back onto its port like a crashed
 * process. {@code GET /health} always answers 200 and is not counted as a request.
 */
final class SimBackend implements AutoCloseable {
    static final byte[] BODY = ("{\"id\":42,\"name\":\"item-42\",\"price\":9.99,\"tags\":[\"small\",\"json\"],"
            + "\"in_stock\":true}").getBytes(StandardCharsets.UTF_8);
    private static final byte[] HEALTH = "{\"status\":\"healthy\"}".getBytes(StandardCharsets.UTF_8);
    private static final int[] ERROR_STATUS = {500, 502, 503};
    private static final String[] ERROR_CODE = {"INTERNAL_ERROR", "DATABASE_ERROR", "SERVICE_UNAVAILABLE"};
    private static final String[] ERROR_MESSAGE = {
        "Unexpected error while handling the request", "Database connection lost", "Service temporarily unavailable"};

    private final String name;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private volatile long latencyNanos;
    private volatile long latencySpreadNanos;
    private volatile double errorRate;
    private volatile boolean failing;
    private volatile int port;
    private HttpServer server;
    private ExecutorService executor;

    private SimBackend(String name) {
        this.name = name;
    }

    /** A backend on an ephemeral loopback port, answering at once without errors. */
    static SimBackend start(String name) {
        SimBackend backend = new SimBackend(name);
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

    SimBackend latencyMicros(long micros) {
        this.latencyNanos = micros * 1000;
        return this;
    }

    /** Each data request waits a uniformly random time between {@code min} and {@code max} microseconds. */
    SimBackend latencyRangeMicros(long min, long max) {
        this.latencyNanos = min * 1000;
        this.latencySpreadNanos = (max - min) * 1000;
        return this;
    }

    SimBackend errorRate(double rate) {
        this.errorRate = rate;
        return this;
    }

    /** Every data request answered 503 (connections still accepted) while {@code true}. */
    SimBackend failing(boolean failing) {
        this.failing = failing;
        return this;
    }

    /** Data requests received (health probes excluded). */
    long requests() {
        return requests.get();
    }

    /** Data requests answered with a simulated error. */
    long errors() {
        return errors.get();
    }

    void resetCounts() {
        requests.set(0);
        errors.set(0);
    }

    /** Stops listening and drops its connections, requests in progress included. */
    synchronized void kill() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }

    /** Listens again on the same port. */
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
            HttpServer created = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), wantedPort), 512);
            AtomicInteger threads = new AtomicInteger();
            executor = Executors.newFixedThreadPool(64, task -> {
                Thread thread = new Thread(task, "sim-" + name + "-" + threads.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
            created.setExecutor(executor);
            created.createContext("/", this::handle);
            created.start();
            server = created;
            port = created.getAddress().getPort();
        } catch (IOException e) {
            throw new IllegalStateException("could not start simulated backend " + name + " on port " + wantedPort, e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
            if (exchange.getRequestURI().getPath().equals("/health")) {
                send(exchange, 200, HEALTH);
                return;
            }
            requests.incrementAndGet();
            pause();
            int error = failing ? 2 : simulatedError();
            if (error >= 0) {
                errors.incrementAndGet();
                String requestId = exchange.getRequestHeaders().getFirst("X-Request-Id");
                send(exchange, ERROR_STATUS[error], ("{\"error\":{\"code\":\"" + ERROR_CODE[error] + "\",\"message\":\""
                        + ERROR_MESSAGE[error] + "\",\"request_id\":\"" + (requestId == null ? "none" : requestId) + "\"}}")
                        .getBytes(StandardCharsets.UTF_8));
                return;
            }
            send(exchange, 200, BODY);
        }
    }

    /** The index of the simulated error for this request, or -1. */
    private int simulatedError() {
        double rate = errorRate;
        if (rate <= 0) {
            return -1;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return random.nextDouble() < rate ? random.nextInt(ERROR_STATUS.length) : -1;
    }

    private void pause() {
        long spread = latencySpreadNanos;
        long nanos = latencyNanos + (spread > 0 ? ThreadLocalRandom.current().nextLong(spread + 1) : 0);
        if (nanos <= 0) {
            return;
        }
        long until = System.nanoTime() + nanos;
        for (long left = nanos; left > 0; left = until - System.nanoTime()) {
            LockSupport.parkNanos(left);
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
        }
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public String toString() {
        return name + " (" + url() + ")";
    }
}

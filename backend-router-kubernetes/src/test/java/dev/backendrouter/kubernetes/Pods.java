package dev.backendrouter.kubernetes;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Real HTTP members on loopback, one per pod address ({@code 127.0.1.7}), all on one port as the
 * pods of a Service are; each answers its pod's name. A pod may be held: its answers wait for {@link #release}.
 */
final class Pods implements AutoCloseable {
    final int port;
    private final Map<String, HttpServer> servers = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> held = new ConcurrentHashMap<>();
    private final Map<String, java.util.concurrent.atomic.AtomicInteger> served = new ConcurrentHashMap<>();
    private final ExecutorService threads = Executors.newFixedThreadPool(32);
    private final java.util.List<java.util.concurrent.CompletableFuture<Void>> stopping = new java.util.concurrent.CopyOnWriteArrayList<>();

    Pods() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.1.1"))) {
            this.port = socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the pod {@code name} at {@code address}. */
    Cluster.Pod start(String name, String address, String zone) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(address), port), 0);
            server.createContext("/", exchange -> {
                CountDownLatch latch = held.get(name);
                try {
                    if (latch != null) {
                        latch.await(10, TimeUnit.SECONDS);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                served.computeIfAbsent(name, n -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
                byte[] body = name.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.setExecutor(threads);
            server.start();
            servers.put(name, server);
            return Cluster.Pod.ready(name, address, zone);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void hold(String name) {
        held.put(name, new CountDownLatch(1));
    }

    void release(String name) {
        CountDownLatch latch = held.remove(name);
        if (latch != null) {
            latch.countDown();
        }
    }

    int served(String name) {
        var count = served.get(name);
        return count == null ? 0 : count.get();
    }

    /** Stops a pod after the answers it is giving (a graceful shutdown of up to a second, in the background). */
    void stop(String name) {
        HttpServer server = servers.remove(name);
        if (server != null) {
            stopping.add(CompletableFuture.runAsync(() -> server.stop(1)));
        }
    }

    @Override
    public void close() {
        held.values().forEach(CountDownLatch::countDown);
        servers.values().forEach(server -> server.stop(0));
        stopping.forEach(java.util.concurrent.CompletableFuture::join);
        threads.shutdownNow();
    }
}

package dev.backendrouter.router.reliability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * A WireMock backend on a fixed loopback port, so it can be stopped (connection refused) and
 * started again at the same URL; its request journal is the truth of what reached it. Answers
 * {@code "<name>"} with 200 and a {@code Content-Length} to anything it has no stub for.
 */
final class Backend implements AutoCloseable {
    private final String name;
    private final int port;
    private final List<MappingBuilder> stubs = new ArrayList<>();
    private volatile WireMockServer server;
    private long carried;           // requests seen by earlier runs of the server

    Backend(String name) {
        this.name = name;
        this.port = freePort();
        start();
    }

    /** A backend that is not running: its URL refuses connections until {@link #start()}. */
    static Backend stopped(String name) {
        Backend backend = new Backend(name);
        backend.stop();
        return backend;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String name() {
        return name;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    /** Adds a stub that survives restarts; later stubs win over earlier ones. */
    synchronized Backend stub(MappingBuilder stub) {
        stubs.add(stub);
        if (server != null) {
            server.stubFor(stub);
        }
        return this;
    }

    /** Forgets the stubs added and the requests seen: a healthy backend answering its name again. */
    synchronized void reset() {
        stubs.clear();
        carried = 0;
        if (server != null) {
            server.resetAll();
            defaultStub(server);
        }
    }

    synchronized void start() {
        WireMockServer started = new WireMockServer(options().bindAddress("127.0.0.1").port(port)
                .containerThreads(24).jettyAcceptors(1).gzipDisabled(true));
        defaultStub(started);            // stubs first: no request may meet a server without them
        stubs.forEach(started::stubFor);
        started.start();
        server = started;
    }

    private void defaultStub(WireMockServer target) {
        // with its length, as small JSON answers are: a body that breaks off fails the attempt, not the caller's read
        target.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Length", Integer.toString(name.length())).withBody(name)));
    }

    synchronized void stop() {
        if (server != null) {
            WireMockServer stopping = server;
            server = null;
            stopping.stop();
            carried += stopping.countRequestsMatching(anyRequestedFor(anyUrl()).build()).getCount();
        }
    }

    /** Every request this backend has seen since it was made or reset, over all its starts and stops. */
    synchronized long allRequests() {
        return carried + requests();
    }

    boolean running() {
        return server != null;
    }

    /** How many requests matching {@code pattern} reached this backend while it ran (since the last start or reset). */
    int count(RequestPatternBuilder pattern) {
        WireMockServer current = server;
        return current == null ? 0 : current.countRequestsMatching(pattern.build()).getCount();
    }

    /** Every request this backend has seen since its last start or reset. */
    int requests() {
        return count(anyRequestedFor(anyUrl()));
    }

    @Override
    public String toString() {
        return name + " (" + url() + ")";
    }

    @Override
    public void close() {
        stop();
    }
}

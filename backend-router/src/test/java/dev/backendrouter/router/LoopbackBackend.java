package dev.backendrouter.router;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * A WireMock backend on a fixed loopback port, so it can be stopped (connection refused) and
 * started again at the same URL. Answers {@code "<name>"} with 200 to anything unless stubbed.
 */
final class LoopbackBackend implements AutoCloseable {
    private final String name;
    private final int port;
    private final List<MappingBuilder> stubs = new ArrayList<>();
    private WireMockServer server;

    LoopbackBackend(String name) {
        this.name = name;
        this.port = freePort();
        start();
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

    /** Adds a stub that survives restarts; later stubs win over earlier ones. */
    LoopbackBackend stub(MappingBuilder stub) {
        stubs.add(stub);
        server.stubFor(stub);
        return this;
    }

    void start() {
        server = new WireMockServer(options().bindAddress("127.0.0.1").port(port)
                .containerThreads(16).jettyAcceptors(1));
        server.start();
        server.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().withStatus(200).withBody(name)));
        stubs.forEach(server::stubFor);
    }

    void stop() {
        server.stop();
    }

    List<LoggedRequest> requests() {
        return server.findAll(anyRequestedFor(anyUrl()));
    }

    void resetRequests() {
        server.resetRequests();
    }

    @Override
    public void close() {
        server.stop();
    }
}

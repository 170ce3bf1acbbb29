package dev.backendrouter.benchmarks.load;

import dev.backendrouter.api.BackendGroup;
import dev.backendrouter.api.BackendMember;
import dev.backendrouter.api.BackendRole;
import dev.backendrouter.api.Topology;
import dev.backendrouter.router.BackendRouter;
import dev.backendrouter.router.BackendRouterBuilder;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The HTTP clients of the scenarios. Every side — raw OkHttp, the router, the client in front of
 * nginx — gets its own OkHttp client built the same way, so pools and timeouts never differ.
 */
final class Clients {
    static final String GROUP = "data";
    static final String PATH = "/items/42";

    private Clients() {
    }

    /**
     * A fresh OkHttp client: a pool keeping 64 idle connections (OkHttp's default of 5 would close
     * and reopen connections under 32 callers), 1 s connect, 5 s read and 10 s call timeouts.
     */
    static OkHttpClient okHttp() {
        return new OkHttpClient.Builder()
                .connectionPool(new ConnectionPool(64, 5, TimeUnit.MINUTES))
                .connectTimeout(Duration.ofSeconds(1))
                .readTimeout(Duration.ofSeconds(5))
                .writeTimeout(Duration.ofSeconds(5))
                .callTimeout(Duration.ofSeconds(10))
                .build();
    }

    static void shutdown(OkHttpClient client) {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }

    /**
     * {@code GET url}, the body read to its end and the response closed; the status code, or -1
     * when no response came.
     */
    static int get(OkHttpClient client, String url) {
        Request request = new Request.Builder().url(url).build();
        try (Response response = client.newCall(request).execute()) {
            response.body().source().readByteString();
            return response.code();
        } catch (IOException e) {
            return -1;
        }
    }

    static boolean ok(int status) {
        return status >= 200 && status < 300;
    }

    static BackendMember member(SimBackend backend, BackendRole role) {
        return BackendMember.builder(backend.name(), backend.url()).role(role).build();
    }

    static Topology topology(BackendMember... members) {
        return Topology.builder().service("load-suite").group(BackendGroup.of(GROUP, members)).build();
    }

    /** A router with its own OkHttp client, closed together. */
    record Routed(BackendRouter router, OkHttpClient base, OkHttpClient http) implements AutoCloseable {
        /** {@code GET http://data/items/42} through the router: the status, or -1. */
        int get() {
            return Clients.get(http, "http://" + GROUP + PATH);
        }

        @Override
        public void close() {
            router.close();
            shutdown(base);
        }
    }

    /** A router over the topology, with the builder's defaults unless {@code settings} changes them. */
    static Routed router(Topology topology, UnaryOperator<BackendRouterBuilder> settings) {
        OkHttpClient base = okHttp();
        BackendRouter router = settings.apply(BackendRouter.builder().topology(topology).httpClient(base)).build();
        return new Routed(router, base, router.httpClient());
    }
}

package dev.backendrouter.redis;

import dev.backendrouter.router.BackendRouter;
import dev.backendrouter.router.BackendRouterBuilder;
import dev.backendrouter.router.HealthCheckSettings;
import dev.backendrouter.router.TopologySource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/** Topology files and routers for the tests: R1's pattern 3 (Redis CACHE priority 1 in front of storage PRIMARY priority 2). */
final class Routers {
    private Routers() {
    }

    /** Pattern 3 as written in REFERENCE R1, the Redis URL and storage URL filled in; extra member fields after the URL. */
    static String pattern3(String redisUrl, String redisExtra, String storageUrl) {
        return "service: file-service\n"
                + "groups:\n"
                + "  files:\n"
                + "    backends:\n"
                + "      - { name: redis-cache, url: \"" + redisUrl + "\", role: CACHE, priority: 1" + redisExtra + " }\n"
                + "      - { name: file-system-server, url: \"" + storageUrl + "\", role: PRIMARY, priority: 2 }\n";
    }

    static Path write(Path dir, String name, String yaml) {
        try {
            return Files.writeString(dir.resolve(name), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A router on the file, without health checks (tests that need them turn them on), with cache
     * timeouts roomy enough for a busy CI machine, returned once its Redis connections are up
     * (those that can come up).
     */
    static BackendRouter router(Path topology, UnaryOperator<BackendRouterBuilder> more) {
        ReadyConnector connector = new ReadyConnector();
        BackendRouter router = more.apply(builder(topology).cacheConnector(connector)).build();
        connector.awaitReady();
        return router;
    }

    /** The builder the tests start from: Redis found through ServiceLoader, as a user's service finds it. */
    static BackendRouterBuilder builder(Path topology) {
        return BackendRouter.builder()
                .topology(TopologySource.file(topology))
                .healthChecks(HealthCheckSettings.disabled())
                .cacheMemberTimeout(Duration.ofSeconds(2));
    }

    static BackendRouter router(Path topology) {
        return router(topology, builder -> builder);
    }

    /** GET through the router: the body and where it came from ({@code X-Backend-Router-Cache}). */
    static String[] get(OkHttpClient http, String url) {
        try (Response response = http.newCall(new Request.Builder().url(url).build()).execute()) {
            return new String[] {response.code() + " " + response.body().string(), response.header("X-Backend-Router-Cache")};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits (a real wait: Redis and the background writer run on their own clocks) until the condition holds. */
    static void await(String what, java.util.function.BooleanSupplier condition) {
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("timed out waiting until " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}

package dev.backendrouter.redis;

import static dev.backendrouter.redis.Routers.await;
import static dev.backendrouter.redis.Routers.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backendrouter.api.NearCacheSettings;
import dev.backendrouter.router.BackendRouter;
import dev.backendrouter.router.RouterSnapshot;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** R1's pattern 3 over HTTP against a real redis-server: read-through, shared between routers, TTLs, invalidation, limits. */
class RedisCacheIntegrationTest {
    static final String KEY = "br:file-service:files:h:GET /files/42";

    static RedisServer redis;
    static Storage storage;
    @TempDir
    Path dir;
    Path topology;

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
        storage = new Storage();
    }

    @AfterAll
    static void stop() {
        if (storage != null) {
            storage.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @BeforeEach
    void fresh() {
        redis.command("FLUSHALL");
        topology = Routers.write(dir, "topology.yaml", Routers.pattern3(redis.url(0), "", storage.url()));
    }

    private static RouterSnapshot.CacheSnapshot cache(BackendRouter router) {
        return router.snapshot().groups().get(0).cache();
    }

    @Test
    void aSecondRouterReadsWhatTheFirstCached() {
        storage.put("/files/42", "{\"id\":42}");
        int before = storage.reads("/files/42");
        // found through ServiceLoader: the module on the class path is all a service adds
        try (BackendRouter first = Routers.builder(topology).build(); BackendRouter second = Routers.router(topology)) {
            assertThat(get(first.httpClient(), "http://files/files/42")).containsExactly("200 {\"id\":42}", "MISS");
            await("the answer is in Redis", () -> "1".equals(redis.command("EXISTS", KEY)));

            // the second router has an empty near cache of its own (none at all here): Redis answers
            String[] answer = get(second.httpClient(), "http://files/files/42");
            assertThat(answer).containsExactly("200 {\"id\":42}", "MISS");
            assertThat(storage.reads("/files/42") - before).isEqualTo(1);
            assertThat(cache(second).tierHits()).isEqualTo(1);
            assertThat(cache(first).tierMisses()).isEqualTo(1);
            assertThat(cache(first).populated()).isEqualTo(1);
        }
    }

    @Test
    void theCachedAnswerKeepsItsStatusHeadersAndBody() throws IOException {
        storage.put("/files/7", "{\"id\":7}");
        try (BackendRouter first = Routers.router(topology); BackendRouter second = Routers.router(topology)) {
            get(first.httpClient(), "http://files/files/7");
            await("cached", () -> "1".equals(redis.command("EXISTS", "br:file-service:files:h:GET /files/7")));
            try (Response response = second.httpClient().newCall(new Request.Builder().url("http://files/files/7").build()).execute()) {
                assertThat(response.code()).isEqualTo(200);
                assertThat(response.header("Content-Type")).isEqualTo("application/json");
                assertThat(response.header("ETag")).isNotBlank();
                assertThat(response.header("Content-Length")).isEqualTo("8");
                assertThat(response.body().string()).isEqualTo("{\"id\":7}");
            }
            assertThat(cache(second).tierHits()).isEqualTo(1);
        }
    }

    @Test
    void entriesLiveForTheGroupsTtlOrTheOriginsMaxAge() {
        storage.put("/files/ttl-default", "a");
        storage.put("/files/ttl-short", "b");
        storage.cacheControl("/files/ttl-short", "max-age=60");
        storage.put("/files/ttl-shared", "c");
        storage.cacheControl("/files/ttl-shared", "max-age=600, s-maxage=30");
        try (BackendRouter router = Routers.router(topology)) {
            for (String path : List.of("/files/ttl-default", "/files/ttl-short", "/files/ttl-shared")) {
                get(router.httpClient(), "http://files" + path);
            }
            await("all three cached", () -> cache(router).populated() == 3);
        }
        // R2: TTL 300 s by default; the origin's max-age (s-maxage, for a shared cache) can only shorten it
        assertThat(pttl("br:file-service:files:h:GET /files/ttl-default")).isBetween(280_000L, 300_000L);
        assertThat(pttl("br:file-service:files:h:GET /files/ttl-short")).isBetween(40_000L, 60_000L);
        assertThat(pttl("br:file-service:files:h:GET /files/ttl-shared")).isBetween(10_000L, 30_000L);
    }

    @Test
    void anEntryExpiresAndTheNextReadGoesToStorage() {
        storage.put("/files/brief", "brief");
        storage.cacheControl("/files/brief", "max-age=1");
        try (BackendRouter first = Routers.router(topology); BackendRouter second = Routers.router(topology)) {
            get(first.httpClient(), "http://files/files/brief");
            await("cached", () -> "1".equals(redis.command("EXISTS", "br:file-service:files:h:GET /files/brief")));
            // Redis's own clock expires it: the test waits for Redis, not for the router
            await("expired in Redis", () -> "0".equals(redis.command("EXISTS", "br:file-service:files:h:GET /files/brief")));
            int before = storage.reads("/files/brief");
            assertThat(get(second.httpClient(), "http://files/files/brief")[0]).isEqualTo("200 brief");
            assertThat(storage.reads("/files/brief")).isEqualTo(before + 1);
            assertThat(cache(second).tierHits()).isZero();
        }
    }

    @Test
    void noStorePrivateAndCookiesAreNeverSharedThroughRedis() {
        storage.put("/files/secret", "s");
        storage.cacheControl("/files/secret", "no-store");
        storage.put("/files/mine", "m");
        storage.cacheControl("/files/mine", "private, max-age=60");
        storage.put("/files/public", "p");
        try (BackendRouter router = Routers.router(topology)) {
            get(router.httpClient(), "http://files/files/secret");
            get(router.httpClient(), "http://files/files/mine");
            get(router.httpClient(), "http://files/files/public");
            await("the public answer cached", () -> cache(router).populated() == 1);
        }
        assertThat(redis.command("KEYS", "br:*")).isEqualTo("br:file-service:files:h:GET /files/public");
    }

    @Test
    void aWriteThroughTheRouterInvalidatesTheEntryForEveryRouter() {
        storage.put("/files/9", "old");
        try (BackendRouter writer = Routers.router(topology); BackendRouter reader = Routers.router(topology)) {
            get(writer.httpClient(), "http://files/files/9");
            String key = "br:file-service:files:h:GET /files/9";
            await("cached", () -> "1".equals(redis.command("EXISTS", key)));
            assertThat(get(reader.httpClient(), "http://files/files/9")[0]).isEqualTo("200 old");

            put(writer.httpClient(), "http://files/files/9", "new");
            await("invalidated", () -> "0".equals(redis.command("EXISTS", key)));
            // the other router has no near cache and no read-your-writes window for this write: Redis decides
            assertThat(get(reader.httpClient(), "http://files/files/9")[0]).isEqualTo("200 new");
            assertThat(cache(reader).tierHits()).isEqualTo(1);
        }
    }

    @Test
    void aValueOverTheLimitIsServedButNotStored() {
        storage.put("/files/big", "x".repeat(5_000));
        storage.put("/files/small", "y".repeat(100));
        try (BackendRouter router = Routers.router(topology, b -> b.cacheValueLimit(2_000))) {
            assertThat(get(router.httpClient(), "http://files/files/big")[0]).hasSize(4 + 5_000);
            get(router.httpClient(), "http://files/files/small");
            await("the small one cached", () -> cache(router).populated() == 1);
            assertThat(cache(router).tooLarge()).isEqualTo(1);
        }
        assertThat(redis.command("KEYS", "br:*")).isEqualTo("br:file-service:files:h:GET /files/small");
    }

    @Test
    void theNearCacheAnswersInFrontOfRedis() {
        storage.put("/files/near", "n");
        try (BackendRouter router = Routers.router(topology,
                b -> b.nearCache("files", new NearCacheSettings(100, Duration.ofMinutes(1), null)))) {
            assertThat(get(router.httpClient(), "http://files/files/near")[1]).isEqualTo("MISS");
            assertThat(get(router.httpClient(), "http://files/files/near")[1]).isEqualTo("HIT");
            assertThat(cache(router).tierMisses()).isEqualTo(1);
            assertThat(cache(router).tierHits()).isZero();
        }
    }

    @Test
    void concurrentMissesMakeOneCallToRedisAndStorage() throws Exception {
        storage.put("/files/hot", "hot");
        java.util.concurrent.CountDownLatch gate = storage.hold();
        try (BackendRouter router = Routers.router(topology)) {
            ExecutorService pool = Executors.newFixedThreadPool(20, task -> new Thread(task, "coalescing-reader"));
            try {
                List<Future<String[]>> reads = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    reads.add(pool.submit(() -> get(router.httpClient(), "http://files/files/hot")));
                }
                // storage holds the first read's answer until the 19 others wait for that load
                await("19 readers wait for the load under way", () -> waitingForTheLoad() == 19);
                gate.countDown();
                for (Future<String[]> read : reads) {
                    assertThat(read.get()[0]).isEqualTo("200 hot");
                }
            } finally {
                gate.countDown();
                pool.shutdownNow();
                storage.release();
            }
            assertThat(storage.reads("/files/hot")).isEqualTo(1);
            assertThat(cache(router).coalesced()).isEqualTo(19);
            assertThat(cache(router).tierMisses()).isEqualTo(1);
        }
    }

    @Test
    void nothingIsLeftRunningAfterClose() {
        storage.put("/files/1", "1");
        try (BackendRouter router = Routers.router(topology)) {
            get(router.httpClient(), "http://files/files/1");
            await("cached", () -> cache(router).populated() == 1);
        }
        await("Lettuce's threads are gone", () -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(thread -> thread.getName().startsWith("lettuce-") && thread.isAlive()));
    }

    private static long waitingForTheLoad() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(thread -> thread.getKey().getName().equals("coalescing-reader"))
                .filter(thread -> java.util.Arrays.stream(thread.getValue())
                        .anyMatch(frame -> frame.getMethodName().equals("awaitShared")))
                .count();
    }

    private static long pttl(String key) {
        return Long.parseLong(redis.command("PTTL", key));
    }

    static void put(OkHttpClient http, String url, String body) {
        try (Response response = http.newCall(new Request.Builder().url(url)
                .put(RequestBody.create(body, MediaType.get("text/plain"))).build()).execute()) {
            assertThat(response.code()).isEqualTo(204);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

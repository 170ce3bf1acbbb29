package dev.backendrouter.router;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.backendrouter.api.BackendMember;
import dev.backendrouter.api.BackendRole;
import dev.backendrouter.api.NearCacheSettings;
import dev.backendrouter.api.Topology;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The registry's Cache+Storage pattern end to end, the near cache, bypass and read-your-writes, on loopback. */
class CachingIntegrationTest {
    private final KeyValueServer cache = new KeyValueServer();
    private final LoopbackBackend storage = new LoopbackBackend("file-system-server");
    private final OkHttpClient base = new OkHttpClient();
    private final FakeTicker ticker = new FakeTicker();

    @AfterEach
    void stop() {
        assertThat(base.connectionPool().idleConnectionCount()).as("every response body was closed")
                .isEqualTo(base.connectionPool().connectionCount());
        cache.close();
        storage.close();
        base.dispatcher().executorService().shutdown();
        base.connectionPool().evictAll();
    }

    /** The Cache+Storage pattern: redis-cache (CACHE, priority 1) in front of file-system-server (PRIMARY, priority 2). */
    private BackendRouterBuilder cacheAndStorage() {
        return BackendRouter.builder().httpClient(base).ticker(ticker).healthChecks(HealthCheckSettings.disabled())
                .topology(Topology.builder().service("file-service").group("storage",
                        BackendMember.builder("redis-cache", cache.url()).role(BackendRole.CACHE).priority(1).build(),
                        BackendMember.builder("file-system-server", storage.url()).priority(2).build()).build());
    }

    private BackendRouterBuilder storageOnly(NearCacheSettings near) {
        return BackendRouter.builder().httpClient(base).ticker(ticker).healthChecks(HealthCheckSettings.disabled())
                .nearCache("storage", near)
                .topology(Topology.builder().service("file-service")
                        .group("storage", BackendMember.builder("file-system-server", storage.url()).build()).build());
    }

    private static Response call(OkHttpClient http, Request request) throws IOException {
        return http.newCall(request).execute();
    }

    private static String read(BackendRouter router, String path) throws IOException {
        try (Response response = call(router.httpClient(), new Request.Builder().url("http://storage" + path).build())) {
            return response.body().string() + " " + response.header("X-Backend-Router-Cache");
        }
    }

    private static void put(BackendRouter router, String path, String body) throws IOException {
        try (Response response = call(router.httpClient(), new Request.Builder().url("http://storage" + path)
                .put(RequestBody.create(body, MediaType.get("text/plain"))).build())) {
            assertThat(response.code()).isEqualTo(200);
        }
    }

    private long storageGets() {
        return storage.requests().stream().filter(r -> r.getMethod().toString().equals("GET")).count();
    }

    private void awaitCached(String key, String expected) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!expected.equals(cache.value(key)) && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertThat(cache.value(key)).as("populated in the background").isEqualTo(expected);
    }

    @Test
    void missThenPopulateThenHitThenInvalidate() throws Exception {
        try (BackendRouter router = cacheAndStorage().build()) {
            assertThat(read(router, "/files/1")).isEqualTo("file-system-server MISS");
            awaitCached("/files/1", "file-system-server");
            assertThat(read(router, "/files/1")).as("the cache member answers").isEqualTo("file-system-server MISS");
            assertThat(storageGets()).as("the second read never reached storage").isEqualTo(1);

            put(router, "/files/1", "new");
            assertThat(cache.value("/files/1")).as("the write invalidated the cache member").isNull();
            assertThat(cache.count("DELETE")).isEqualTo(1);
            ticker.advance(Duration.ofSeconds(10));
            assertThat(read(router, "/files/1")).isEqualTo("file-system-server MISS");
            assertThat(storageGets()).isEqualTo(2);

            awaitCached("/files/1", "file-system-server");
            try (Response response = call(router.httpClient(), new Request.Builder().url("http://storage/files/1").delete().build())) {
                assertThat(response.code()).isEqualTo(200);
            }
            assertThat(cache.value("/files/1")).as("a DELETE invalidates too").isNull();

            // the populator counts a write once the cache member has answered it: the value shows first
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (router.snapshot().groups().get(0).cache().populated() < 2 && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            RouterSnapshot.CacheSnapshot counts = router.snapshot().groups().get(0).cache();
            assertThat(counts.tierHits()).isEqualTo(1);
            assertThat(counts.tierMisses()).isEqualTo(2);
            assertThat(counts.populated()).isEqualTo(2);
        }
    }

    @Test
    void aCacheMemberThatIsDownOrSlowIsAMissNeverAFailedRead() throws IOException {
        cache.delay(2_000);
        try (BackendRouter router = cacheAndStorage().cacheTierTimeout(Duration.ofMillis(100)).build()) {
            assertThat(read(router, "/files/2")).isEqualTo("file-system-server MISS");
        }
        cache.close();
        try (BackendRouter router = cacheAndStorage().build()) {
            assertThat(read(router, "/files/3")).isEqualTo("file-system-server MISS");
            assertThat(read(router, "/files/4")).isEqualTo("file-system-server MISS");
        }
    }

    @Test
    void concurrentMissesMakeOneBackendCall() throws Exception {
        storage.stub(get(anyUrl()).willReturn(aResponse().withBody("shared").withFixedDelay(300)));
        base.dispatcher().setMaxRequestsPerHost(128);
        ExecutorService pool = Executors.newFixedThreadPool(100);
        try (BackendRouter router = storageOnly(new NearCacheSettings(100, Duration.ofMinutes(5), null)).build()) {
            List<Future<String>> reads = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                reads.add(pool.submit(() -> read(router, "/files/hot")));
            }
            for (Future<String> result : reads) {
                assertThat(result.get(30, TimeUnit.SECONDS)).startsWith("shared ");
            }
            assertThat(storageGets()).isEqualTo(1);
            RouterSnapshot.CacheSnapshot counts = router.snapshot().groups().get(0).cache();
            assertThat(counts.hits() + counts.coalesced() + counts.misses()).isEqualTo(100);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theTtlAndTheBackendsCacheControlDecideHowLong() throws IOException {
        storage.stub(get("/short").willReturn(aResponse().withBody("short").withHeader("Cache-Control", "max-age=2")));
        storage.stub(get("/never").willReturn(aResponse().withBody("never").withHeader("Cache-Control", "no-store")));
        storage.stub(get("/vary").willReturn(aResponse().withBody("vary").withHeader("Vary", "Accept-Language")));
        try (BackendRouter router = storageOnly(new NearCacheSettings(100, Duration.ofMinutes(5), null)).build()) {
            assertThat(read(router, "/files/5")).isEqualTo("file-system-server MISS");
            assertThat(read(router, "/files/5")).isEqualTo("file-system-server HIT");
            ticker.advance(Duration.ofMinutes(4));
            assertThat(read(router, "/files/5")).isEqualTo("file-system-server HIT");
            ticker.advance(Duration.ofMinutes(2));
            assertThat(read(router, "/files/5")).as("past the 5 minute TTL").isEqualTo("file-system-server MISS");

            assertThat(read(router, "/short")).isEqualTo("short MISS");
            assertThat(read(router, "/short")).isEqualTo("short HIT");
            ticker.advance(Duration.ofSeconds(3));
            assertThat(read(router, "/short")).as("max-age=2 wins over the TTL").isEqualTo("short MISS");

            assertThat(read(router, "/never")).isEqualTo("never MISS");
            assertThat(read(router, "/never")).as("no-store").isEqualTo("never MISS");
            assertThat(read(router, "/vary")).isEqualTo("vary MISS");
            assertThat(read(router, "/vary")).as("answers that vary by header are not cached").isEqualTo("vary MISS");
        }
    }

    @Test
    void staleIfErrorServesAnExpiredAnswerWhenEveryBackendFails() throws IOException {
        try (BackendRouter router = storageOnly(new NearCacheSettings(100, Duration.ofSeconds(30), Duration.ofMinutes(5)))
                .build()) {
            assertThat(read(router, "/files/6")).isEqualTo("file-system-server MISS");
            storage.stub(any(anyUrl()).willReturn(aResponse().withStatus(503).withBody("down")));
            ticker.advance(Duration.ofMinutes(1));
            assertThat(read(router, "/files/6")).isEqualTo("file-system-server STALE");
            assertThat(router.snapshot().groups().get(0).cache().stale()).isEqualTo(1);
            ticker.advance(Duration.ofMinutes(5));
            assertThat(read(router, "/files/6")).as("past the stale window: the failure").isEqualTo("down MISS");
        }
    }

    @Test
    void noCacheSkipsTheCaches() throws IOException {
        try (BackendRouter router = storageOnly(new NearCacheSettings(100, Duration.ofMinutes(5), null)).build()) {
            read(router, "/files/7");
            assertThat(read(router, "/files/7?nocache=true")).isEqualTo("file-system-server BYPASS");
            try (Response response = call(router.httpClient(), new Request.Builder().url("http://storage/files/7")
                    .header("Cache-Control", "no-cache").build())) {
                assertThat(response.header("X-Backend-Router-Cache")).isEqualTo("BYPASS");
            }
            try (Response response = call(router.httpClient(), new Request.Builder().url("http://storage/files/7")
                    .tag(CallOptions.class, CallOptions.defaults().withNoCache(true)).build())) {
                assertThat(response.header("X-Backend-Router-Cache")).isEqualTo("BYPASS");
            }
            assertThat(storageGets()).isEqualTo(4);
        }
    }

    @Test
    void answersForOneCallerAreNeverSharedWithAnother() throws Exception {
        storage.stub(get("/me").willReturn(aResponse().withBody("private").withHeader("Vary", "Authorization").withFixedDelay(200)));
        try (BackendRouter router = storageOnly(new NearCacheSettings(100, Duration.ofMinutes(5), null)).build()) {
            for (String user : List.of("alice", "bob")) {
                try (Response response = call(router.httpClient(), new Request.Builder().url("http://storage/me")
                        .header("Authorization", "Bearer " + user).build())) {
                    assertThat(response.header("X-Backend-Router-Cache")).as("personal requests skip the cache").isEqualTo("BYPASS");
                }
            }
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<String> first = pool.submit(() -> read(router, "/me"));
                Future<String> second = pool.submit(() -> read(router, "/me"));
                assertThat(first.get(10, TimeUnit.SECONDS)).startsWith("private ");
                assertThat(second.get(10, TimeUnit.SECONDS)).startsWith("private ");
            } finally {
                pool.shutdownNow();
            }
            assertThat(storageGets()).as("a Vary answer is neither cached nor handed to a waiting caller").isEqualTo(4);
        }
    }

    @Test
    void aWriteWithoutARoutingKeyInvalidatesEveryReadersEntry() throws IOException {
        try (BackendRouter router = storageOnly(new NearCacheSettings(100, Duration.ofMinutes(5), null))
                .readYourWrites(Duration.ZERO).build()) {
            Request alice = new Request.Builder().url("http://storage/files/9").header("X-Routing-Key", "alice").build();
            try (Response response = call(router.httpClient(), alice)) {
                assertThat(response.header("X-Backend-Router-Cache")).isEqualTo("MISS");
            }
            put(router, "/files/9", "changed");
            try (Response response = call(router.httpClient(), alice)) {
                assertThat(response.header("X-Backend-Router-Cache")).isEqualTo("MISS");
            }
        }
    }

    @Test
    void theWriterSeesItsWriteWhileTheReplicaLags() throws IOException {
        LoopbackBackend replica = new LoopbackBackend("replica").stub(get(anyUrl()).willReturn(aResponse().withBody("old")));
        storage.stub(get(anyUrl()).willReturn(aResponse().withBody("new")));
        try (BackendRouter router = BackendRouter.builder().httpClient(base).ticker(ticker)
                .healthChecks(HealthCheckSettings.disabled()).readYourWrites(Duration.ofSeconds(5))
                .topology(Topology.builder().service("s").group("storage",
                        BackendMember.builder("primary", storage.url()).build(),
                        BackendMember.builder("replica", replica.url()).role(BackendRole.READ_REPLICA).build()).build())
                .build()) {
            assertThat(read(router, "/users/1")).startsWith("old");
            put(router, "/users/1", "new");
            assertThat(read(router, "/users/1")).as("the writer's own read").startsWith("new");
            assertThat(read(router, "/users/2")).as("other keys still read from the replica").startsWith("old");
            ticker.advance(Duration.ofSeconds(6));
            assertThat(read(router, "/users/1")).as("after the window").startsWith("old");
        } finally {
            replica.close();
        }
        assertThat(storage.requests()).extracting(LoggedRequest::getUrl).containsExactly("/users/1", "/users/1");
    }
}

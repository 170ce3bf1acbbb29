package dev.backendrouter.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backendrouter.api.BackendMember;
import dev.backendrouter.api.NearCacheSettings;
import dev.backendrouter.api.NotFoundException;
import dev.backendrouter.api.RoutingKey;
import dev.backendrouter.api.Topology;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Cache-first generic reads: near cache, a cache store, invalidation by writes, stale-if-error. */
class GenericCacheTest {
    private final FakeTicker ticker = new FakeTicker();
    private final AtomicInteger backendCalls = new AtomicInteger();
    private final Map<String, Object> store = new ConcurrentHashMap<>();

    /** A cache store over a map, as a Redis client would be. */
    private final CacheStore mapStore = new CacheStore() {
        @Override
        public Optional<Object> get(String key) {
            return Optional.ofNullable(store.get(key));
        }

        @Override
        public void put(String key, Object value, Duration ttl) {
            store.put(key, value);
        }

        @Override
        public void invalidate(String key) {
            store.remove(key);
        }
    };

    private BackendRouter router(boolean near, boolean withStore) {
        BackendRouterBuilder builder = BackendRouter.builder().ticker(ticker).healthChecks(HealthCheckSettings.disabled())
                .topology(Topology.builder().service("s").group("users", BackendMember.builder("db", "http://localhost:1").build()).build());
        if (near) {
            builder.nearCache("users", new NearCacheSettings(100, Duration.ofMinutes(1), Duration.ofMinutes(10)));
        }
        if (withStore) {
            builder.cacheStore("users", mapStore);
        }
        return builder.build();
    }

    private MemberCall<String> backend(String answer) {
        return member -> {
            backendCalls.incrementAndGet();
            return answer;
        };
    }

    private static CallOptions cached(String key) {
        return CallOptions.defaults().withCacheKey(key);
    }

    @Test
    void nearCacheHitsMissesAndInvalidation() {
        try (BackendRouter router = router(true, false)) {
            RoutedGroup users = router.group("users");
            RoutingKey alice = RoutingKey.of("alice");
            assertThat(users.readCached(alice, cached("user:alice"), backend("v1"))).isEqualTo(new CacheRead<>("v1", "MISS"));
            assertThat(users.readCached(alice, cached("user:alice"), backend("v2"))).isEqualTo(new CacheRead<>("v1", "HIT"));
            assertThat(users.read(alice, backend("uncached"))).as("no cache key: not cached").isEqualTo("uncached");
            users.write(alice, cached("user:alice"), backend("saved"));
            assertThat(users.readCached(alice, cached("user:alice"), backend("v3")).source())
                    .as("read-your-writes after the write").isEqualTo("BYPASS");
            ticker.advance(Duration.ofSeconds(6));
            assertThat(users.readCached(alice, cached("user:alice"), backend("v3"))).isEqualTo(new CacheRead<>("v3", "MISS"));
            assertThat(backendCalls).hasValue(5);
        }
    }

    @Test
    void theCacheStoreIsTheTierBetweenNearCacheAndBackends() throws InterruptedException {
        try (BackendRouter router = router(false, true)) {
            RoutedGroup users = router.group("users");
            assertThat(users.readCached(null, cached("user:bob"), backend("bob-1")).value()).isEqualTo("bob-1");
            long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!store.containsKey("user:bob") && System.nanoTime() < until) {
                Thread.sleep(5);
            }
            assertThat(store).containsEntry("user:bob", "bob-1");
            assertThat(users.readCached(null, cached("user:bob"), backend("bob-2")).value()).as("from the store").isEqualTo("bob-1");
            users.write(null, cached("user:bob"), backend("ok"));
            assertThat(store).doesNotContainKey("user:bob");
            assertThat(router.snapshot().groups().get(0).cache().tierHits()).isEqualTo(1);
        }
    }

    @Test
    void aFailingStoreIsAMiss() {
        CacheStore broken = new CacheStore() {
            @Override
            public Optional<Object> get(String key) throws Exception {
                throw new java.io.IOException("redis down");
            }

            @Override
            public void put(String key, Object value, Duration ttl) throws Exception {
                throw new java.io.IOException("redis down");
            }

            @Override
            public void invalidate(String key) throws Exception {
                throw new java.io.IOException("redis down");
            }
        };
        try (BackendRouter router = BackendRouter.builder().healthChecks(HealthCheckSettings.disabled()).cacheStore("users", broken)
                .topology(Topology.builder().service("s").group("users", BackendMember.builder("db", "http://localhost:1").build()).build())
                .build()) {
            assertThat(router.group("users").read(null, cached("k"), backend("from db"))).isEqualTo("from db");
            assertThat(router.group("users").write(null, cached("k"), backend("written"))).isEqualTo("written");
        }
    }

    @Test
    void anAnswerLoadedWhileAWriteLandsIsNotCached() {
        try (BackendRouter router = router(true, false)) {
            RoutedGroup users = router.group("users");
            String value = users.read(null, cached("user:dan"), member -> {
                users.write(null, cached("user:dan"), backend("dan-2"));
                return "dan-1";
            });
            assertThat(value).isEqualTo("dan-1");
            ticker.advance(Duration.ofSeconds(6));
            assertThat(users.readCached(null, cached("user:dan"), backend("dan-2"))).isEqualTo(new CacheRead<>("dan-2", "MISS"));
        }
    }

    @Test
    void aWaiterIsNotLeftHangingWhenTheLoadFailsHard() throws Exception {
        try (BackendRouter router = router(true, false)) {
            RoutedGroup users = router.group("users");
            java.util.concurrent.CountDownLatch loading = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                java.util.concurrent.Future<String> failing = pool.submit(() -> users.read(null, cached("user:eve"), member -> {
                    loading.countDown();
                    release.await();
                    throw new AssertionError("a bug in the caller's code");
                }));
                loading.await();
                java.util.concurrent.Future<String> waiting = pool.submit(() -> users.read(null, cached("user:eve"), backend("eve")));
                Thread.sleep(50);
                release.countDown();
                assertThatThrownBy(failing::get).hasCauseInstanceOf(AssertionError.class);
                assertThat(waiting.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("eve");
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void staleIfErrorButNeverForANotFound() {
        try (BackendRouter router = router(true, false)) {
            RoutedGroup users = router.group("users");
            users.read(null, cached("user:carol"), backend("carol"));
            ticker.advance(Duration.ofMinutes(2));
            CacheRead<String> read = users.readCached(null, cached("user:carol"), member -> {
                throw new java.io.IOException("db down");
            });
            assertThat(read.stale()).isTrue();
            assertThat(read.value()).isEqualTo("carol");
            assertThatThrownBy(() -> users.read(null, cached("user:carol"), member -> {
                throw new NotFoundException("no carol");
            })).as("a not-found is an answer, not an outage").isInstanceOf(NotFoundException.class);
        }
    }
}

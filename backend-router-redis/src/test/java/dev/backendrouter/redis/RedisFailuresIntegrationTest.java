package dev.backendrouter.redis;

import static dev.backendrouter.redis.Routers.await;
import static dev.backendrouter.redis.Routers.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backendrouter.router.BackendRouter;
import dev.backendrouter.router.HealthCheckSettings;
import dev.backendrouter.router.MemberHealth;
import dev.backendrouter.router.TopologySource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cache is never the reason a read fails: Redis killed under load, refusing the password, answering garbage, slow. */
class RedisFailuresIntegrationTest {
    /** A breaker that opens after a handful of failures and probes again soon, so the test sees both. */
    static final String QUICK_BREAKER = ", circuitBreaker: { window: 10, minimumCalls: 5, openFor: 300ms, halfOpenCalls: 1 }";

    static Storage storage;
    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        storage = new Storage();
        for (int i = 0; i < 20; i++) {
            storage.put("/files/" + i, "file " + i);
        }
    }

    @AfterAll
    static void stop() {
        if (storage != null) {     // null when the test class was skipped for want of redis-server
            storage.close();
        }
    }

    @Test
    void killingRedisUnderLoadFailsNoReadAndHitsResumeAfterItRestarts() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            Path topology = Routers.write(dir, "t.yaml", Routers.pattern3(redis.url(0), QUICK_BREAKER, storage.url()));
            Heard heard = new Heard();
            // the default 50 ms cache member timeout: a Redis that is down must not make reads wait
            try (BackendRouter router = Routers.router(topology, b -> b.listener(heard).cacheMemberTimeout(Duration.ofMillis(50)))) {
                AtomicBoolean running = new AtomicBoolean(true);
                AtomicInteger reads = new AtomicInteger();
                List<String> wrong = new java.util.concurrent.CopyOnWriteArrayList<>();
                ExecutorService pool = Executors.newFixedThreadPool(4);
                List<Future<?>> readers = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    int thread = t;
                    readers.add(pool.submit(() -> {
                        for (int i = thread; running.get() && i < 1_000_000; i++) {
                            int file = i % 20;
                            String[] answer = get(router.httpClient(), "http://files/files/" + file);
                            if (!answer[0].equals("200 file " + file)) {
                                wrong.add(answer[0]);
                            }
                            reads.incrementAndGet();
                        }
                    }));
                }
                try {
                    await("reads are answered by Redis", () -> heard.reads("hit") > 100);
                    redis.kill();
                    int atKill = reads.get();
                    await("the breaker of redis-cache opens", () -> heard.breakers.contains("redis-cache CLOSED->OPEN"));
                    await("reads go on while Redis is down", () -> reads.get() > atKill + 200);
                    long hitsWhileDown = heard.reads("hit");

                    redis.restart();
                    await("hits resume on the restarted Redis", () -> heard.reads("hit") > hitsWhileDown + 100);
                } finally {
                    running.set(false);
                    for (Future<?> reader : readers) {
                        reader.get();
                    }
                    pool.shutdownNow();
                }
                assertThat(wrong).as("reads that did not get their file").isEmpty();
                assertThat(heard.failures).anyMatch(line -> line.startsWith("files redis-cache get: ")
                        && (line.contains("connection refused") || line.contains("not connected")));
                assertThat(heard.breakers).contains("redis-cache CLOSED->OPEN");
                assertThat(router.snapshot().groups().get(0).members().get(0).breaker()).isIn("CLOSED", "HALF_OPEN");
            }
        }
    }

    @Test
    void aWrongPasswordIsAnEventAndReadsAreStillServed() {
        try (RedisServer redis = RedisServer.start(List.of("--requirepass", "right-pass"))) {
            String url = "redis://:wrong-pass@127.0.0.1:" + redis.port() + "/0";
            Path topology = Routers.write(dir, "t.yaml", Routers.pattern3(url, QUICK_BREAKER, storage.url()));
            Heard heard = new Heard();
            try (BackendRouter router = Routers.router(topology, b -> b.listener(heard))) {
                for (int i = 0; i < 20; i++) {
                    assertThat(get(router.httpClient(), "http://files/files/" + i)[0]).isEqualTo("200 file " + i);
                }
                assertThat(heard.failures).anyMatch(line -> line.contains("redis-cache")
                        && line.contains("refused the credentials") && line.contains("auth.password"));
                assertThat(heard.breakers).contains("redis-cache CLOSED->OPEN");
                assertThat(String.join("\n", heard.failures) + router.snapshot() + router.topology()).doesNotContain("wrong-pass");
                assertThat(router.snapshot().groups().get(0).members().get(0).url()).isEqualTo(redis.url(0));
                assertThat(router.snapshot().groups().get(0).members().get(0).auth()).isEqualTo("password ****");
            }
            assertThat(redis.authenticated("right-pass", "DBSIZE")).isEqualTo("0");
        }
    }

    @Test
    void thePasswordFromAPlaceholderInAuthIsUsed() {
        try (RedisServer redis = RedisServer.start(List.of("--requirepass", "from-env"))) {
            String yaml = Routers.pattern3("redis://${REDIS_HOST:localhost}:" + redis.port() + "/0",
                    ", auth: { password: \"${REDIS_PASSWORD}\" }", storage.url());
            Path topology = Routers.write(dir, "t.yaml", yaml);
            Map<String, String> environment = Map.of("REDIS_HOST", "127.0.0.1", "REDIS_PASSWORD", "from-env");
            Heard heard = new Heard();
            try (BackendRouter router = BackendRouter.builder()
                    .topology(TopologySource.file(topology).withEnvironment(environment::get))
                    .healthChecks(HealthCheckSettings.disabled())
                    .cacheMemberTimeout(Duration.ofSeconds(2))
                    .listener(heard)
                    .build()) {
                get(router.httpClient(), "http://files/files/3");
                await("cached", () -> "1".equals(redis.authenticated("from-env", "EXISTS", "br:file-service:files:h:GET /files/3")));
                get(router.httpClient(), "http://files/files/3");
                assertThat(heard.reads("hit")).isEqualTo(1);
                assertThat(heard.failures).isEmpty();
                assertThat(router.topology().toString()).doesNotContain("from-env");
            }
        }
    }

    @Test
    void garbageUnderAKeyIsAMissAndAnEvent() {
        try (RedisServer redis = RedisServer.start()) {
            Path topology = Routers.write(dir, "t.yaml", Routers.pattern3(redis.url(0), "", storage.url()));
            redis.command("SET", "br:file-service:files:h:GET /files/5", "not what the router wrote");
            Heard heard = new Heard();
            try (BackendRouter router = Routers.router(topology, b -> b.listener(heard))) {
                assertThat(get(router.httpClient(), "http://files/files/5")[0]).isEqualTo("200 file 5");
                assertThat(heard.failures).singleElement().asString()
                        .contains("files redis-cache get: ").contains("cannot read").contains("read as a miss");
                assertThat(heard.reads("error")).isEqualTo(1);
                // the next miss writes a good entry over it
                await("overwritten", () -> router.snapshot().groups().get(0).cache().populated() == 1);
                get(router.httpClient(), "http://files/files/5");
                assertThat(heard.reads("hit")).isEqualTo(1);
            }
        }
    }

    @Test
    void aSlowRedisIsAMissAfterItsOwnShortTimeout() throws Exception {
        try (RedisServer redis = RedisServer.start(List.of("--enable-debug-command", "local"))) {
            Path topology = Routers.write(dir, "t.yaml", Routers.pattern3(redis.url(0), ", timeouts: { attempt: 50ms }", storage.url()));
            Heard heard = new Heard();
            try (BackendRouter router = Routers.router(topology, b -> b.listener(heard))) {
                get(router.httpClient(), "http://files/files/1");     // connected
                Thread sleeper = new Thread(() -> redis.command("DEBUG", "SLEEP", "1"));
                sleeper.start();
                await("Redis is asleep", () -> sleeping(redis));
                assertThat(get(router.httpClient(), "http://files/files/2")[0]).isEqualTo("200 file 2");
                sleeper.join();
                // the router's bound or Lettuce's own command timeout, whichever fires first: both say 50 ms
                assertThat(heard.failures).anyMatch(line -> line.contains("files redis-cache get: ") && line.contains("within 50 ms"));
            }
        }
    }

    @Test
    void aWriteDoesNotWaitForRedis() throws Exception {
        try (RedisServer redis = RedisServer.start(List.of("--enable-debug-command", "local"))) {
            Path topology = Routers.write(dir, "t.yaml", Routers.pattern3(redis.url(0), "", storage.url()));
            Heard heard = new Heard();
            try (BackendRouter router = Routers.router(topology, b -> b.listener(heard))) {
                get(router.httpClient(), "http://files/files/12");
                await("cached", () -> "1".equals(redis.command("EXISTS", "br:file-service:files:h:GET /files/12")));
                Thread sleeper = new Thread(() -> redis.command("DEBUG", "SLEEP", "3"));
                sleeper.start();
                await("Redis is asleep", () -> sleeping(redis));
                RedisCacheIntegrationTest.put(router.httpClient(), "http://files/files/12", "file 12, again");
                // the write is answered while Redis still sleeps: its delete is on its way, not waited for
                assertThat(sleeping(redis)).as("Redis still asleep when the write returned").isTrue();
                sleeper.join();
                await("invalidated once Redis wakes", () -> "0".equals(redis.command("EXISTS", "br:file-service:files:h:GET /files/12")));
                storage.put("/files/12", "file 12");
            }
        }
    }

    /** Whether a PING goes unanswered for 100 ms: DEBUG SLEEP blocks the whole server. */
    private static boolean sleeping(RedisServer redis) {
        try (java.net.Socket socket = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), redis.port())) {
            socket.setSoTimeout(100);
            socket.getOutputStream().write("PING\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getInputStream().read();
            return false;
        } catch (java.net.SocketTimeoutException e) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void withRedisDownAndStorageFailingTheNearCachesStaleCopyIsServed() {
        try (RedisServer redis = RedisServer.start()) {
            Path topology = Routers.write(dir, "t.yaml", Routers.pattern3(redis.url(0), "", storage.url()));
            ManualTicker ticker = new ManualTicker();
            try (BackendRouter router = Routers.router(topology, b -> b.ticker(ticker)
                    .nearCache("files", new dev.backendrouter.api.NearCacheSettings(100, Duration.ofMinutes(1), Duration.ofMinutes(10))))) {
                assertThat(get(router.httpClient(), "http://files/files/11")).containsExactly("200 file 11", "MISS");
                ticker.advance(Duration.ofMinutes(2));     // past the near cache's TTL, inside its stale-if-error window
                redis.kill();
                storage.failing(true);
                try {
                    assertThat(get(router.httpClient(), "http://files/files/11")).containsExactly("200 file 11", "STALE");
                } finally {
                    storage.failing(false);
                }
            }
        }
    }

    /** The router's clock: real time plus what the test moved it by (the near cache's TTL runs on it; Redis keeps its own). */
    static final class ManualTicker implements dev.backendrouter.router.Ticker {
        private final java.util.concurrent.atomic.AtomicLong offset = new java.util.concurrent.atomic.AtomicLong();

        @Override
        public long nanoTime() {
            return System.nanoTime() + offset.get();
        }

        void advance(Duration duration) {
            offset.addAndGet(duration.toNanos());
        }
    }

    @Test
    void theHealthCheckIsAPing() {
        try (RedisServer redis = RedisServer.start()) {
            Path topology = Routers.write(dir, "t.yaml", Routers.pattern3(redis.url(0), "", storage.url()));
            Heard heard = new Heard();
            try (BackendRouter router = Routers.router(topology, b -> b.listener(heard).healthChecks(
                    HealthCheckSettings.defaults().withInterval(Duration.ofMillis(100)).withThresholds(1, 1)))) {
                await("redis-cache is healthy", () -> health(router) == MemberHealth.HEALTHY);
                // the probe is a PING on Redis, not GET /health on anything
                await("two PINGs", () -> pings(redis) >= 2);
                redis.kill();
                await("redis-cache is unhealthy", () -> health(router) == MemberHealth.UNHEALTHY);
                assertThat(heard.health).contains("redis-cache HEALTHY", "redis-cache UNHEALTHY");
            }
        }
    }

    /** PING commands Redis has run, from its own statistics. */
    private static long pings(RedisServer redis) {
        String stats = redis.command("INFO", "commandstats");
        java.util.regex.Matcher ping = java.util.regex.Pattern.compile("cmdstat_ping:calls=(\\d+)").matcher(stats);
        return ping.find() ? Long.parseLong(ping.group(1)) : 0;
    }

    private static MemberHealth health(BackendRouter router) {
        return router.snapshot().groups().get(0).members().get(0).health();
    }
}

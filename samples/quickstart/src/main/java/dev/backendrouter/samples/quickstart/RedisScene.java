package dev.backendrouter.samples.quickstart;

import dev.backendrouter.router.BackendRouter;
import dev.backendrouter.router.RouterSnapshot;
import dev.backendrouter.router.TopologySource;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import okhttp3.OkHttpClient;

/**
 * Scene 8: REFERENCE R1's pattern 3 as written — a real redis-server (CACHE, priority 1) in front
 * of file storage (PRIMARY, priority 2), shared by two instances of the service; a write
 * invalidates it; killed, it costs no read. Skipped, saying why, on a machine without redis-server.
 */
final class RedisScene implements Scene {
    private static final int HOT_FILES = 20;
    private static final int READS = 800;

    @Override
    public String title() {
        return "Redis in front of storage: pattern 3 as written";
    }

    @Override
    public Result run(TourContext tour) throws Exception {
        Console console = tour.console();
        Optional<String> binary = RedisProcess.binary();
        if (binary.isEmpty()) {
            String why = "redis-server is not on this machine (apt-get install -y redis-server; .ci/run installs it)";
            console.line("skipped: " + why);
            console.verdict(true, "skipped: " + why);
            return new Result(true, "Redis hits, shared, invalidated, down costs no read", "skipped: no redis-server");
        }
        SimulatedBackend storage = tour.start("file-system-server", 50, 0);
        for (int i = 0; i < HOT_FILES; i++) {
            storage.put("/files/hot-" + i, "{\"file\":\"hot-" + i + "\",\"version\":1}");
        }
        for (int i = 0; i < READS; i++) {
            storage.put("/files/cold-" + i, "{\"file\":\"cold-" + i + "\"}");
        }
        Path topology = tour.topologyFile().resolveSibling("pattern3.yaml");
        try (InputStream in = RedisScene.class.getResourceAsStream("pattern3.yaml");
                RedisProcess redis = RedisProcess.start(binary.get())) {
            Files.copy(in, topology);
            Map<String, String> environment = Map.of("REDIS_HOST", "127.0.0.1", "REDIS_PORT", Integer.toString(redis.port()),
                    "FILE_SYSTEM_SERVER_PORT", Integer.toString(storage.port()));
            console.line("group files: redis-cache (CACHE, redis://${REDIS_HOST:localhost}:${REDIS_PORT:6379}/0 with REDIS_PORT="
                    + redis.port() + ", a real redis-server) → file-system-server (PRIMARY, 50 ms); two instances of file-service");
            try (BackendRouter first = open(topology, environment); BackendRouter second = open(topology, environment)) {
                return play(console, storage, redis, first, second);
            } finally {
                Files.deleteIfExists(topology);
            }
        }
    }

    private static BackendRouter open(Path topology, Map<String, String> environment) {
        return BackendRouter.builder()
                .topology(TopologySource.file(topology).withEnvironment(environment::get))
                .listener(new TourListener())
                .build();
    }

    private static Result play(Console console, SimulatedBackend storage, RedisProcess redis, BackendRouter first,
            BackendRouter second) throws Exception {
        OkHttpClient a = first.httpClient();
        OkHttpClient b = second.httpClient();
        storage.resetCounts();
        // R2: 70% of reads repeat (the hot files), the rest read a file once
        Load reads = Load.run(4, READS, n -> Http.getSucceeds(a, "http://files/files/"
                + (ThreadLocalRandom.current().nextDouble() < 0.7 ? "hot-" + n % HOT_FILES : "cold-" + n)));
        RouterSnapshot.CacheSnapshot counts = files(first).cache();
        double hitRatio = counts.tierHits() / (double) Math.max(1, counts.tierHits() + counts.tierMisses());
        console.line(String.format("instance 1: %,d reads, %d failed; redis-cache answered %.0f%%, file-system-server saw %,d "
                + "requests; %,d answers written to Redis in the background", reads.done(), reads.failed(), hitRatio * 100,
                storage.requests(), counts.populated()));

        // The background write of a file may have timed out on a loaded machine: instance 1 reads it
        // until it sees a Redis hit for it, so what instance 2 is asked to share is really in Redis.
        // Instance 2 reads files it has never read; its first Redis read on a loaded machine may
        // still miss its read timeout, so up to three such files are tried, each one cached first.
        boolean fromRedis = false;
        for (int attempt = 0; attempt < 3 && !fromRedis; attempt++) {
            String sharedFile = "/files/hot-" + (3 + attempt);
            awaitCached(a, first, sharedFile);
            long before = storage.requests();
            long hits = files(second).cache().tierHits();
            Http.Reply shared = Http.get(b, "http://files" + sharedFile, null);
            fromRedis = files(second).cache().tierHits() == hits + 1 && storage.requests() == before;
            console.line("instance 2 reads " + sharedFile + " → " + shared.body() + (fromRedis ? ", from Redis: storage not asked"
                    : ", from storage"));
        }

        Http.Reply write = Http.put(a, "http://files/files/hot-3", null, "{\"file\":\"hot-3\",\"version\":2}");
        Http.Reply after = awaitBody(b, "/files/hot-3", "\"version\":2");
        boolean invalidated = after.body().contains("\"version\":2");
        console.line("instance 1 PUT /files/hot-3 version 2 → HTTP " + write.status() + "; instance 2 then reads " + after.body());

        redis.kill();
        Load down = Load.run(4, 200, n -> Http.getSucceeds(a, "http://files/files/hot-" + n % HOT_FILES));
        String breaker = files(first).members().get(0).breaker();
        console.line(String.format("redis-server killed: %d reads, %d failed; the breaker of redis-cache is %s", down.done(),
                down.failed(), breaker));
        redis.restart();
        long hitsBefore = files(first).cache().tierHits();
        boolean resumed = false;
        for (int i = 0; i < 300 && !resumed; i++) {
            Http.getSucceeds(a, "http://files/files/hot-" + i % HOT_FILES);
            resumed = files(first).cache().tierHits() > hitsBefore;
            Thread.sleep(10);
        }
        console.line("redis-server restarted on its port: hits resumed without restarting the router: " + (resumed ? "yes" : "no"));

        boolean passed = reads.failed() == 0 && hitRatio >= 0.5 && fromRedis && write.ok() && invalidated
                && down.failed() == 0 && resumed;
        String measured = String.format("hit ratio %.0f%%, shared: %s, invalidated: %s, failed reads with Redis down: %d, "
                + "hits resumed: %s", hitRatio * 100, fromRedis, invalidated, down.failed(), resumed);
        console.verdict(passed, passed ? "Redis serves most reads for every instance, a write is never hidden, "
                + "and a dead Redis costs no read" : "expected ≥ 50% hits, a shared hit, the new version, 0 failed reads: " + measured);
        return new Result(passed, "Redis hits, shared, invalidated, down costs no read", measured);
    }

    /** Reads {@code path} until one read is a Redis hit (at most a second). */
    private static void awaitCached(OkHttpClient http, BackendRouter router, String path) throws Exception {
        for (int i = 0; i < 50; i++) {
            long hits = files(router).cache().tierHits();
            Http.getSucceeds(http, "http://files" + path);
            if (files(router).cache().tierHits() > hits) {
                return;
            }
            Thread.sleep(20);
        }
    }

    /** Reads until the body holds {@code expected} (the invalidation is on its way); the last reply. */
    private static Http.Reply awaitBody(OkHttpClient http, String path, String expected) throws Exception {
        Http.Reply reply = Http.get(http, "http://files" + path, null);
        for (int i = 0; i < 50 && !reply.body().contains(expected); i++) {
            Thread.sleep(20);
            reply = Http.get(http, "http://files" + path, null);
        }
        return reply;
    }

    private static RouterSnapshot.GroupSnapshot files(BackendRouter router) {
        return router.snapshot().groups().get(0);
    }
}

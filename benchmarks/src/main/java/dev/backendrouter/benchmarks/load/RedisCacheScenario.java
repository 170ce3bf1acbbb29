package dev.backendrouter.benchmarks.load;

import static dev.backendrouter.benchmarks.report.Markdown.percent;
import static dev.backendrouter.benchmarks.report.Markdown.spread;

import dev.backendrouter.api.BackendMember;
import dev.backendrouter.api.BackendRole;
import dev.backendrouter.api.Topology;
import dev.backendrouter.benchmarks.report.Markdown;
import dev.backendrouter.benchmarks.report.Stats;
import dev.backendrouter.router.HealthCheckSettings;
import dev.backendrouter.router.RouterSnapshot;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * 8. REFERENCE R2's cache in front of storage: storage answering in 20–100 ms, 70% of reads
 * repeating. The router with a real Redis CACHE member in front, beside the same router without
 * it: p50, p95 and how many reads reached storage.
 */
final class RedisCacheScenario implements Scenario {
    static final int HOT_KEYS = 200;
    static final double REPEATING = 0.7;
    /** Both sides get the same offered load, within what storage alone can serve: their storage calls compare directly. */
    static final double RATE = 150;
    private static final String WITHOUT = "router, storage only";
    private static final String WITH = "router, Redis CACHE in front";

    @Override
    public String id() {
        return "redis-cache";
    }

    @Override
    public String title() {
        return "Redis in front of storage (R2: 20–100 ms storage, 70% repeat reads)";
    }

    @Override
    public ScenarioResult run(Context context) throws Exception {
        Optional<String> binary = RedisServerProcess.binary();
        if (binary.isEmpty()) {
            String reason = "not run: redis-server not found (benchmarks/run.sh installs it from Debian's packages)";
            return new ScenarioResult(id(), title(), List.of(new ScenarioResult.Target("storage calls and p50 with Redis in front",
                    "–", "reported", reason)), "### 8. " + title() + "\n\n" + reason + ".\n", Map.of("error", reason));
        }
        Driver.Load load = Driver.Load.paced(16, RATE, context.seconds(8, 20));
        try (SimBackend storage = SimBackend.start("file-system-server").latencyRangeMicros(20_000, 100_000);
                RedisServerProcess redis = RedisServerProcess.start(binary.get())) {
            BackendMember primary = BackendMember.builder(storage.name(), storage.url()).role(BackendRole.PRIMARY).priority(2).build();
            BackendMember cache = BackendMember.builder("redis-cache", redis.url()).role(BackendRole.CACHE).priority(1).build();
            Topology plain = Clients.topology(primary);
            Topology cached = Clients.topology(cache, primary);
            Rounds rounds = new Rounds();
            rounds.side(WITHOUT, () -> run(plain, storage, redis, load));
            rounds.side(WITH, () -> run(cached, storage, redis, load));
            rounds.run(context, context.rounds());
            return report(load, rounds);
        }
    }

    /** One run from an empty Redis: R2's mix of repeating and one-off reads, every call timed. */
    private static Map<String, Double> run(Topology topology, SimBackend storage, RedisServerProcess redis, Driver.Load load)
            throws Exception {
        redis.flush();
        AtomicLong oneOff = new AtomicLong();
        try (Clients.Routed router = Clients.router(topology, b -> b.healthChecks(HealthCheckSettings.disabled()))) {
            storage.resetCounts();
            Samples samples = Driver.run(load, () -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                String key = random.nextDouble() < REPEATING ? "hot-" + random.nextInt(HOT_KEYS) : "once-" + oneOff.incrementAndGet();
                return Clients.ok(Clients.get(router.http(), "http://" + Clients.GROUP + "/files/" + key));
            });
            RouterSnapshot.CacheSnapshot counts = router.router().snapshot().groups().get(0).cache();
            Map<String, Double> numbers = new LinkedHashMap<>();
            numbers.put("calls", (double) samples.calls());
            numbers.put("failures", (double) samples.failures());
            numbers.put("throughput", samples.throughput());
            numbers.put("p50Ms", samples.percentileMillis(50));
            numbers.put("p95Ms", samples.percentileMillis(95));
            numbers.put("storageCalls", (double) storage.requests());
            numbers.put("storageShare", storage.requests() / (double) Math.max(1, samples.calls()));
            numbers.put("redisHits", (double) counts.tierHits());
            return numbers;
        }
    }

    private ScenarioResult report(Driver.Load load, Rounds rounds) {
        Markdown.Table table = new Markdown.Table("side", "p50", "p95", "reads/s", "reads that reached storage",
                "answered by Redis", "failed calls");
        for (String side : List.of(WITHOUT, WITH)) {
            double calls = rounds.sum(side, "calls");
            table.row(side, spread(rounds.spread(side, "p50Ms"), " ms"), spread(rounds.spread(side, "p95Ms"), " ms"),
                    spread(rounds.spread(side, "throughput"), ""), percent(rounds.spread(side, "storageShare").median(), 1)
                            + " (" + Markdown.num(rounds.sum(side, "storageCalls")) + " of " + Markdown.num(calls) + ")",
                    percent(rounds.sum(side, "redisHits") / Math.max(1, calls), 1), Markdown.num(rounds.sum(side, "failures")));
        }
        Stats.Spread p50 = rounds.ratio(WITH, WITHOUT, "p50Ms");
        Stats.Spread p95 = rounds.ratio(WITH, WITHOUT, "p95Ms");
        Stats.Spread storage = rounds.ratio(WITH, WITHOUT, "storageShare");
        List<ScenarioResult.Target> targets = List.of(
                new ScenarioResult.Target("p50 / p95 with Redis in front ÷ without", spread(p50, Markdown::num, "×") + " / "
                        + spread(p95, Markdown::num, "×"), "reported", "reported"),
                new ScenarioResult.Target("reads reaching storage with Redis in front ÷ without", spread(storage, Markdown::num, "×")
                        + " (" + percent(rounds.spread(WITH, "storageShare").median(), 1) + " of reads)", "reported", "reported"));
        String markdown = "### 8. " + title() + "\n\n"
                + "One group: `file-system-server` (PRIMARY) answering each read in a uniformly random 20–100 ms, and, on "
                + "one side, a real `redis-server` on loopback as its CACHE member (priority 1), R1's pattern 3. "
                + Math.round(REPEATING * 100) + "% of reads ask one of " + HOT_KEYS + " hot files, the rest a file read "
                + "once. " + load.describe() + " (the same offered load on both sides, within what storage alone can serve), " + Markdown.seconds(load.duration()) + " per side per round, each run "
                + "from an empty Redis and a fresh router (no near cache), so the hit ratio includes the cold start.\n\n"
                + table + "\n"
                + "With Redis in front: p50 **" + spread(p50, Markdown::num, "×") + "**, p95 **" + spread(p95, Markdown::num, "×")
                + "** of the storage-only router's, and **" + spread(storage, Markdown::num, "×") + "** the reads reaching "
                + "storage. R2 expects a hit ratio near 70% (its share of repeating reads) and alerts above a 50% miss rate.\n";
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("settings", Map.of("load", load.describe(), "secondsPerSide", load.duration().toMillis() / 1000.0,
                "storageMillis", "20-100 uniform", "hotKeys", HOT_KEYS, "repeatingShare", REPEATING));
        json.put("rounds", rounds.json());
        return new ScenarioResult(id(), title(), targets, markdown, json);
    }
}

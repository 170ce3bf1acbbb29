package dev.backendrouter.benchmarks.jmh;

import dev.backendrouter.api.RoutingKey;
import dev.backendrouter.router.BackendRouter;
import dev.backendrouter.router.CallOptions;
import dev.backendrouter.router.RoutedGroup;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import tools.jackson.databind.json.JsonMapper;

/**
 * Counts the objects one call allocates, by class: a JVM with Epsilon (a collector that never
 * collects) runs the call until compiled, then a class histogram of every object ever allocated
 * is taken before and after a counted batch of calls. JMH's gc profiler gives bytes per call; this
 * says which objects those bytes are. One JVM per case, as JMH forks one per benchmark, so no
 * case's profile changes how another is compiled.
 */
final class AllocationCheck {
    static final List<String> CASES = List.of("router-read", "resilience4j", "near-cache-hit", "caffeine", "sharded-read",
            "wide-read");
    static final List<String> JVM_ARGS = List.of("-XX:+UnlockExperimentalVMOptions", "-XX:+UseEpsilonGC", "-Xms4g", "-Xmx4g",
            "-Xlog:gc+init=off");
    private static final int CALLS = 200_000;
    private static volatile Object sink;

    record Counted(String name, double perCall, long bytesEach) {
    }

    /**
     * @param objectsPerCall objects of the classes allocated at least every other call
     * @param bytesPerCall their bytes
     */
    record Result(String name, int calls, double objectsPerCall, double bytesPerCall, List<Counted> classes) {
    }

    private AllocationCheck() {
    }

    /** Runs one case (the first argument) and prints its result as one line of JSON. */
    public static void main(String[] args) throws Exception {
        String name = args[0];
        Supplier<Object> call = call(name);
        for (int i = 0; i < 100; i++) {
            loop(call, 3_000);
        }
        Map<String, Histogram.Count> before = Histogram.take(true);
        loop(call, CALLS);
        Map<String, Histogram.Count> after = Histogram.take(true);
        List<Counted> classes = new ArrayList<>();
        double objects = 0;
        double bytes = 0;
        for (Map.Entry<String, Histogram.Count> entry : after.entrySet()) {
            Histogram.Count added = entry.getValue().minus(before.get(entry.getKey()));
            long count = added.instances();
            long size = added.bytes();
            if (count >= CALLS / 2) {   // at least one every other call; the rest is the JVM's own noise
                classes.add(new Counted(entry.getKey(), (double) count / CALLS, size / count));
                objects += (double) count / CALLS;
                bytes += (double) size / CALLS;
            }
        }
        classes.sort((a, b) -> Double.compare(b.perCall() * b.bytesEach(), a.perCall() * a.bytesEach()));
        Result result = new Result(name, CALLS, objects, bytes, classes);
        System.out.println(JsonMapper.builder().build().writeValueAsString(result));
        System.exit(0);   // routers' daemon threads aside, nothing to wait for
    }

    private static void loop(Supplier<Object> call, int times) {
        Object last = null;
        for (int i = 0; i < times; i++) {
            last = call.get();
        }
        sink = last;
    }

    /** The call of each case, set up as its JMH benchmark sets it up. */
    private static Supplier<Object> call(String name) {
        switch (name) {
            case "router-read": {
                RoutedGroup group = Fixtures.router(Fixtures.primaryAndBackup("storage")).group("storage");
                return () -> group.read(null, Fixtures.NOOP);
            }
            case "resilience4j": {
                Supplier<String> decorated = Fixtures.handDecorated(Fixtures.NOOP_SUPPLIER);
                return decorated::get;
            }
            case "near-cache-hit": {
                BackendRouter router = Fixtures.nearCachedRouter("storage", 10_000);
                RoutedGroup group = router.group("storage");
                CallOptions[] options = new CallOptions[NearCacheHitBenchmark.KEYS];
                for (int i = 0; i < options.length; i++) {
                    options[i] = CallOptions.defaults().withCacheKey("user:" + i);
                    group.read(null, options[i], Fixtures.NOOP);
                }
                int[] next = {0};
                return () -> group.read(null, options[next[0]++ & (options.length - 1)], Fixtures.NOOP);
            }
            case "caffeine": {
                com.github.benmanes.caffeine.cache.Cache<String, String> cache = com.github.benmanes.caffeine.cache.Caffeine
                        .newBuilder().maximumSize(10_000).expireAfterWrite(java.time.Duration.ofHours(1)).build();
                String[] keys = new String[NearCacheHitBenchmark.KEYS];
                for (int i = 0; i < keys.length; i++) {
                    keys[i] = "user:" + i;
                    cache.put(keys[i], Fixtures.VALUE);
                }
                int[] next = {0};
                return () -> cache.getIfPresent(keys[next[0]++ & (keys.length - 1)]);
            }
            case "sharded-read": {
                RoutedGroup group = Fixtures.router(dev.backendrouter.api.Topology.builder().service(Fixtures.SERVICE)
                        .group(Fixtures.sharded("users", SHARDED_SHARDS, false)).build()).group("users");
                RoutingKey[] keys = Fixtures.randomKeys(1024, 42);
                int[] next = {0};
                return () -> group.read(keys[next[0]++ & (keys.length - 1)], Fixtures.NOOP);
            }
            case "wide-read": {
                RoutedGroup group = Fixtures.router(Fixtures.primaries("wide", WIDE_MEMBERS)).group("wide");
                return () -> group.read(null, Fixtures.NOOP);
            }
            default:
                throw new IllegalArgumentException("no allocation case " + name + "; cases are " + CASES);
        }
    }

    /** Shards of the sharded-read case. */
    static final int SHARDED_SHARDS = 1024;
    /** Members of the wide-read case. */
    static final int WIDE_MEMBERS = 10_000;

    /** Runs every case in its own JVM; a case that fails is left out, with its error on stderr. */
    static Map<String, Result> runAll(JsonMapper json) throws Exception {
        Map<String, Result> results = new LinkedHashMap<>();
        for (String name : CASES) {
            String line = Children.runForLastLine(JVM_ARGS, AllocationCheck.class, name);
            if (line != null) {
                results.put(name, json.readValue(line, Result.class));
            }
        }
        return results;
    }
}

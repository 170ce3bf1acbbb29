package dev.backendrouter.benchmarks.jmh;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.backendrouter.router.BackendRouter;
import dev.backendrouter.router.CallOptions;
import dev.backendrouter.router.RoutedGroup;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Measure 3: a near-cache hit through the router (a generic read with a cache key, warmed)
 * against {@code getIfPresent} on a bare Caffeine cache holding the same keys.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class NearCacheHitBenchmark {
    /** A power of two, so the next key is one mask away. */
    static final int KEYS = 1024;

    private BackendRouter router;
    private RoutedGroup group;
    private CallOptions[] options;
    private String[] keys;
    private Cache<String, String> caffeine;
    private int next;

    @Setup
    public void setUp() {
        router = Fixtures.nearCachedRouter("storage", 10_000);
        group = router.group("storage");
        caffeine = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(Duration.ofHours(1)).build();
        keys = new String[KEYS];
        options = new CallOptions[KEYS];
        for (int i = 0; i < KEYS; i++) {
            keys[i] = "user:" + i;
            options[i] = CallOptions.defaults().withCacheKey(keys[i]);
            caffeine.put(keys[i], Fixtures.VALUE);
            group.read(null, options[i], Fixtures.NOOP);
        }
        for (CallOptions option : options) {
            String source = group.readCached(null, option, Fixtures.NOOP).source();
            if (!source.equals("HIT")) {
                throw new IllegalStateException("a warmed key was not a near-cache hit but " + source);
            }
        }
    }

    @TearDown
    public void tearDown() {
        router.close();
    }

    @Benchmark
    public String router() {
        return group.read(null, options[next++ & (KEYS - 1)], Fixtures.NOOP);
    }

    @Benchmark
    public String caffeine() {
        return caffeine.getIfPresent(keys[next++ & (KEYS - 1)]);
    }
}

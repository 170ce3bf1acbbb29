package dev.backendrouter.benchmarks.jmh;

import dev.backendrouter.router.BackendRouter;
import dev.backendrouter.router.RoutedGroup;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Measure 1: {@code group.read} with a no-op member call (routing, breaker, retry loop) against
 * the same no-op wrapped by hand in resilience4j's {@code CircuitBreaker} and {@code Retry}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RoutedReadBenchmark {
    private BackendRouter router;
    private RoutedGroup group;
    private Supplier<String> decorated;

    @Setup
    public void setUp() {
        router = Fixtures.router(Fixtures.primaryAndBackup("storage"));
        group = router.group("storage");
        decorated = Fixtures.handDecorated(Fixtures.NOOP_SUPPLIER);
    }

    @TearDown
    public void tearDown() {
        router.close();
    }

    @Benchmark
    public String router() {
        return group.read(null, Fixtures.NOOP);
    }

    @Benchmark
    public String resilience4j() {
        return decorated.get();
    }
}

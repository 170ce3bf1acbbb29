package dev.backendrouter.benchmarks.jmh;

import dev.backendrouter.router.BackendRouter;
import dev.backendrouter.router.RoutedGroup;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Measure 4: a no-op read in one group of 10 to 10,000 PRIMARY members (one tier, each member
 * its own backend and breaker); each size is compared with itself at 10.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MemberScalingBenchmark {
    /** The first is the baseline of the others. */
    static final List<String> MEMBERS = List.of("10", "100", "1000", "10000");

    @Param({"10", "100", "1000", "10000"})
    public int members;

    private BackendRouter router;
    private RoutedGroup group;

    @Setup
    public void setUp() {
        router = Fixtures.router(Fixtures.primaries("wide", members));
        group = router.group("wide");
    }

    @TearDown
    public void tearDown() {
        router.close();
    }

    @Benchmark
    public String read() {
        return group.read(null, Fixtures.NOOP);
    }
}

package dev.backendrouter.benchmarks.jmh;

import dev.backendrouter.api.RoutingKey;
import dev.backendrouter.api.ShardIndex;
import dev.backendrouter.api.ShardRange;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Measure 2: the shard lookup the router makes ({@link ShardIndex}) against a {@code TreeMap}
 * keyed by each range's start, over the same ranges and the same random keys. Both answer the
 * owning range, or {@code null}: the baseline checks the floor range contains the key, as the
 * index does.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ShardLookupBenchmark {
    /** A power of two, so the next key is one mask away. */
    private static final int KEYS = 4096;

    static final List<String> SHARDS = List.of("2", "16", "128", "1024");
    static final List<String> FORMS = List.of("keys", "slots");

    @Param({"2", "16", "128", "1024"})
    public int shards;

    @Param({"keys", "slots"})
    public String form;

    private ShardIndex index;
    private boolean slots;
    private final TreeMap<String, ShardRange> byFirstKey = new TreeMap<>();
    private final TreeMap<Integer, ShardRange> byFirstSlot = new TreeMap<>();
    private RoutingKey[] keys;
    private int next;

    @Setup
    public void setUp() {
        slots = form.equals("slots");
        index = ShardIndex.of(Fixtures.sharded("users", shards, slots));
        for (ShardRange range : index.ranges()) {
            if (range instanceof ShardRange.KeyRange key) {
                byFirstKey.put(key.from(), key);
            } else {
                byFirstSlot.put(((ShardRange.SlotRange) range).from(), range);
            }
        }
        keys = Fixtures.randomKeys(KEYS, 42);
        for (RoutingKey key : keys) {
            if (index.find(key) != floorEntry(key)) {
                throw new IllegalStateException("the index and the TreeMap disagree on " + key);
            }
        }
    }

    private RoutingKey nextKey() {
        return keys[next++ & (KEYS - 1)];
    }

    @Benchmark
    public ShardRange shardIndex() {
        return index.find(nextKey());
    }

    @Benchmark
    public ShardRange treeMap() {
        return floorEntry(nextKey());
    }

    private ShardRange floorEntry(RoutingKey key) {
        Map.Entry<?, ShardRange> floor = slots ? byFirstSlot.floorEntry(key.slot()) : byFirstKey.floorEntry(key.normalized());
        return floor != null && floor.getValue().contains(key) ? floor.getValue() : null;
    }
}

package dev.backendrouter.benchmarks.load;

import java.util.LinkedHashMap;
import java.util.Map;

/** The numbers a side's run reports, in the order they are printed; built fluently. */
final class Numbers {
    private final Map<String, Double> values = new LinkedHashMap<>();

    /** Calls, failures, success rate, throughput and latency percentiles of a run. */
    static Numbers of(Samples samples) {
        return new Numbers()
                .put("calls", samples.calls())
                .put("failures", samples.failures())
                .put("success", samples.successRate())
                .put("throughput", samples.throughput())
                .put("p50Ms", samples.percentileMillis(50))
                .put("p99Ms", samples.percentileMillis(99));
    }

    Numbers put(String key, double value) {
        values.put(key, value);
        return this;
    }

    Map<String, Double> map() {
        return values;
    }
}

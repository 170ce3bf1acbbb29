package dev.backendrouter.benchmarks.load;

import dev.backendrouter.benchmarks.report.Stats;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The calls of one load run: when each started (nanoseconds since the callers started), how
 * long it took, and whether it succeeded; in order of start.
 */
final class Samples {
    private final long[] starts;
    private final long[] latencies;
    private final boolean[] ok;

    private Samples(long[] starts, long[] latencies, boolean[] ok) {
        this.starts = starts;
        this.latencies = latencies;
        this.ok = ok;
    }

    /** One caller's samples, grown as needed. */
    static final class Recorder {
        private long[] starts = new long[4096];
        private long[] latencies = new long[4096];
        private boolean[] ok = new boolean[4096];
        private int size;

        void add(long start, long latency, boolean success) {
            if (size == starts.length) {
                starts = Arrays.copyOf(starts, size * 2);
                latencies = Arrays.copyOf(latencies, size * 2);
                ok = Arrays.copyOf(ok, size * 2);
            }
            starts[size] = start;
            latencies[size] = latency;
            ok[size] = success;
            size++;
        }
    }

    static Samples merge(List<Recorder> recorders) {
        int total = recorders.stream().mapToInt(r -> r.size).sum();
        Integer[] order = new Integer[total];
        long[] starts = new long[total];
        long[] latencies = new long[total];
        boolean[] ok = new boolean[total];
        int at = 0;
        for (Recorder r : recorders) {
            System.arraycopy(r.starts, 0, starts, at, r.size);
            System.arraycopy(r.latencies, 0, latencies, at, r.size);
            System.arraycopy(r.ok, 0, ok, at, r.size);
            at += r.size;
        }
        for (int i = 0; i < total; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(starts[a], starts[b]));
        long[] s = new long[total];
        long[] l = new long[total];
        boolean[] o = new boolean[total];
        for (int i = 0; i < total; i++) {
            s[i] = starts[order[i]];
            l[i] = latencies[order[i]];
            o[i] = ok[order[i]];
        }
        return new Samples(s, l, o);
    }

    int calls() {
        return starts.length;
    }

    int failures() {
        int failed = 0;
        for (boolean success : ok) {
            failed += success ? 0 : 1;
        }
        return failed;
    }

    double successRate() {
        return calls() == 0 ? Double.NaN : 1 - (double) failures() / calls();
    }

    /** From the first start to the last end, in seconds. */
    double spanSeconds() {
        long end = 0;
        for (int i = 0; i < starts.length; i++) {
            end = Math.max(end, starts[i] + latencies[i]);
        }
        return starts.length == 0 ? 0 : (end - starts[0]) / 1e9;
    }

    /** Successful calls per second over the run. */
    double throughput() {
        double span = spanSeconds();
        return span == 0 ? 0 : (calls() - failures()) / span;
    }

    /** A latency percentile over every call (failed ones included), in milliseconds. */
    double percentileMillis(double p) {
        long[] sorted = latencies.clone();
        Arrays.sort(sorted);
        return Stats.percentile(sorted, p) / 1e6;
    }

    /** The calls that started within {@code [fromNanos, toNanos)}. */
    Samples window(long fromNanos, long toNanos) {
        int from = firstAtOrAfter(fromNanos);
        int to = firstAtOrAfter(toNanos);
        return new Samples(Arrays.copyOfRange(starts, from, to), Arrays.copyOfRange(latencies, from, to),
                Arrays.copyOfRange(ok, from, to));
    }

    /** Calls that started before {@code nanos}. */
    int countBefore(long nanos) {
        return firstAtOrAfter(nanos);
    }

    private int firstAtOrAfter(long nanos) {
        int index = Arrays.binarySearch(starts, nanos);
        if (index < 0) {
            return -index - 1;
        }
        while (index > 0 && starts[index - 1] == nanos) {
            index--;
        }
        return index;
    }

    /** Per time bucket of calls by start: the count, the failures, p50 and max latency (ms, NaN when empty). */
    record Bucket(double startSeconds, int calls, int failures, double p50Millis, double maxMillis) {
    }

    List<Bucket> buckets(long bucketNanos, long fromNanos, long toNanos) {
        List<Bucket> buckets = new ArrayList<>();
        for (long t = fromNanos; t < toNanos; t += bucketNanos) {
            Samples in = window(t, t + bucketNanos);
            boolean empty = in.calls() == 0;
            long max = 0;
            for (long latency : in.latencies) {
                max = Math.max(max, latency);
            }
            buckets.add(new Bucket(t / 1e9, in.calls(), in.failures(), empty ? Double.NaN : in.percentileMillis(50),
                    empty ? Double.NaN : max / 1e6));
        }
        return buckets;
    }
}

package dev.backendrouter.benchmarks.load;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Counters (backend request counts) read at fixed ticks after a time zero, so they can be put
 * beside the calls of a {@link Samples} bucket by bucket: tick {@code k} is read at
 * {@code origin + k × period}, and bucket {@code k} holds what was counted between ticks
 * {@code k} and {@code k + 1}.
 */
final class Timeline {
    private final long origin;
    private final long periodNanos;
    private final LongSupplier[] counters;
    private final List<long[]> ticks = new ArrayList<>();

    Timeline(long origin, long periodNanos, LongSupplier... counters) {
        this.origin = origin;
        this.periodNanos = periodNanos;
        this.counters = counters;
        read();
    }

    /** Sleeps until tick {@code ticks()} is due, then reads the counters; returns the tick's number. */
    int next() throws InterruptedException {
        int k = ticks.size();
        long due = origin + k * periodNanos;
        long wait = due - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
        read();
        return k;
    }

    private void read() {
        long[] values = new long[counters.length];
        for (int i = 0; i < counters.length; i++) {
            values[i] = counters[i].getAsLong();
        }
        ticks.add(values);
    }

    long periodNanos() {
        return periodNanos;
    }

    /** Complete buckets so far. */
    int buckets() {
        return ticks.size() - 1;
    }

    /** What counter {@code counter} counted in bucket {@code k}. */
    long delta(int counter, int k) {
        return ticks.get(k + 1)[counter] - ticks.get(k)[counter];
    }

    /** What counter {@code counter} counted in buckets {@code from} (inclusive) to {@code to} (exclusive). */
    long total(int counter, int from, int to) {
        return ticks.get(Math.min(to, buckets()))[counter] - ticks.get(from)[counter];
    }

    /** What all counters together counted in buckets {@code from} (inclusive) to {@code to} (exclusive). */
    long total(int from, int to) {
        long sum = 0;
        for (int c = 0; c < counters.length; c++) {
            sum += total(c, from, to);
        }
        return sum;
    }
}

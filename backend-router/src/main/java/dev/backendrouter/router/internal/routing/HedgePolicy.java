package dev.backendrouter.router.internal.routing;

import dev.backendrouter.router.Hedging;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * When to hedge a read, from a fixed delay or a percentile of recent read latencies, and the
 * threads hedged attempts run on (daemon threads, gone at {@link #close()}).
 */
public final class HedgePolicy implements AutoCloseable {
    private static final int WINDOW = 512;
    private static final int RECOMPUTE_EVERY = 64;
    private static final AtomicInteger ROUTERS = new AtomicInteger();

    private final Hedging hedging;
    private final ExecutorService executor;
    private final DaemonThreads threads;
    private final AtomicLongArray latencies = new AtomicLongArray(WINDOW);
    private final AtomicLong recorded = new AtomicLong();
    private volatile long delayNanos;
    private final java.util.Set<Started<?>> running = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public HedgePolicy(Hedging hedging, String service) {
        this.hedging = hedging;
        this.threads = new DaemonThreads("backend-router-hedge-" + service + "-" + ROUTERS.incrementAndGet());
        this.executor = Executors.newCachedThreadPool(threads);
        this.delayNanos = hedging.fixedDelay() != null ? hedging.fixedDelay().toNanos() : hedging.minimumDelay().toNanos();
    }

    long delayNanos() {
        return delayNanos;
    }

    ExecutorService executor() {
        return executor;
    }

    /** Keeps a running attempt until it finishes, so {@link #close()} can cancel it. */
    <R> Started<R> track(Started<R> started) {
        running.add(started);
        started.result().whenComplete((result, failure) -> running.remove(started));
        return started;
    }

    /** Feeds the percentile: the latency of a read attempt that succeeded. */
    void record(long nanos) {
        if (hedging.fixedDelay() != null) {
            return;
        }
        long count = recorded.incrementAndGet();
        latencies.set((int) (count % WINDOW), nanos);
        if (count >= RECOMPUTE_EVERY && count % RECOMPUTE_EVERY == 0) {
            int size = (int) Math.min(count, WINDOW);
            long[] sorted = new long[size];
            for (int i = 0; i < size; i++) {
                sorted[i] = latencies.get(i);
            }
            Arrays.sort(sorted);
            long percentile = sorted[(int) Math.min(size - 1, Math.ceil(hedging.percentile() / 100.0 * size) - 1)];
            delayNanos = Math.max(percentile, hedging.minimumDelay().toNanos());
        }
    }

    @Override
    public void close() {
        running.forEach(Started::cancel);
        threads.shutdown(executor);
    }
}

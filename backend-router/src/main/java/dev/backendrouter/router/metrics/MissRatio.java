package dev.backendrouter.router.metrics;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The share of cache-member reads that missed over the last minute: six ten-second buckets of
 * reads and misses, lock-free. What an alert on the miss rate needs (REFERENCE R2 alerts above
 * 50%); a lifetime ratio would hide an outage behind hours of hits.
 */
final class MissRatio {
    static final long BUCKET_NANOS = 10_000_000_000L;
    static final int BUCKETS = 6;

    private final AtomicLongArray epochs = new AtomicLongArray(BUCKETS);
    private final AtomicLongArray reads = new AtomicLongArray(BUCKETS);
    private final AtomicLongArray misses = new AtomicLongArray(BUCKETS);

    void record(long nowNanos, boolean missed) {
        long epoch = Math.floorDiv(nowNanos, BUCKET_NANOS);
        int slot = (int) Math.floorMod(epoch, BUCKETS);
        long held = epochs.get(slot);
        if (held != epoch && epochs.compareAndSet(slot, held, epoch)) {
            reads.set(slot, 0);       // a read racing this reset may be lost: a gauge, not a ledger
            misses.set(slot, 0);
        }
        reads.incrementAndGet(slot);
        if (missed) {
            misses.incrementAndGet(slot);
        }
    }

    /** Misses over reads in the buckets of the last minute; NaN when there were none. */
    double value(long nowNanos) {
        long epoch = Math.floorDiv(nowNanos, BUCKET_NANOS);
        long allReads = 0;
        long allMisses = 0;
        for (int slot = 0; slot < BUCKETS; slot++) {
            if (epoch - epochs.get(slot) < BUCKETS) {
                allReads += reads.get(slot);
                allMisses += misses.get(slot);
            }
        }
        return allReads == 0 ? Double.NaN : (double) allMisses / allReads;
    }
}

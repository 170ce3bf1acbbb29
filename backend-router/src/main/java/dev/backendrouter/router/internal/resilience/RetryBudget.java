package dev.backendrouter.router.internal.resilience;

import dev.backendrouter.router.Ticker;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Caps extra attempts (retries, failovers, hedges) at a share of the calls of the last ten
 * seconds plus a small floor per second, so backends that are failing never meet a retry
 * storm: with every backend down, a call makes at most about {@code 1 + ratio} attempts.
 * A retry or failover that gets an answer gives its share back ({@link #refund()}): what the
 * budget caps is retries that fail, so backends failing 15–20% of requests at random keep every
 * retry that helps, while an outage still gets no more than the share.
 *
 * <p>Ten one-second buckets of calls and retries in a ring; lock-free. A bucket is reset by the
 * first call that lands in it after it went stale, so a count can be off by the few calls racing
 * that reset — harmless for a budget.
 */
public final class RetryBudget {
    static final int BUCKETS = 10;
    private static final long BUCKET_NANOS = 1_000_000_000L;

    private final Ticker ticker;
    private final double ratio;
    private final int floorPerSecond;
    /** per bucket: [epoch second, calls, retries] */
    private final AtomicLongArray buckets = new AtomicLongArray(BUCKETS * 3);

    /**
     * @param ratio extra attempts allowed per call (0.2 = 20%)
     * @param floorPerSecond extra attempts always allowed per second, so a quiet service can still retry
     */
    public RetryBudget(Ticker ticker, double ratio, int floorPerSecond) {
        if (ratio < 0 || floorPerSecond < 0) {
            throw new IllegalArgumentException("retry budget ratio and floor must not be negative");
        }
        this.ticker = ticker;
        this.ratio = ratio;
        this.floorPerSecond = floorPerSecond;
        for (int i = 0; i < BUCKETS; i++) {
            buckets.set(i * 3, Long.MIN_VALUE);
        }
    }

    /** Records a call (its first attempt) that started at {@code nowNanos} on the router's ticker. */
    public void recordCall(long nowNanos) {
        buckets.incrementAndGet(bucket(nowNanos) + 1);
    }

    /** Takes one extra attempt from the budget; {@code false} when it is spent. */
    public boolean tryRetry() {
        int bucket = current();
        long second = buckets.get(bucket);
        long calls = 0;
        long retries = 0;
        for (int i = 0; i < BUCKETS; i++) {
            if (buckets.get(i * 3) > second - BUCKETS) {
                calls += buckets.get(i * 3 + 1);
                retries += buckets.get(i * 3 + 2);
            }
        }
        if (retries >= ratio * calls + (double) floorPerSecond * BUCKETS) {
            return false;
        }
        buckets.incrementAndGet(bucket + 2);
        return true;
    }

    /** Gives back one extra attempt taken with {@link #tryRetry()}: it got an answer. */
    public void refund() {
        buckets.decrementAndGet(current() + 2);
    }

    /** The offset of the current second's bucket, reset first if it holds an older second. */
    private int current() {
        return bucket(ticker.nanoTime());
    }

    private int bucket(long nowNanos) {
        long second = Math.floorDiv(nowNanos, BUCKET_NANOS);
        int offset = (int) Math.floorMod(second, BUCKETS) * 3;
        long held = buckets.get(offset);
        if (held != second && buckets.compareAndSet(offset, held, second)) {
            buckets.set(offset + 1, 0);
            buckets.set(offset + 2, 0);
        }
        return offset;
    }

    public double ratio() {
        return ratio;
    }

    public int floorPerSecond() {
        return floorPerSecond;
    }
}

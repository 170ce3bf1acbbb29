package dev.backendrouter.router.reliability;

import dev.backendrouter.router.Ticker;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A ticker that moves only when a retry waits (the wait just moves time on), so backoffs cost
 * nothing and no breaker, budget or latency verdict depends on how fast the machine is.
 */
final class ManualTicker implements Ticker {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Override
    public long nanoTime() {
        return now.get();
    }

    @Override
    public void sleep(long nanos) {
        now.addAndGet(nanos);
    }
}

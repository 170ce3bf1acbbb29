package dev.backendrouter.router;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A ticker whose time moves only when a test (or a retry's wait) moves it. */
final class FakeTicker implements Ticker {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Override
    public long nanoTime() {
        return now.get();
    }

    /** Waiting to retry just moves time on. */
    @Override
    public void sleep(long nanos) {
        now.addAndGet(nanos);
    }

    void advance(Duration duration) {
        now.addAndGet(duration.toNanos());
    }

    long addAndGet(long nanos) {
        return now.addAndGet(nanos);
    }
}

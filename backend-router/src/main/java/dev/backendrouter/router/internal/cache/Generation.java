package dev.backendrouter.router.internal.cache;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts a group's writes, so an answer loaded while a write landed is not cached over it: a load
 * notes the count when it starts and stores its answer only if no write came in between.
 */
public final class Generation {
    private final AtomicLong writes = new AtomicLong();

    public long current() {
        return writes.get();
    }

    public void advance() {
        writes.incrementAndGet();
    }
}

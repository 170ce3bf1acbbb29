package dev.backendrouter.router.internal.cache;

import dev.backendrouter.router.internal.routing.DaemonThreads;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Writes answers to the cache tier in the background: one thread, a bounded queue. When the queue
 * is full the write is dropped and counted; the caller never waits for it.
 */
public final class Populator implements AutoCloseable {
    private final ThreadPoolExecutor executor;
    private final DaemonThreads threads;

    public Populator(String service, int queueSize) {
        this.threads = new DaemonThreads("backend-router-cache-" + service);
        this.executor = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queueSize), threads,
                new ThreadPoolExecutor.AbortPolicy());
    }

    /** Queues a cache write; drops it (counted) when the queue is full or the router is closing. */
    public void submit(java.util.function.BooleanSupplier write, CacheStats stats) {
        try {
            executor.execute(() -> {
                if (write.getAsBoolean()) {
                    stats.populated();
                }
            });
        } catch (RejectedExecutionException e) {
            stats.dropped();
        }
    }

    @Override
    public void close() {
        threads.shutdown(executor);
    }
}

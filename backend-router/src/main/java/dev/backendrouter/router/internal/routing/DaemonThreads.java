package dev.backendrouter.router.internal.routing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Names the router's daemon threads and remembers them, so that {@code close()} can wait until
 * every one has really ended, not only until its pool says it is terminated.
 */
public final class DaemonThreads implements ThreadFactory {
    private final String prefix;
    private final AtomicInteger count = new AtomicInteger();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    public DaemonThreads(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public Thread newThread(Runnable task) {
        Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
        thread.setDaemon(true);
        threads.removeIf(old -> !old.isAlive() && old.getState() == Thread.State.TERMINATED);
        threads.add(thread);
        return thread;
    }

    /**
     * Stops {@code executor}: interrupts what runs, then waits up to five seconds for it to end
     * and a second more for every thread made here to be gone.
     */
    public void shutdown(java.util.concurrent.ExecutorService executor) {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
            join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits up to {@code millis} in all for every thread made here to end. */
    public void join(long millis) throws InterruptedException {
        long until = System.currentTimeMillis() + millis;
        for (Thread thread : threads) {
            long left = until - System.currentTimeMillis();
            if (left <= 0) {
                return;
            }
            thread.join(left);
        }
    }
}

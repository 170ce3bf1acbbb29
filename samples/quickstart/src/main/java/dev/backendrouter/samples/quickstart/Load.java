package dev.backendrouter.samples.quickstart;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongPredicate;

/**
 * Calls from a few threads, each call numbered, until {@link #stop()} or a call budget is used:
 * bounded in count and time. {@code call.test(n)} returns whether call {@code n} succeeded.
 */
final class Load implements AutoCloseable {
    static final long MAX_WAIT_MILLIS = 30_000;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong issued = new AtomicLong();
    private final AtomicLong succeeded = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final long maxCalls;
    private volatile boolean stopped;

    private Load(int threadCount, long maxCalls, LongPredicate call) {
        this.maxCalls = maxCalls;
        for (int i = 0; i < threadCount; i++) {
            Thread thread = new Thread(() -> loop(call), "tour-load-" + i);
            thread.setDaemon(true);
            threads.add(thread);
        }
    }

    static Load start(int threadCount, long maxCalls, LongPredicate call) {
        Load load = new Load(threadCount, maxCalls, call);
        load.threads.forEach(Thread::start);
        return load;
    }

    /** Runs {@code maxCalls} calls from {@code threadCount} threads and waits for them (at most {@value #MAX_WAIT_MILLIS} ms). */
    static Load run(int threadCount, long maxCalls, LongPredicate call) throws InterruptedException {
        Load load = start(threadCount, maxCalls, call);
        load.awaitShowing(() -> { });
        return load;
    }

    private void loop(LongPredicate call) {
        while (!stopped) {
            long n = issued.getAndIncrement();
            if (n >= maxCalls) {
                return;
            }
            boolean ok;
            try {
                ok = call.test(n);
            } catch (RuntimeException e) {
                ok = false;
            }
            (ok ? succeeded : failed).incrementAndGet();
        }
    }

    long succeeded() {
        return succeeded.get();
    }

    long failed() {
        return failed.get();
    }

    long done() {
        return succeeded.get() + failed.get();
    }

    boolean finished() {
        return threads.stream().noneMatch(Thread::isAlive);
    }

    /**
     * Waits for the calls to finish, running {@code progress} every 100 ms; stops them after
     * {@value #MAX_WAIT_MILLIS} ms whatever is left, so no scene can hang the tour.
     */
    void awaitShowing(Runnable progress) throws InterruptedException {
        long end = System.currentTimeMillis() + MAX_WAIT_MILLIS;
        while (!finished() && System.currentTimeMillis() < end) {
            progress.run();
            Thread.sleep(100);
        }
        stop();
    }

    /** Stops issuing calls and waits for those under way. */
    void stop() throws InterruptedException {
        stopped = true;
        for (Thread thread : threads) {
            thread.join(10_000);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}

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

    /** Runs {@code maxCalls} calls from {@code threadCount} threads and waits for them (at most 30 s). */
    static Load run(int threadCount, long maxCalls, LongPredicate call) throws InterruptedException {
        Load load = start(threadCount, maxCalls, call);
        load.await(30_000);
        load.stop();
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

    void await(long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        for (Thread thread : threads) {
            thread.join(Math.max(1, end - System.currentTimeMillis()));
        }
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

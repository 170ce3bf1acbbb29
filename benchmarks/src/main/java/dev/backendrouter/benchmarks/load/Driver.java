package dev.backendrouter.benchmarks.load;

import dev.backendrouter.benchmarks.report.Markdown;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Callers on their own threads, each call timed, until a duration has passed, a number of calls
 * was made or {@link Running#stop()} — bounded in count and time. Closed loop (each caller calls
 * again as soon as its call returns) or paced (each caller at a fixed rate; a caller that fell
 * behind skips the slots it missed rather than bursting to catch up).
 */
final class Driver {
    /** One call; {@code true} when it succeeded. A runtime exception counts as a failure. */
    interface Call {
        boolean run();
    }

    /** @param ratePerSecond calls per second over all callers, or 0 for a closed loop */
    record Load(int threads, double ratePerSecond, Duration duration, long maxCalls) {
        static Load closed(int threads, Duration duration, long maxCalls) {
            return new Load(threads, 0, duration, maxCalls);
        }

        static Load paced(int threads, double ratePerSecond, Duration duration) {
            return new Load(threads, ratePerSecond, duration, (long) Math.ceil(ratePerSecond * duration.toNanos() / 1e9) + threads);
        }

        String describe() {
            return ratePerSecond > 0 ? threads + " callers at " + Markdown.num(ratePerSecond) + " calls/s in all"
                    : threads + " callers, closed loop";
        }
    }

    private Driver() {
    }

    static Samples run(Load load, Call call) throws InterruptedException {
        return start(load, call).await();
    }

    static Running start(Load load, Call call) {
        return new Running(load, call, System.nanoTime());
    }

    /** Starts callers whose time zero is {@code origin}; paced callers wait for it, so runs started together share it. */
    static Running start(Load load, Call call, long origin) {
        return new Running(load, call, origin);
    }

    /** Callers under way. */
    static final class Running {
        private final Load load;
        private final long origin;
        private final long deadline;
        private final AtomicLong issued = new AtomicLong();
        private final List<Thread> threads = new ArrayList<>();
        private final List<Samples.Recorder> recorders = new ArrayList<>();
        private volatile boolean stopped;

        private Running(Load load, Call call, long origin) {
            this.load = load;
            this.origin = origin;
            this.deadline = origin + load.duration().toNanos();
            for (int i = 0; i < load.threads(); i++) {
                Samples.Recorder recorder = new Samples.Recorder();
                recorders.add(recorder);
                int index = i;
                Thread thread = new Thread(() -> loop(index, call, recorder), "load-caller-" + i);
                thread.setDaemon(true);
                threads.add(thread);
            }
            threads.forEach(Thread::start);
        }

        /** {@link System#nanoTime()} when the callers started: time zero of the samples. */
        long origin() {
            return origin;
        }

        private void loop(int index, Call call, Samples.Recorder recorder) {
            boolean paced = load.ratePerSecond() > 0;
            long interval = paced ? (long) (1e9 * load.threads() / load.ratePerSecond()) : 0;
            long next = origin + interval * index / Math.max(1, load.threads());
            while (!stopped && issued.getAndIncrement() < load.maxCalls()) {
                if (paced) {
                    long now = System.nanoTime();
                    if (now - next > interval) {
                        next = now;
                    }
                    while (next - System.nanoTime() > 0 && !stopped && System.nanoTime() < deadline) {
                        LockSupport.parkNanos(Math.min(next - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(50)));
                    }
                }
                long start = System.nanoTime();
                if (stopped || start >= deadline) {
                    return;
                }
                boolean ok;
                try {
                    ok = call.run();
                } catch (RuntimeException e) {
                    ok = false;
                }
                recorder.add(start - origin, System.nanoTime() - start, ok);
                next += interval;
            }
        }

        /** Stops issuing calls; calls under way finish. */
        void stop() {
            stopped = true;
        }

        /** Waits for the callers to end (the duration plus 15 s at most) and merges their samples. */
        Samples await() throws InterruptedException {
            long until = deadline + TimeUnit.SECONDS.toNanos(15);
            for (Thread thread : threads) {
                long left = until - System.nanoTime();
                if (left > 0) {
                    thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                }
            }
            stopped = true;
            for (Thread thread : threads) {
                thread.join(TimeUnit.SECONDS.toMillis(5));
                if (thread.isAlive()) {
                    throw new IllegalStateException("a caller is still running 20 s past the end of its load: " + thread.getName());
                }
            }
            return Samples.merge(recorders);
        }
    }
}

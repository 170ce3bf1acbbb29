package dev.backendrouter.router.reliability;

import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntFunction;

/**
 * Reader threads making a fixed number of calls each while a test kills, restarts or reloads
 * things under them. Every call's outcome is kept; waits are bounded, and a wait that runs out
 * fails with a thread dump (a deadlock shows there).
 */
final class Readers {
    private static final long WAIT_SECONDS = 120;

    private final AtomicReferenceArray<String> outcomes;
    private final AtomicInteger done = new AtomicInteger();
    private final ExecutorService pool;

    /** Starts {@code threads} threads making {@code calls} calls in all; call {@code n} is {@code call.apply(n)}. */
    Readers(int threads, int calls, IntFunction<String> call) {
        this.outcomes = new AtomicReferenceArray<>(calls);
        AtomicInteger next = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, r -> new Thread(r, "test-reader"));
        for (int t = 0; t < threads; t++) {
            pool.execute(() -> {
                for (int n = next.getAndIncrement(); n < calls; n = next.getAndIncrement()) {
                    String outcome;
                    try {
                        outcome = call.apply(n);
                    } catch (RuntimeException e) {
                        outcome = "undocumented " + e;
                    }
                    outcomes.set(n, outcome);
                    done.incrementAndGet();
                }
            });
        }
        pool.shutdown();
    }

    /** Waits until at least {@code calls} calls have ended. */
    void awaitDone(int calls) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (done.get() < calls) {
            if (System.nanoTime() > until) {
                fail("only " + done.get() + " of " + calls + " calls ended within " + WAIT_SECONDS + " s:\n" + threadDump());
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** The calls ended so far. */
    int done() {
        return done.get();
    }

    /** Waits for every call and returns their outcomes, in call order. */
    List<String> outcomes() throws InterruptedException {
        if (!pool.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS)) {
            pool.shutdownNow();
            fail("calls still running after " + WAIT_SECONDS + " s (a deadlock?):\n" + threadDump());
        }
        List<String> all = new ArrayList<>();
        for (int n = 0; n < outcomes.length(); n++) {
            all.add(outcomes.get(n));
        }
        return all;
    }

    /** Every thread's name, state and stack. */
    static String threadDump() {
        StringBuilder dump = new StringBuilder();
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            dump.append('"').append(thread.getName()).append("\" ").append(thread.getState()).append('\n');
            for (StackTraceElement frame : stack) {
                dump.append("    at ").append(frame).append('\n');
            }
        });
        return dump.toString();
    }
}

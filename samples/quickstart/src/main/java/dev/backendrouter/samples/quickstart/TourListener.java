package dev.backendrouter.samples.quickstart;

import dev.backendrouter.api.BackendMember;
import dev.backendrouter.router.RouterListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Collects what the router reports while a scene runs. Callbacks come on the callers' threads;
 * the scene's own thread drains {@link #news()} to print them in order.
 */
final class TourListener implements RouterListener {
    private final Queue<String> news = new ConcurrentLinkedQueue<>();
    private final Queue<String> attempts = new ConcurrentLinkedQueue<>();
    private final Queue<String> breakerStates = new ConcurrentLinkedQueue<>();
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong callAttempts = new AtomicLong();

    @Override
    public void breakerStateChanged(String backend, String from, String to) {
        breakerStates.add(backend + ":" + to);
        news.add("circuit breaker of " + backend + ": " + from + " → " + to);
    }

    @Override
    public void attemptFinished(String group, BackendMember member, String outcome, Duration duration) {
        attempts.add(member.name() + " → " + outcome + " (" + duration.toMillis() + " ms)");
    }

    @Override
    public void callFinished(String group, boolean write, String outcome, Duration duration, int attempts) {
        calls.incrementAndGet();
        callAttempts.addAndGet(attempts);
    }

    /** Lines to print since the last drain. */
    List<String> news() {
        List<String> drained = new ArrayList<>();
        for (String line; (line = news.poll()) != null; ) {
            drained.add(line);
        }
        return drained;
    }

    /** The attempts reported since the last drain, in order: {@code storage-backup → not_found (1 ms)}. */
    List<String> attempts() {
        List<String> drained = new ArrayList<>();
        for (String line; (line = attempts.poll()) != null; ) {
            drained.add(line);
        }
        return drained;
    }

    /** Whether {@code backend}'s breaker has entered {@code state} since the scene began. */
    boolean breakerWas(String backend, String state) {
        return breakerStates.contains(backend + ":" + state);
    }

    long calls() {
        return calls.get();
    }

    long callAttempts() {
        return callAttempts.get();
    }
}

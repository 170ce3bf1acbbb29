package dev.backendrouter.router.reliability;

import dev.backendrouter.api.BackendMember;
import dev.backendrouter.router.RouterListener;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** A listener that counts calls by outcome and attempts by member and outcome. */
final class Counting implements RouterListener {
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    @Override
    public void callFinished(String group, boolean write, String outcome, Duration duration, int attempts) {
        add("call " + outcome);
        add("calls");
    }

    @Override
    public void attemptFinished(String group, BackendMember member, String outcome, Duration duration) {
        add("attempt " + member.name() + " " + outcome);
        add("attempts " + member.name());
        add("attempts");
    }

    private void add(String key) {
        counts.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    /** How many times {@code key} was heard: {@code "calls"}, {@code "call failed"}, {@code "attempts fs-1"}, {@code "attempt fs-1 failed"}. */
    long count(String key) {
        LongAdder count = counts.get(key);
        return count == null ? 0 : count.sum();
    }
}

package dev.backendrouter.cli;

import dev.backendrouter.api.BackendMember;
import dev.backendrouter.router.RouterListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Hears one call's attempts, each with the reason the router moved on from it. */
final class AttemptLog implements RouterListener {

    /**
     * @param outcome {@code success}, {@code not_found}, {@code failed} or {@code final}
     * @param reason why the router moved on from this member, or {@code null}
     */
    record Entry(BackendMember member, String outcome, Duration duration, String reason) {
    }

    private final List<Entry> entries = new ArrayList<>();
    private String cache;

    @Override
    public synchronized void attemptFinished(String group, BackendMember member, String outcome, Duration duration) {
        entries.add(new Entry(member, outcome, duration, null));
    }

    /** Comes right after the failed attempt's {@link #attemptFinished}. */
    @Override
    public synchronized void failover(String group, BackendMember from, String reason) {
        for (int i = entries.size() - 1; i >= 0; i--) {
            Entry entry = entries.get(i);
            if (entry.member().equals(from) && entry.reason() == null) {
                entries.set(i, new Entry(entry.member(), entry.outcome(), entry.duration(), reason));
                return;
            }
        }
    }

    @Override
    public synchronized void cacheRead(String group, String status) {
        cache = status;
    }

    synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** What the group's caches said ({@code HIT}, {@code MISS}, ...), or {@code null} when it has none. */
    synchronized String cache() {
        return cache;
    }
}

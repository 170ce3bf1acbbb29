package dev.backendrouter.router.internal.cache;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Invalidations a cache member did not get (its breaker was open, the delete failed), by member:
 * until one is delivered, a read of its key does not ask that member — the entry it may hold is
 * older than a write — and the deletes are sent again once the member answers. Bounded: past
 * {@link #MAX_KEYS} keys per member, further ones are dropped with a log line, and those entries
 * live until their TTL.
 */
final class PendingDeletes {
    static final int MAX_KEYS = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger("dev.backendrouter.router.BackendRouter");

    private static final class Member {
        final Set<String> keys = ConcurrentHashMap.newKeySet();
        final AtomicBoolean sending = new AtomicBoolean();
        final AtomicBoolean overflowWarned = new AtomicBoolean();
    }

    private final ConcurrentMap<String, Member> byMember = new ConcurrentHashMap<>();

    /** Remembers keys whose delete did not reach the member {@code backend} (its URL). */
    void add(String backend, String name, List<String> keys) {
        Member member = byMember.computeIfAbsent(backend, b -> new Member());
        for (String key : keys) {
            if (member.keys.size() >= MAX_KEYS && !member.keys.contains(key)) {
                if (member.overflowWarned.compareAndSet(false, true)) {
                    LOG.warn("Cache member {}: more than {} invalidations could not be delivered; further entries are left "
                            + "to expire by their TTL", name, MAX_KEYS);
                }
                return;
            }
            member.keys.add(key);
        }
    }

    /** Whether a delete of {@code key} is still owed to the member: its entry must not be served. */
    boolean owed(String backend, String key) {
        Member member = byMember.get(backend);
        return member != null && member.keys.contains(key);
    }

    /**
     * The owed keys, for one sender at a time, or {@code null} when none are owed or another
     * sender has them; call {@link #sent} or {@link #notSent} after.
     */
    List<String> takeForSending(String backend) {
        Member member = byMember.get(backend);
        if (member == null || member.keys.isEmpty() || !member.sending.compareAndSet(false, true)) {
            return null;
        }
        return List.copyOf(member.keys);
    }

    void sent(String backend, List<String> keys) {
        Member member = byMember.get(backend);
        if (member != null) {
            keys.forEach(member.keys::remove);
            member.overflowWarned.set(false);
            member.sending.set(false);
        }
    }

    void notSent(String backend) {
        Member member = byMember.get(backend);
        if (member != null) {
            member.sending.set(false);
        }
    }
}

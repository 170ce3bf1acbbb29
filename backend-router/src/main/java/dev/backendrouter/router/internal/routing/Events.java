package dev.backendrouter.router.internal.routing;

import dev.backendrouter.api.BackendMember;
import dev.backendrouter.api.Problem;
import dev.backendrouter.api.Topology;
import dev.backendrouter.router.MemberHealth;
import dev.backendrouter.router.RouterListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands events to the router's listeners, each isolated from the others' failures. With no
 * listener, {@link #active()} is false and callers skip building anything.
 */
public final class Events implements RouterListener {
    private static final Logger LOG = LoggerFactory.getLogger("dev.backendrouter.router.BackendRouter");

    private final List<RouterListener> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean active;
    static final long CACHE_LOG_EVERY_NANOS = 10_000_000_000L;
    private final java.util.concurrent.ConcurrentMap<String, CacheLog> cacheLogs = new java.util.concurrent.ConcurrentHashMap<>();

    public void add(RouterListener listener) {
        listeners.add(listener);
        active = true;
    }

    /** Whether anyone listens; when not, the hot path builds no event. */
    public boolean active() {
        return active;
    }

    private void each(Consumer<RouterListener> event) {
        for (RouterListener listener : listeners) {
            try {
                event.accept(listener);
            } catch (RuntimeException e) {
                LOG.warn("A RouterListener ({}) failed; the router goes on: {}", listener.getClass().getName(), e.toString());
            }
        }
    }

    @Override
    public void callFinished(String group, boolean write, String outcome, Duration duration, int attempts) {
        each(l -> l.callFinished(group, write, outcome, duration, attempts));
    }

    @Override
    public void attemptFinished(String group, BackendMember member, String outcome, Duration duration) {
        each(l -> l.attemptFinished(group, member, outcome, duration));
    }

    @Override
    public void failover(String group, BackendMember from, String reason) {
        LOG.debug("Group {}: moving on from {} ({}): {}", group, from.name(), from.url(), reason);
        each(l -> l.failover(group, from, reason));
    }

    @Override
    public void breakerStateChanged(String backend, String from, String to) {
        LOG.info("Circuit breaker of {}: {} -> {}", backend, from, to);
        each(l -> l.breakerStateChanged(backend, from, to));
    }

    @Override
    public void healthChanged(String backend, MemberHealth from, MemberHealth to) {
        if (to == MemberHealth.UNHEALTHY) {
            LOG.warn("Health of {}: {} -> {}", backend, from, to);
        } else {
            LOG.info("Health of {}: {} -> {}", backend, from, to);
        }
        each(l -> l.healthChanged(backend, from, to));
    }

    @Override
    public void cacheRead(String group, String status) {
        each(l -> l.cacheRead(group, status));
    }

    @Override
    public void cacheMemberRead(String group, BackendMember member, String result, Duration duration) {
        if (active) {
            each(l -> l.cacheMemberRead(group, member, result, duration));
        }
    }

    /** Logged at the first failure of a member, then at most once per {@link #CACHE_LOG_EVERY_NANOS} with how many were not. */
    @Override
    public void cacheFailed(String group, BackendMember member, String operation, String reason) {
        CacheLog log = cacheLogs.computeIfAbsent(member.name(), name -> new CacheLog());
        long now = System.nanoTime();
        long last = log.lastLogged.get();
        if ((last == 0 || now - last >= CACHE_LOG_EVERY_NANOS) && log.lastLogged.compareAndSet(last, now == 0 ? 1 : now)) {
            long quiet = log.unlogged.sumThenReset();
            String meaning = switch (operation) {
                case "get" -> "reads go to the data tiers meanwhile";
                case "set" -> "the answer was not cached";
                default -> "the entries are left to expire by their TTL";
            };
            LOG.warn("Cache member {} ({}) of group {}: {} failed, {}: {}{}", member.name(),
                    dev.backendrouter.api.internal.Texts.redacted(member.url()), group, operation, meaning, reason,
                    quiet == 0 ? "" : " (" + quiet + " more failures since the last line)");
        } else {
            log.unlogged.increment();
        }
        each(l -> l.cacheFailed(group, member, operation, reason));
    }

    /** A cache member's failures between log lines, so that a cache down under load is a line every few seconds. */
    private static final class CacheLog {
        final java.util.concurrent.atomic.AtomicLong lastLogged = new java.util.concurrent.atomic.AtomicLong();
        final java.util.concurrent.atomic.LongAdder unlogged = new java.util.concurrent.atomic.LongAdder();
    }

    @Override
    public void topologyFromLastKnownGood(String source, String reason) {
        each(l -> l.topologyFromLastKnownGood(source, reason));
    }

    @Override
    public void discoveryChanged(String source, boolean connected, int endpoints, String problem) {
        each(l -> l.discoveryChanged(source, connected, endpoints, problem));
    }

    @Override
    public void topologyApplied(Topology previous, Topology current) {
        each(l -> l.topologyApplied(previous, current));
    }

    @Override
    public void topologyRejected(String source, List<Problem> problems) {
        each(l -> l.topologyRejected(source, problems));
    }
}

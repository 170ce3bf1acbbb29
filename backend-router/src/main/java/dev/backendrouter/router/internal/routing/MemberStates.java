package dev.backendrouter.router.internal.routing;

import dev.backendrouter.api.BreakerSettings;
import dev.backendrouter.router.internal.resilience.Breakers;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** One {@link MemberState} per distinct backend URL, kept across routing tables. */
public final class MemberStates {
    private final ConcurrentMap<String, MemberState> byUrl = new ConcurrentHashMap<>();
    private final Breakers breakers;
    private final Events events;

    public MemberStates(Breakers breakers, Events events) {
        this.breakers = breakers;
        this.events = events;
    }

    /**
     * The state of the backend at {@code url}. A new backend gets a fresh breaker named after
     * the member, even when an earlier backend of that name (a member that moved to another URL)
     * left one in the registry.
     */
    public MemberState forUrl(String url, String memberName, BreakerSettings breaker, java.time.Duration attemptTimeout) {
        // breaker transitions are noticed by MemberState, not by resilience4j's event publisher: with a
        // consumer registered, it builds an event object (with a timestamp) for every single call
        return byUrl.computeIfAbsent(url, u -> new MemberState(u, memberName,
                breakers.fresh(memberName, breaker, attemptTimeout), events));
    }

    /** Forgets the backends {@code table} no longer names; calls still under way keep the state they hold. */
    public void retain(RoutingTable table) {
        java.util.Set<String> urls = new java.util.HashSet<>();
        table.members().forEach(member -> urls.add(member.state().url()));
        byUrl.values().removeIf(state -> {
            boolean gone = !urls.contains(state.url());
            if (gone) {
                breakers.forget(state.breaker());
            }
            return gone;
        });
    }

    public java.util.Collection<MemberState> all() {
        return byUrl.values();
    }

    public int size() {
        return byUrl.size();
    }
}

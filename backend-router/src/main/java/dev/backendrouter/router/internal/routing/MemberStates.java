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

    /** The state of the backend at {@code url}; a new one's breaker is named after the first member seen there. */
    public MemberState forUrl(String url, String memberName, BreakerSettings breaker, java.time.Duration attemptTimeout) {
        // breaker transitions are noticed by MemberState, not by resilience4j's event publisher: with a
        // consumer registered, it builds an event object (with a timestamp) for every single call
        return byUrl.computeIfAbsent(url, u -> new MemberState(u, memberName, breakers.forBackend(memberName, breaker, attemptTimeout),
                events));
    }

    public java.util.Collection<MemberState> all() {
        return byUrl.values();
    }

    public int size() {
        return byUrl.size();
    }
}

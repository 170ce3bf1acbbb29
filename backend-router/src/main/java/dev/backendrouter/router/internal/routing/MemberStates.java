package dev.backendrouter.router.internal.routing;

import dev.backendrouter.api.BreakerSettings;
import dev.backendrouter.router.internal.resilience.Breakers;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** One {@link MemberState} per distinct backend URL, kept across routing tables. */
public final class MemberStates {
    private final ConcurrentMap<String, MemberState> byUrl = new ConcurrentHashMap<>();
    private final Breakers breakers;

    public MemberStates(Breakers breakers) {
        this.breakers = breakers;
    }

    /** The state of the backend at {@code url}; a new one's breaker is named after the first member seen there. */
    public MemberState forUrl(String url, String memberName, BreakerSettings breaker, java.time.Duration attemptTimeout) {
        return byUrl.computeIfAbsent(url, u -> new MemberState(u, breakers.forBackend(memberName, breaker, attemptTimeout)));
    }

    public java.util.Collection<MemberState> all() {
        return byUrl.values();
    }

    public int size() {
        return byUrl.size();
    }
}

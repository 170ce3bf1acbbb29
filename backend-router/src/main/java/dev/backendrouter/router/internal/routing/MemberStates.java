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
        return byUrl.computeIfAbsent(url, u -> {
            io.github.resilience4j.circuitbreaker.CircuitBreaker created = breakers.forBackend(memberName, breaker, attemptTimeout);
            created.getEventPublisher().onStateTransition(transition -> events.breakerStateChanged(memberName,
                    transition.getStateTransition().getFromState().name(), transition.getStateTransition().getToState().name()));
            return new MemberState(u, created);
        });
    }

    public java.util.Collection<MemberState> all() {
        return byUrl.values();
    }

    public int size() {
        return byUrl.size();
    }
}

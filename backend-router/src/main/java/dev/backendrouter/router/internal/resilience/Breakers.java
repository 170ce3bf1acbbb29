package dev.backendrouter.router.internal.resilience;

import dev.backendrouter.api.BreakerSettings;
import dev.backendrouter.router.Ticker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowSynchronizationStrategy;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Duration;

/**
 * Creates the per-backend circuit breakers in one registry the application can read. Defaults are
 * chosen for routing (see docs/resilience.md): a breaker must notice a dead backend within a
 * couple of dozen calls, not resilience4j's default hundred.
 */
public final class Breakers {
    // A 20-attempt window opened on the noise of a backend failing 20% of requests (10 failures in 20 comes
    // up within a few thousand attempts); at 50 it takes about a million, and a dead backend still trips it
    // within 25 failed attempts.
    public static final int WINDOW = 50;
    public static final int MINIMUM_CALLS = 20;
    public static final float FAILURE_RATE = 50f;
    public static final Duration OPEN_FOR = Duration.ofSeconds(10);
    public static final int HALF_OPEN_CALLS = 3;

    private final CircuitBreakerRegistry registry;
    private final CircuitBreakerConfig config;

    /**
     * @param registry the registry to create breakers in, or {@code null} for a new one
     * @param config the breaker settings, or {@code null} for the routing defaults
     * @param attemptTimeout calls slower than this count as slow
     */
    public Breakers(CircuitBreakerRegistry registry, CircuitBreakerConfig config, Duration attemptTimeout, Ticker ticker) {
        this.config = config != null ? config : defaults(attemptTimeout, ticker);
        this.registry = registry != null ? registry : CircuitBreakerRegistry.of(this.config);
    }

    /** The routing defaults, on the router's clock. */
    public static CircuitBreakerConfig defaults(Duration attemptTimeout, Ticker ticker) {
        return CircuitBreakerConfig.custom()
                // resilience4j's LOCK_FREE window allocates a snapshot (~250 bytes) per recorded attempt; the
                // synchronized one allocates nothing, and its lock is per backend, held for a few nanoseconds
                .slidingWindow(WINDOW, MINIMUM_CALLS, SlidingWindowType.COUNT_BASED, SlidingWindowSynchronizationStrategy.SYNCHRONIZED)
                .failureRateThreshold(FAILURE_RATE)
                .slowCallDurationThreshold(attemptTimeout)
                .slowCallRateThreshold(FAILURE_RATE)
                .waitDurationInOpenState(OPEN_FOR)
                .permittedNumberOfCallsInHalfOpenState(HALF_OPEN_CALLS)
                .writableStackTraceEnabled(false)
                .clock(new TickerClock(ticker))
                .build();
    }

    /** A new breaker for a backend, replacing any breaker of that name left by a backend that is gone. */
    public CircuitBreaker fresh(String name, BreakerSettings settings, Duration memberAttemptTimeout) {
        registry.remove(name);
        return forBackend(name, settings, memberAttemptTimeout);
    }

    /** Removes a breaker from the registry, if the registry still holds that very breaker. */
    public void forget(CircuitBreaker breaker) {
        registry.find(breaker.getName()).filter(held -> held == breaker).ifPresent(held -> registry.remove(held.getName()));
    }

    /**
     * The breaker for one backend; the same instance for the same name. Settings from the
     * topology override the router's; where they set nothing, the router's apply. A member with
     * its own attempt timeout counts attempts slower than that one as slow.
     */
    public CircuitBreaker forBackend(String name, BreakerSettings settings, Duration memberAttemptTimeout) {
        if (settings.isEmpty() && memberAttemptTimeout == null) {
            return registry.circuitBreaker(name, config);
        }
        CircuitBreakerConfig.Builder custom = CircuitBreakerConfig.from(config);
        if (memberAttemptTimeout != null) {
            custom.slowCallDurationThreshold(memberAttemptTimeout);
        }
        int window = settings.window() != null ? settings.window() : config.getSlidingWindowSize();
        int minimum = settings.minimumCalls() != null ? settings.minimumCalls()
                : Math.min(config.getMinimumNumberOfCalls(), window);
        custom.slidingWindow(window, minimum, config.getSlidingWindowType(), config.getSlidingWindowSynchronizationStrategy());
        if (settings.failureRate() != null) {
            custom.failureRateThreshold(settings.failureRate()).slowCallRateThreshold(settings.failureRate());
        }
        if (settings.openFor() != null) {
            custom.waitDurationInOpenState(settings.openFor());
        }
        if (settings.halfOpenCalls() != null) {
            custom.permittedNumberOfCallsInHalfOpenState(settings.halfOpenCalls());
        }
        return registry.circuitBreaker(name, custom.build());
    }

    public CircuitBreakerRegistry registry() {
        return registry;
    }
}

package dev.backendrouter.api;

import java.time.Duration;

/**
 * Circuit breaker settings from a topology, for all members ({@code defaults.circuitBreaker})
 * or one ({@code circuitBreaker} on a member). A {@code null} field inherits: from the
 * topology's defaults, then from the router's settings.
 *
 * <pre>{@code
 * new BreakerSettings(null, null, null, Duration.ofSeconds(30), null)   // only stay open longer
 * }</pre>
 *
 * @param window how many recent attempts the failure rate is computed over
 * @param minimumCalls attempts needed in the window before the breaker may open
 * @param failureRate percentage (1-100) of failed or slow attempts that opens the breaker
 * @param openFor how long an open breaker refuses attempts before letting probes through
 * @param halfOpenCalls probe attempts let through when half open
 */
public record BreakerSettings(Integer window, Integer minimumCalls, Integer failureRate, Duration openFor,
        Integer halfOpenCalls) {

    /** Nothing set: everything inherits. */
    public static final BreakerSettings INHERIT = new BreakerSettings(null, null, null, null, null);

    /** These settings with {@code over}'s non-null fields winning. */
    public BreakerSettings overriddenBy(BreakerSettings over) {
        return new BreakerSettings(
                over.window != null ? over.window : window,
                over.minimumCalls != null ? over.minimumCalls : minimumCalls,
                over.failureRate != null ? over.failureRate : failureRate,
                over.openFor != null ? over.openFor : openFor,
                over.halfOpenCalls != null ? over.halfOpenCalls : halfOpenCalls);
    }

    /** Whether every field inherits. */
    public boolean isEmpty() {
        return equals(INHERIT);
    }
}

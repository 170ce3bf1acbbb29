package dev.backendrouter.router;

import java.time.Duration;
import java.util.Objects;

/**
 * Hedged reads (opt-in): when the first attempt of a read has not answered after a delay, a
 * second attempt goes to another member of the plan; the first good answer wins and the other
 * attempt is cancelled (its response closed). Hedges count against the retry budget, so they
 * cannot double the load on a slow backend.
 *
 * <pre>{@code
 * BackendRouter.builder().hedging(Hedging.after(Duration.ofMillis(50)))          // a fixed delay
 * BackendRouter.builder().hedging(Hedging.atPercentile(95, Duration.ofMillis(5))) // the reads' p95, at least 5 ms
 * }</pre>
 *
 * Writes are never hedged. A hedged read runs its attempts on the router's hedging threads while
 * the caller waits.
 */
public final class Hedging {
    private static final Hedging OFF = new Hedging(null, 0, null);

    private final Duration fixedDelay;
    private final double percentile;
    private final Duration minimumDelay;

    private Hedging(Duration fixedDelay, double percentile, Duration minimumDelay) {
        this.fixedDelay = fixedDelay;
        this.percentile = percentile;
        this.minimumDelay = minimumDelay;
    }

    /** No hedging: the default. */
    public static Hedging off() {
        return OFF;
    }

    /** Hedge a read that has not answered after {@code delay}. */
    public static Hedging after(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative() || delay.isZero()) {
            throw new IllegalArgumentException("the hedging delay must be positive, was " + delay);
        }
        return new Hedging(delay, 0, null);
    }

    /**
     * Hedge a read that has taken longer than the given percentile (50 to 99.9) of recent read
     * attempts, but never sooner than {@code minimumDelay}; until enough reads were seen, the
     * minimum delay applies.
     */
    public static Hedging atPercentile(double percentile, Duration minimumDelay) {
        Objects.requireNonNull(minimumDelay, "minimumDelay");
        if (percentile < 50 || percentile > 99.9) {
            throw new IllegalArgumentException("the hedging percentile must be within 50-99.9, was " + percentile);
        }
        if (minimumDelay.isNegative() || minimumDelay.isZero()) {
            throw new IllegalArgumentException("the minimum hedging delay must be positive, was " + minimumDelay);
        }
        return new Hedging(null, percentile, minimumDelay);
    }

    public boolean enabled() {
        return this != OFF;
    }

    /** The fixed delay, or {@code null} when the delay follows a percentile. */
    public Duration fixedDelay() {
        return fixedDelay;
    }

    /** The percentile of recent read latencies, or 0 for a fixed delay. */
    public double percentile() {
        return percentile;
    }

    /** The least delay of a percentile hedge, or {@code null} for a fixed delay. */
    public Duration minimumDelay() {
        return minimumDelay;
    }

    @Override
    public String toString() {
        return !enabled() ? "Hedging[off]" : fixedDelay != null ? "Hedging[after " + fixedDelay + "]"
                : "Hedging[p" + percentile + ", at least " + minimumDelay + "]";
    }
}

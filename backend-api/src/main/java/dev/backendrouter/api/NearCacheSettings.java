package dev.backendrouter.api;

import java.time.Duration;

/**
 * A group's near cache: answers kept in the calling service's memory (Caffeine), per group.
 *
 * <pre>{@code
 * new NearCacheSettings(10_000, Duration.ofMinutes(5), Duration.ofMinutes(1))
 * }</pre>
 *
 * @param maxSize the most answers kept; {@code null} means {@value #DEFAULT_MAX_SIZE}
 * @param ttl how long an answer is served without asking a backend; {@code null} means 5 minutes.
 *     A backend's {@code Cache-Control: max-age} shortens it for that answer
 * @param staleIfError how long past its TTL an answer may still be served, marked stale, when
 *     every backend fails; {@code null} or zero means never
 */
public record NearCacheSettings(Integer maxSize, Duration ttl, Duration staleIfError) {
    public static final int DEFAULT_MAX_SIZE = 10_000;
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(5);

    /** The size bound in force. */
    public int effectiveMaxSize() {
        return maxSize != null ? maxSize : DEFAULT_MAX_SIZE;
    }

    /** The TTL in force. */
    public Duration effectiveTtl() {
        return ttl != null ? ttl : DEFAULT_TTL;
    }

    /** The stale-if-error window in force (zero when off). */
    public Duration effectiveStaleIfError() {
        return staleIfError != null ? staleIfError : Duration.ZERO;
    }
}

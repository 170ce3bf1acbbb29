package dev.backendrouter.router;

/**
 * A cached generic read's value and where it came from.
 *
 * <pre>{@code
 * CacheRead<User> read = router.group("users").readCached(key, CallOptions.defaults().withCacheKey("user:alice"), call);
 * if (read.stale()) {
 *     log.warn("every users backend failed; served a stale copy");
 * }
 * }</pre>
 *
 * @param value the value
 * @param source {@code HIT} (near cache), {@code MISS} (a backend or the cache store),
 *     {@code STALE} (an expired copy, because every backend failed) or {@code BYPASS} (not cached)
 */
public record CacheRead<T>(T value, String source) {

    /** Whether the value is an expired copy, served because every backend failed. */
    public boolean stale() {
        return "STALE".equals(source);
    }
}

package dev.backendrouter.router;

import java.time.Duration;
import java.util.Objects;

/**
 * Options of one call. Immutable; each {@code with...} returns a changed copy, so common options
 * can be kept in a constant.
 *
 * <pre>{@code
 * CallOptions fresh = CallOptions.defaults()
 *     .withReadPreference(ReadPreference.PRIMARY)
 *     .withDeadline(Duration.ofMillis(500));
 * router.group("users").read(key, fresh, member -> ...);
 * router.group("users").read(key, CallOptions.defaults().withCacheKey("user:alice"), member -> ...);   // cached
 *
 * // over HTTP, as a request tag
 * new Request.Builder().url("http://users/u/alice").tag(CallOptions.class, fresh).build();
 * }</pre>
 *
 * @param readPreference where reads go first; {@code null} means the router's default
 * @param deadline the most the whole call may take, over every attempt; {@code null} means none
 * @param idempotent whether a failed write may be sent again; {@code null} means by the kind of
 *     call (HTTP PUT and DELETE are, POST and PATCH are not unless they carry an
 *     {@code Idempotency-Key}; generic writes are not)
 * @param noCache whether to skip the caches for this call
 * @param cacheKey for generic calls: the key the answer is cached under (near cache, cache
 *     store, cache members) and that a write invalidates; {@code null} means the call is not cached
 * @param cacheType for generic calls: the type a value read from a shared cache member
 *     ({@code redis://}) is decoded as; {@code null} for a {@code String}, number or boolean
 */
public record CallOptions(ReadPreference readPreference, Duration deadline, Boolean idempotent, boolean noCache,
        String cacheKey, Class<?> cacheType) {
    private static final CallOptions DEFAULTS = new CallOptions(null, null, null, false, null, null);

    public CallOptions {
        if (deadline != null && (deadline.isNegative() || deadline.isZero())) {
            throw new IllegalArgumentException("deadline must be positive, was " + deadline);
        }
    }

    /** No option set: the router's defaults apply. */
    public static CallOptions defaults() {
        return DEFAULTS;
    }

    public CallOptions withReadPreference(ReadPreference readPreference) {
        return new CallOptions(Objects.requireNonNull(readPreference, "readPreference"), deadline, idempotent, noCache, cacheKey, cacheType);
    }

    public CallOptions withDeadline(Duration deadline) {
        return new CallOptions(readPreference, Objects.requireNonNull(deadline, "deadline"), idempotent, noCache, cacheKey, cacheType);
    }

    public CallOptions withIdempotent(boolean idempotent) {
        return new CallOptions(readPreference, deadline, idempotent, noCache, cacheKey, cacheType);
    }

    /** Skip the caches: no near cache, no cache tier, and nothing written to them. */
    public CallOptions withNoCache(boolean noCache) {
        return new CallOptions(readPreference, deadline, idempotent, noCache, cacheKey, cacheType);
    }

    /** Caches a generic read under this key, or makes a generic write invalidate it. */
    public CallOptions withCacheKey(String cacheKey) {
        return new CallOptions(readPreference, deadline, idempotent, noCache, Objects.requireNonNull(cacheKey, "cacheKey"), cacheType);
    }

    /**
     * Caches a generic read under this key, its value of this type: what a shared cache member
     * ({@code redis://}) holds is decoded as {@code type} by the router's {@link CacheCodec}. Give
     * the type for any value that is not a {@code String}, number or boolean.
     */
    public CallOptions withCacheKey(String cacheKey, Class<?> type) {
        return new CallOptions(readPreference, deadline, idempotent, noCache, Objects.requireNonNull(cacheKey, "cacheKey"),
                Objects.requireNonNull(type, "type"));
    }
}

package dev.backendrouter.router;

import java.time.Duration;
import java.util.Optional;

/**
 * A cache tier that is not an HTTP member — a Redis or Memcached client, say — for the generic
 * API's cached reads ({@link CallOptions#withCacheKey}). Asked after the near cache and before
 * the data tiers; written in the background after a miss; invalidated by writes. A failure of
 * the store is a miss, never a failed read.
 *
 * <pre>{@code
 * CacheStore redis = new CacheStore() {
 *     public Optional<Object> get(String key) {
 *         return Optional.ofNullable(jedis.get(key)).map(json -> mapper.readValue(json, User.class));
 *     }
 *     public void put(String key, Object value, Duration ttl) {
 *         jedis.setex(key, ttl.toSeconds(), mapper.writeValueAsString(value));
 *     }
 *     public void invalidate(String key) {
 *         jedis.del(key);
 *     }
 * };
 * BackendRouter.builder().topology(source).cacheStore("users", redis).build();
 * }</pre>
 */
public interface CacheStore {

    /** The value held for {@code key}, if any. */
    Optional<Object> get(String key) throws Exception;

    /** Keeps {@code value} for {@code key} for about {@code ttl}. Called off the caller's thread. */
    void put(String key, Object value, Duration ttl) throws Exception;

    /** Forgets {@code key}. */
    void invalidate(String key) throws Exception;
}

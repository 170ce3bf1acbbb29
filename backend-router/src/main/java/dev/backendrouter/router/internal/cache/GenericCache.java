package dev.backendrouter.router.internal.cache;

import dev.backendrouter.api.NotFoundException;
import dev.backendrouter.api.RoutingKey;
import dev.backendrouter.router.CacheStore;
import dev.backendrouter.router.CallOptions;
import dev.backendrouter.router.ReadPreference;
import java.util.Optional;
import java.util.function.Function;

/**
 * Cache-first generic reads under an explicit cache key: the near cache, then the group's
 * {@link CacheStore}, then the backends; and invalidation when a write names the key.
 */
public final class GenericCache {
    private final Caches caches;

    public GenericCache(Caches caches) {
        this.caches = caches;
    }

    /** Whether reads of this group need this class at all; otherwise they go straight to the backends. */
    public boolean involved(String group, boolean mayServeOldAnswers, CallOptions options) {
        return options.cacheKey() != null || caches.readYourWritesOn() && mayServeOldAnswers;
    }

    /**
     * Reads through the caches; {@code backends} runs the call through the attempt loop with the
     * options it is given.
     */
    public NearCache.Read read(String group, RoutingKey key, CallOptions options, Function<CallOptions, Object> backends) {
        CacheStats stats = caches.stats(group);
        String cacheKey = options.cacheKey();
        if (caches.recentWrites().mayHoldAny() && caches.recentWrites().recentlyWritten(writeKey(group, key, cacheKey))) {
            stats.bypassed();
            return new NearCache.Read(backends.apply(options.readPreference() == null
                    ? options.withReadPreference(ReadPreference.PRIMARY) : options), CacheStatus.BYPASS);
        }
        NearCache near = caches.near(group);
        CacheStore store = caches.store(group);
        if (cacheKey == null || options.noCache() || near == null && store == null) {
            if (cacheKey != null) {
                stats.bypassed();
            }
            return new NearCache.Read(backends.apply(options), CacheStatus.BYPASS);
        }
        NearCache.Read read;
        if (near == null) {
            stats.miss();
            read = new NearCache.Read(load(group, cacheKey, store, options, backends, stats).value(), CacheStatus.MISS);
        } else {
            read = near.read(cacheKey, () -> load(group, cacheKey, store, options, backends, stats));
        }
        caches.heard(group, read.status());
        if (read.value() instanceof NotFound notFound) {
            throw notFound.exception();
        }
        return read;
    }

    /** A not-found answer travels through the near cache as a value: it is an answer, not a failure to hide with a stale copy. */
    private record NotFound(NotFoundException exception) {
    }

    private NearCache.Loaded load(String group, String cacheKey, CacheStore store, CallOptions options,
            Function<CallOptions, Object> backends, CacheStats stats) {
        Generation writes = caches.writes(group);
        long generation = writes.current();
        if (store != null) {
            try {
                Optional<Object> held = store.get(cacheKey);
                if (held.isPresent()) {
                    stats.tierHit();
                    return new NearCache.Loaded(held.get(), true, Long.MAX_VALUE, false, 0);
                }
            } catch (Exception e) {
                // a failing cache store is a miss, never a failed read
            }
            stats.tierMiss();
        }
        Object value;
        try {
            value = backends.apply(options);
        } catch (NotFoundException e) {
            return new NearCache.Loaded(new NotFound(e), false, 0, false, 0);
        }
        if (store != null) {
            caches.populator().submit(() -> {
                if (writes.current() != generation) {
                    return false;   // a write landed meanwhile: this value may be older than it
                }
                try {
                    store.put(cacheKey, value, caches.ttl(group));
                    return true;
                } catch (Exception e) {
                    return false;   // best effort: the next miss writes it again
                }
            }, stats);
        }
        return new NearCache.Loaded(value, true, Long.MAX_VALUE, false, 0);
    }

    /** After a successful write: forget the key in the near cache and the store, remember it for read-your-writes. */
    public void written(String group, RoutingKey key, CallOptions options, boolean mayServeOldAnswers) {
        String cacheKey = options.cacheKey();
        if (cacheKey == null && !mayServeOldAnswers) {
            return;
        }
        caches.writes(group).advance();
        caches.recentWrites().wrote(writeKey(group, key, cacheKey));
        if (cacheKey == null) {
            return;
        }
        NearCache near = caches.near(group);
        if (near != null) {
            near.invalidate(cacheKey::equals);
        }
        CacheStore store = caches.store(group);
        if (store != null) {
            try {
                store.invalidate(cacheKey);
            } catch (Exception e) {
                // best effort; read-your-writes covers the writer meanwhile
            }
        }
    }

    private static String writeKey(String group, RoutingKey key, String cacheKey) {
        return group + "|" + (cacheKey != null ? "c:" + cacheKey : key == null ? "" : "k:" + key.normalized());
    }
}

package dev.backendrouter.router.internal.cache;

import dev.backendrouter.api.NotFoundException;
import dev.backendrouter.api.RoutingKey;
import dev.backendrouter.router.CacheStore;
import dev.backendrouter.router.CallOptions;
import dev.backendrouter.router.ReadPreference;
import dev.backendrouter.router.internal.routing.GroupRoute;
import dev.backendrouter.router.internal.routing.MemberRef;
import dev.backendrouter.router.internal.routing.ShardRoute;
import dev.backendrouter.router.internal.routing.Tier;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cache-first generic reads under an explicit cache key: the near cache, then the group's
 * {@link CacheStore} or else the shard's cache members served by a connector ({@code redis://}),
 * then the backends; and invalidation when a write names the key.
 */
public final class GenericCache {
    private static final Logger LOG = LoggerFactory.getLogger(GenericCache.class);

    private final Caches caches;
    private final Set<String> unkeptWarned = ConcurrentHashMap.newKeySet();

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
    public NearCache.Read read(GroupRoute route, RoutingKey key, CallOptions options, Function<CallOptions, Object> backends) {
        String group = route.name();
        CacheStats stats = caches.stats(group);
        String cacheKey = options.cacheKey();
        if (caches.recentWrites().mayHoldAny() && caches.recentWrites().recentlyWritten(writeKey(group, key, cacheKey))) {
            stats.bypassed();
            return new NearCache.Read(backends.apply(options.readPreference() == null
                    ? options.withReadPreference(ReadPreference.PRIMARY) : options), CacheStatus.BYPASS);
        }
        NearCache near = caches.near(group);
        CacheStore store = caches.store(group);
        boolean members = store == null && route.hasConnectorCacheTier();
        if (cacheKey == null || options.noCache() || near == null && store == null && !members) {
            if (cacheKey != null) {
                stats.bypassed();
            }
            return new NearCache.Read(backends.apply(options), CacheStatus.BYPASS);
        }
        ShardRoute shardRoute = members || route.isSharded() ? route.route(key) : null;
        ShardRoute shard = members ? shardRoute : null;
        // one entry (and one load under way) per shard, key and type: a reader never gets another shard's value, nor another type
        String nearKey = nearPrefix(route, shardRoute, cacheKey) + (options.cacheType() == null ? "" : options.cacheType().getName());
        NearCache.Read read = caches.loads(group).read(nearKey, () -> load(group, shard, cacheKey, store, options, backends, stats));
        caches.heard(group, read.status());
        if (read.value() instanceof NotFound notFound) {
            throw notFound.exception();
        }
        return read;
    }

    /** A not-found answer travels through the near cache as a value: it is an answer, not a failure to hide with a stale copy. */
    private record NotFound(NotFoundException exception) {
    }

    private NearCache.Loaded load(String group, ShardRoute shard, String cacheKey, CacheStore store, CallOptions options,
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
        String memberKey = shard == null ? null : CacheKeys.value(caches.service(), group, shard.shard(), cacheKey);
        if (shard != null && shard.cacheTiers().length > 0) {
            Object held = askMembers(group, shard, memberKey, options.cacheType());
            if (held != null) {
                stats.tierHit();
                return new NearCache.Loaded(held, true, Long.MAX_VALUE, false, 0);
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
        } else if (shard != null && value != null) {
            populateMembers(group, shard, memberKey, value, options.cacheType(), writes, generation, stats);
        }
        return new NearCache.Loaded(value, true, Long.MAX_VALUE, false, 0);
    }

    private Object askMembers(String group, ShardRoute shard, String memberKey, Class<?> type) {
        for (Tier tier : shard.cacheTiers()) {
            MemberRef member = tier.pickForCache(caches.random());
            if (member == null || member.cache() == null) {
                continue;
            }
            Object held = caches.remote().get(group, member, memberKey, bytes -> {
                Object decoded = ValueEnvelope.decode(caches.codec(), bytes, type);
                return decoded == ValueEnvelope.OTHER_TYPE ? null : decoded;
            });
            if (held != null) {
                return held;
            }
        }
        return null;
    }

    private void populateMembers(String group, ShardRoute shard, String memberKey, Object value, Class<?> type,
            Generation writes, long generation, CacheStats stats) {
        byte[] bytes;
        try {
            bytes = ValueEnvelope.encode(caches.codec(), value, type);
        } catch (ValueEnvelope.NotKept e) {
            if (unkeptWarned.add(group + "|" + value.getClass().getName())) {
                LOG.warn("Group {}: values under cache keys are not written to its cache members: {}", group, e.getMessage());
            }
            return;
        } catch (Exception e) {
            LOG.warn("Group {}: the cache codec ({}) cannot encode a {}, so it is not cached: {}", group, caches.codec(),
                    value.getClass().getName(), e.toString());
            return;
        }
        if (bytes.length > caches.valueLimit()) {
            stats.tooLarge();
            return;
        }
        Duration ttl = caches.ttl(group);
        for (Tier tier : shard.cacheTiers()) {
            MemberRef member = tier.pickForCache(caches.random());
            if (member != null && member.cache() != null) {
                caches.populator().submit(() -> caches.remote().setUnlessWritten(group, member, memberKey, bytes, ttl, writes,
                        generation), stats);
            }
        }
    }

    /** After a successful write: forget the key in the near cache, the store and the cache members, remember it for read-your-writes. */
    public void written(GroupRoute route, RoutingKey key, CallOptions options) {
        String group = route.name();
        String cacheKey = options.cacheKey();
        if (cacheKey == null && !route.mayServeOldAnswers()) {
            return;
        }
        caches.writes(group).advance();
        caches.recentWrites().wrote(writeKey(group, key, cacheKey));
        if (cacheKey == null) {
            return;
        }
        String prefix = nearPrefix(route, route.isSharded() || route.hasConnectorCacheTier() ? route.route(key) : null, cacheKey);
        caches.loads(group).invalidate(k -> k.startsWith(prefix));
        CacheStore store = caches.store(group);
        if (store != null) {
            try {
                store.invalidate(cacheKey);
            } catch (Exception e) {
                // best effort; read-your-writes covers the writer meanwhile
            }
        } else if (route.hasConnectorCacheTier()) {
            ShardRoute shard = route.route(key);
            List<String> keys = List.of(CacheKeys.value(caches.service(), group, shard.shard(), cacheKey));
            for (Tier tier : shard.cacheTiers()) {
                for (MemberRef member : tier.members()) {
                    if (member.cache() != null) {
                        caches.remote().delete(group, member, keys);
                    }
                }
            }
        }
    }

    /** The start of the near-cache keys of {@code cacheKey}: its shard, the key, then the type's name. */
    private static String nearPrefix(GroupRoute route, ShardRoute shard, String cacheKey) {
        return (route.isSharded() && shard != null ? shard.label() : "") + '\u0000' + cacheKey + '\u0000';
    }

    private static String writeKey(String group, RoutingKey key, String cacheKey) {
        return group + "|" + (cacheKey != null ? "c:" + cacheKey : key == null ? "" : "k:" + key.normalized());
    }
}

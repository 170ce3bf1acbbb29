package dev.backendrouter.router.internal.cache;

import dev.backendrouter.api.BackendGroup;
import dev.backendrouter.api.NearCacheSettings;
import dev.backendrouter.api.Topology;
import dev.backendrouter.router.CacheCodec;
import dev.backendrouter.router.CacheStore;
import dev.backendrouter.router.Ticker;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every group's near cache and counts, the cache stores, cache members served by a connector,
 * read-your-writes and the background writer.
 */
public final class Caches implements AutoCloseable {
    private final Ticker ticker;
    private final Map<String, NearCacheSettings> nearOverrides;
    private final Map<String, CacheStore> stores;
    private final Map<String, NearCache> near = new ConcurrentHashMap<>();
    private final Map<String, NearCache> coalescing = new ConcurrentHashMap<>();
    private final Map<String, CacheStats> stats = new ConcurrentHashMap<>();
    private final Map<String, Generation> writes = new ConcurrentHashMap<>();
    private final RecentWrites recentWrites;
    private final Populator populator;
    private final Duration tierTimeout;
    private final dev.backendrouter.router.internal.routing.Events events;
    private final String service;
    private final RemoteCache remote;
    private final CacheCodec codec;
    private final int valueLimit;
    private final java.util.random.RandomGenerator random;

    /**
     * @param nearOverrides near caches set on the builder, by group, over the topology's
     * @param stores cache stores by group, for generic reads
     */
    public Caches(Topology topology, Ticker ticker, Map<String, NearCacheSettings> nearOverrides,
            Map<String, CacheStore> stores, Duration readYourWrites, Duration tierTimeout, int populateQueue,
            dev.backendrouter.router.internal.routing.Events events, RemoteCache remote, CacheCodec codec, int valueLimit,
            java.util.random.RandomGenerator random) {
        this.random = random;
        this.events = events;
        this.service = topology.service();
        this.remote = remote;
        this.codec = codec;
        this.valueLimit = valueLimit;
        this.ticker = ticker;
        this.nearOverrides = Map.copyOf(nearOverrides);
        this.stores = Map.copyOf(stores);
        this.recentWrites = new RecentWrites(readYourWrites, ticker);
        this.populator = new Populator(topology.service(), populateQueue);
        this.tierTimeout = tierTimeout;
        nearOverrides.keySet().forEach(group -> requireGroup(topology, group, "nearCache"));
        stores.keySet().forEach(group -> requireGroup(topology, group, "cacheStore"));
        for (BackendGroup group : topology.groups()) {
            NearCacheSettings settings = nearOverrides.getOrDefault(group.name(), group.nearCache());
            if (settings != null) {
                near.put(group.name(), new NearCache(settings, ticker, stats(group.name()), writes(group.name())));
            }
        }
    }

    private static void requireGroup(Topology topology, String group, String setting) {
        if (topology.group(group).isEmpty()) {
            throw new IllegalArgumentException(setting + "(\"" + group + "\", ...): the topology has no such group; its groups are "
                    + topology.groups().stream().map(BackendGroup::name).toList());
        }
    }

    /**
     * Follows a new topology: a group that gained a near cache (or whose settings changed) gets a
     * new one, a group that lost it or left the topology drops it. Builder settings still win.
     */
    public synchronized void apply(Topology topology) {
        Map<String, NearCacheSettings> wanted = new java.util.HashMap<>();
        for (BackendGroup group : topology.groups()) {
            NearCacheSettings settings = nearOverrides.getOrDefault(group.name(), group.nearCache());
            if (settings != null) {
                wanted.put(group.name(), settings);
            }
        }
        near.keySet().removeIf(group -> !wanted.containsKey(group));
        wanted.forEach((group, settings) -> {
            NearCache existing = near.get(group);
            if (existing == null || !existing.settings().equals(settings)) {
                near.put(group, new NearCache(settings, ticker, stats(group), writes(group)));
            }
        });
    }

    /** The group's near cache, or {@code null} when it has none. */
    public NearCache near(String group) {
        return near.get(group);
    }

    /** The group's near cache, or else its coalescing-only loads: for groups with cache members. */
    public NearCache loads(String group) {
        NearCache cache = near.get(group);
        return cache != null ? cache : coalescing.computeIfAbsent(group,
                g -> NearCache.coalescingOnly(ticker, stats(g), writes(g)));
    }

    /** The service whose keys these are: {@code br:{service}:...}. */
    public String service() {
        return service;
    }

    /** Operations on cache members served by a connector. */
    public RemoteCache remote() {
        return remote;
    }

    /** How generic values become bytes on a shared cache member. */
    public CacheCodec codec() {
        return codec;
    }

    /** The random source that picks a member of a cache tier. */
    public java.util.random.RandomGenerator random() {
        return random;
    }

    /** The largest value written to a shared cache member, in bytes. */
    public int valueLimit() {
        return valueLimit;
    }

    /** The group's write count, for loads that must not cache over a write. */
    public Generation writes(String group) {
        return writes.computeIfAbsent(group, g -> new Generation());
    }

    public CacheStats stats(String group) {
        return stats.computeIfAbsent(group, g -> new CacheStats());
    }

    /** The group's cache store, or {@code null}. */
    public CacheStore store(String group) {
        return stores.get(group);
    }

    /** Whether reads after a write skip caches and replicas for a while. */
    public boolean readYourWritesOn() {
        return recentWrites.enabled();
    }

    public RecentWrites recentWrites() {
        return recentWrites;
    }

    public Populator populator() {
        return populator;
    }

    /** How long a cache-tier read may take before it counts as a miss. */
    public Duration tierTimeout() {
        return tierTimeout;
    }

    public Ticker ticker() {
        return ticker;
    }

    /** Tells the listeners where a cached group's read was answered from. */
    public void heard(String group, CacheStatus status) {
        if (events.active()) {
            events.cacheRead(group, status.name());
        }
    }

    /** The default TTL of answers written to a cache tier or store. */
    public Duration ttl(String group) {
        NearCache cache = near.get(group);
        return cache != null ? cache.ttl() : NearCacheSettings.DEFAULT_TTL;
    }

    @Override
    public void close() {
        populator.close();
    }
}

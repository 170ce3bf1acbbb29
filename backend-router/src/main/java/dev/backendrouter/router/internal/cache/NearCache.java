package dev.backendrouter.router.internal.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.backendrouter.api.NearCacheSettings;
import dev.backendrouter.router.Ticker;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One group's near cache: answers in memory (Caffeine, on the router's ticker) with a TTL each
 * and an optional stale-if-error window, and one load at a time per key — concurrent misses for
 * a key wait for the one call already under way.
 */
public final class NearCache {
    /**
     * A value to cache (or not): whether it is a failure that a stale answer may replace, and
     * whether callers waiting on the same key may share it (a streamed body cannot be shared).
     */
    public record Loaded(Object value, boolean cacheable, long ttlNanos, boolean failed, boolean shareable) {
    }

    /** What a read got, and from where. */
    public record Read(Object value, CacheStatus status) {
    }

    private record Entry(Object value, long freshUntil, long staleUntil) {
    }

    private final Ticker ticker;
    private final long ttlNanos;
    private final long staleNanos;
    private final Cache<String, Entry> entries;
    private final ConcurrentMap<String, CompletableFuture<Loaded>> loading = new ConcurrentHashMap<>();
    private final CacheStats stats;

    public NearCache(NearCacheSettings settings, Ticker ticker, CacheStats stats) {
        this.ticker = ticker;
        this.ttlNanos = settings.effectiveTtl().toNanos();
        this.staleNanos = settings.effectiveStaleIfError().toNanos();
        this.stats = stats;
        this.entries = Caffeine.newBuilder()
                .maximumSize(settings.effectiveMaxSize())
                .ticker(ticker::nanoTime)
                .expireAfter(Expiry.<String, Entry>writing((key, entry) -> java.time.Duration.ofNanos(Math.max(0, entry.staleUntil() - ticker.nanoTime()))))
                .build();
    }

    /**
     * A fresh answer from memory, or the one under way for this key, or a new load. When the
     * load fails and an answer inside its stale-if-error window is held, that answer is served,
     * marked {@link CacheStatus#STALE}.
     */
    public Read read(String key, Supplier<Loaded> loader) {
        long now = ticker.nanoTime();
        Entry held = entries.getIfPresent(key);
        if (held != null && now < held.freshUntil()) {
            stats.hit();
            return new Read(held.value(), CacheStatus.HIT);
        }
        CompletableFuture<Loaded> mine = new CompletableFuture<>();
        CompletableFuture<Loaded> underWay = loading.putIfAbsent(key, mine);
        if (underWay != null) {
            Loaded shared = joined(underWay, held);
            if (shared.shareable()) {
                stats.coalesced();
                return settle(held, shared, false);
            }
            return settle(held, loader.get(), true);
        }
        try {
            Loaded loaded = loader.get();
            mine.complete(loaded);
            if (loaded.cacheable() && !loaded.failed()) {
                long ttl = Math.min(ttlNanos, loaded.ttlNanos());
                long fresh = ticker.nanoTime() + ttl;
                entries.put(key, new Entry(loaded.value(), fresh, fresh + staleNanos));
            }
            return settle(held, loaded, true);
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            if (stale(held)) {
                stats.stale();
                return new Read(held.value(), CacheStatus.STALE);
            }
            throw e;
        } finally {
            loading.remove(key, mine);
        }
    }

    private Loaded joined(CompletableFuture<Loaded> underWay, Entry held) {
        try {
            return underWay.join();
        } catch (CompletionException e) {
            if (stale(held)) {
                return new Loaded(null, false, 0, true, true);
            }
            throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
        }
    }

    private Read settle(Entry held, Loaded loaded, boolean countMiss) {
        if (loaded.failed() && stale(held)) {
            stats.stale();
            return new Read(held.value(), CacheStatus.STALE);
        }
        if (countMiss) {
            stats.miss();
        }
        return new Read(loaded.value(), CacheStatus.MISS);
    }

    private boolean stale(Entry held) {
        return held != null && ticker.nanoTime() < held.staleUntil();
    }

    /** Forgets every answer whose key matches. */
    public void invalidate(Predicate<String> keys) {
        entries.asMap().keySet().removeIf(keys);
        stats.invalidated();
    }

    /** The TTL of answers that do not say otherwise. */
    public java.time.Duration ttl() {
        return java.time.Duration.ofNanos(ttlNanos);
    }

    public long size() {
        return entries.estimatedSize();
    }
}

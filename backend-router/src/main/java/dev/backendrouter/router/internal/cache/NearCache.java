package dev.backendrouter.router.internal.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.backendrouter.api.NearCacheSettings;
import dev.backendrouter.router.Ticker;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One group's near cache: answers in memory (Caffeine, on the router's ticker) with a TTL each
 * and an optional stale-if-error window, and one load at a time per key — concurrent misses for
 * a key wait for the one call already under way, when its answer may be shared. The one place
 * loads are coalesced: a group with cache members and no near cache has a
 * {@linkplain #coalescingOnly coalescing-only} one.
 */
public final class NearCache {
    /** Answers up to this size weigh 1 against {@code maxSize}; larger ones one more per this many bytes. */
    static final int WEIGHT_UNIT_BYTES = 16 * 1024;

    /**
     * A loaded value: whether it may be cached and shared with callers waiting on the same key
     * (only cacheable answers are), its TTL, and whether it is a failure that a stale answer may
     * replace.
     */
    public record Loaded(Object value, boolean cacheable, long ttlNanos, boolean failed, int bytes) {
    }

    /** What a read got, and from where. */
    public record Read(Object value, CacheStatus status) {
    }

    private record Entry(Object value, long freshUntil, long staleUntil, int bytes) {
    }

    private final NearCacheSettings settings;
    private final Ticker ticker;
    private final long ttlNanos;
    private final long staleNanos;
    private final Cache<String, Entry> entries;
    private final ConcurrentMap<String, CompletableFuture<Loaded>> loading = new ConcurrentHashMap<>();
    private final CacheStats stats;
    private final Generation writes;
    private final boolean keeps;

    NearCache(NearCacheSettings settings, Ticker ticker, CacheStats stats, Generation writes) {
        this(settings, ticker, stats, writes, true);
    }

    /**
     * The loads of a group that has cache members but no near cache: concurrent misses for a key
     * still make one call to the cache member and the backends, and nothing is kept in memory.
     */
    static NearCache coalescingOnly(Ticker ticker, CacheStats stats, Generation writes) {
        return new NearCache(new NearCacheSettings(1, null, null), ticker, stats, writes, false);
    }

    private NearCache(NearCacheSettings settings, Ticker ticker, CacheStats stats, Generation writes, boolean keeps) {
        this.keeps = keeps;
        this.settings = settings;
        this.ticker = ticker;
        this.ttlNanos = settings.effectiveTtl().toNanos();
        this.staleNanos = settings.effectiveStaleIfError().toNanos();
        this.stats = stats;
        this.writes = writes;
        this.entries = Caffeine.newBuilder()
                .maximumWeight(settings.effectiveMaxSize())
                .weigher((String key, Entry entry) -> 1 + entry.bytes() / WEIGHT_UNIT_BYTES)
                .ticker(ticker::nanoTime)
                .expireAfter(Expiry.<String, Entry>writing((key, entry) ->
                        Duration.ofNanos(Math.max(0, entry.staleUntil() - ticker.nanoTime()))))
                .build();
    }

    /**
     * A fresh answer from memory, or the one under way for this key, or a new load. When the
     * load fails and an answer inside its stale-if-error window is held, that answer is served,
     * marked {@link CacheStatus#STALE}.
     */
    public Read read(String key, Supplier<Loaded> loader) {
        long now = ticker.nanoTime();
        Entry held = keeps ? entries.getIfPresent(key) : null;
        if (held != null && now < held.freshUntil()) {
            stats.hit();
            return new Read(held.value(), CacheStatus.HIT);
        }
        CompletableFuture<Loaded> mine = new CompletableFuture<>();
        CompletableFuture<Loaded> underWay = loading.putIfAbsent(key, mine);
        if (underWay != null) {
            Loaded shared = awaitShared(underWay);
            if (shared != null && shared.cacheable()) {
                stats.coalesced();
                return new Read(shared.value(), CacheStatus.MISS);
            }
            // not shareable (private, failed, cancelled with its caller): this caller loads for itself
            return settle(held, loader.get());
        }
        long generation = writes.current();
        try {
            Loaded loaded = loader.get();
            mine.complete(loaded);
            if (keeps && loaded.cacheable() && !loaded.failed() && writes.current() == generation) {
                long fresh = ticker.nanoTime() + Math.min(ttlNanos, loaded.ttlNanos());
                entries.put(key, new Entry(loaded.value(), fresh, fresh + staleNanos, loaded.bytes()));
            }
            return settle(held, loaded);
        } catch (RuntimeException | Error e) {
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

    /** The answer of a load under way, or {@code null} when it failed (the waiter then loads itself). */
    private static Loaded awaitShared(CompletableFuture<Loaded> underWay) {
        try {
            return underWay.get();
        } catch (ExecutionException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new dev.backendrouter.api.BackendRouterException("Interrupted while waiting for a cached read under way");
        }
    }

    private Read settle(Entry held, Loaded loaded) {
        if (loaded.failed() && stale(held)) {
            if (loaded.value() instanceof AutoCloseable closeable) {
                closeQuietly(closeable);
            }
            stats.stale();
            return new Read(held.value(), CacheStatus.STALE);
        }
        stats.miss();
        return new Read(loaded.value(), CacheStatus.MISS);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // a response being dropped for a stale answer: nothing to tell
        }
    }

    private boolean stale(Entry held) {
        return held != null && ticker.nanoTime() < held.staleUntil();
    }

    /** Forgets every answer whose key matches, and lets no reader join a load that started before. */
    public void invalidate(Predicate<String> keys) {
        loading.keySet().removeIf(keys);
        if (entries.asMap().keySet().removeIf(keys)) {
            stats.invalidated();
        }
    }

    NearCacheSettings settings() {
        return settings;
    }

    /** The TTL of answers that do not say otherwise. */
    public Duration ttl() {
        return Duration.ofNanos(ttlNanos);
    }
}

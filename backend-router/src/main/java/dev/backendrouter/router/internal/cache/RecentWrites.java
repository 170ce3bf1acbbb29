package dev.backendrouter.router.internal.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.backendrouter.router.Ticker;
import java.time.Duration;

/**
 * Keys written through the router in the last few seconds: reads of them skip caches and
 * replicas, so a caller sees its own write even while a replica or a cache lags.
 */
public final class RecentWrites {
    private final Cache<String, Boolean> written;
    private final boolean enabled;

    public RecentWrites(Duration window, Ticker ticker) {
        this.enabled = !window.isZero();
        this.written = Caffeine.newBuilder().maximumSize(100_000).ticker(ticker::nanoTime)
                .expireAfterWrite(enabled ? window : Duration.ofNanos(1)).build();
    }

    public boolean enabled() {
        return enabled;
    }

    public void wrote(String key) {
        if (enabled) {
            written.put(key, Boolean.TRUE);
        }
    }

    public boolean recentlyWritten(String key) {
        return enabled && written.getIfPresent(key) != null;
    }

    /** False when no key can be held: lets a read skip building its key while nothing was written. */
    public boolean mayHoldAny() {
        return enabled && written.estimatedSize() > 0;
    }
}

package dev.backendrouter.router.internal.cache;

/** Where a read's answer came from. Shown to HTTP callers in the {@code X-Backend-Router-Cache} header. */
public enum CacheStatus {
    HIT, MISS, STALE, BYPASS
}

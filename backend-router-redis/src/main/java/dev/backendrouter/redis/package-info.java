/**
 * Redis and Valkey CACHE members for Backend Router: with this module on the class path, a
 * member {@code url: redis://cache:6379/0} (or {@code rediss://}, {@code redis-sentinel://}) with
 * {@code role: CACHE} serves cache-first reads. See docs/caching.md.
 */
package dev.backendrouter.redis;

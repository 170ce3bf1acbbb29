/** The near cache, the cache tier's background writes and read-your-writes, beside the attempt loop. Not public API. */
package dev.backendrouter.router.internal.cache;

package dev.backendrouter.router.internal.cache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The keys of entries on cache members served by a connector, namespaced per service, group and
 * shard so that services and groups can share one Redis:
 * <pre>
 * br:{service}:{group}:h:{method} {path}?{query}             an HTTP answer
 * br:{service}:{group}:k:{cache key}                          a generic value (CallOptions.withCacheKey)
 * br:{service}:{group}:s:{shard range}:h:...                  the same, in a sharded group
 * </pre>
 * A key longer than {@value #MAX_KEY_LENGTH} characters ends in {@code #} and the SHA-256 of its
 * tail instead.
 */
public final class CacheKeys {
    static final int MAX_KEY_LENGTH = 512;

    private CacheKeys() {
    }

    /** The key of an HTTP answer: method, path and query, as the near cache keys it. */
    public static String http(String service, String group, String shard, String method, String pathAndQuery) {
        return key(prefix(service, group, shard), "h:" + method + " " + pathAndQuery);
    }

    /** The key of a generic value. */
    public static String value(String service, String group, String shard, String cacheKey) {
        return key(prefix(service, group, shard), "k:" + cacheKey);
    }

    private static String prefix(String service, String group, String shard) {
        return "br:" + service + ":" + group + ":" + (shard == null ? "" : "s:" + shard + ":");
    }

    private static String key(String prefix, String tail) {
        if (prefix.length() + tail.length() <= MAX_KEY_LENGTH) {
            return prefix + tail;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(tail.getBytes(StandardCharsets.UTF_8));
            return prefix + tail.substring(0, 2) + "#" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}

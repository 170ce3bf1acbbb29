package dev.backendrouter.redis;

import dev.backendrouter.router.spi.CacheConnection;
import dev.backendrouter.router.spi.CacheConnector;
import dev.backendrouter.router.spi.CacheEndpoint;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Serves {@code redis://}, {@code rediss://} and {@code redis-sentinel://} CACHE members on
 * Lettuce. Found by the router through {@link java.util.ServiceLoader}: adding this module's jar
 * is all a service does.
 *
 * <pre>{@code
 * groups:
 *   files:
 *     backends:
 *       - { name: redis-cache, url: "redis://${REDIS_HOST:localhost}:6379/0", role: CACHE, priority: 1 }
 *       - { name: file-system-server, url: http://localhost:4001, role: PRIMARY, priority: 2 }
 * }</pre>
 *
 * Or explicitly, where ServiceLoader does not see the jar:
 * {@code BackendRouter.builder().cacheConnector(new RedisCacheConnector())}.
 *
 * <p>Each router has its own connector: one small set of Lettuce threads (two for I/O), shared by
 * its connections and stopped when the router closes.
 */
public final class RedisCacheConnector implements CacheConnector {
    private static final Set<String> SCHEMES = Set.of("redis", "rediss", "redis-sentinel");

    private ClientResources resources;
    private boolean closed;

    @Override
    public Set<String> schemes() {
        return SCHEMES;
    }

    @Override
    public CacheConnection open(CacheEndpoint endpoint) {
        return new RedisCacheConnection(endpoint, resources());
    }

    private synchronized ClientResources resources() {
        if (closed) {
            throw new IllegalStateException("this RedisCacheConnector is closed");
        }
        if (resources == null) {
            // reconnect soon after Redis comes back: Lettuce's default waits up to 30 s between tries
            resources = ClientResources.builder()
                    .ioThreadPoolSize(2)
                    .computationThreadPoolSize(2)
                    .reconnectDelay(Delay.exponential(Duration.ofMillis(20), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
                    .build();
        }
        return resources;
    }

    /** Stops Lettuce's threads; the router closes every connection first. */
    @Override
    public synchronized void close() {
        closed = true;
        if (resources != null) {
            resources.shutdown(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            resources = null;
        }
    }

    @Override
    public String toString() {
        return "RedisCacheConnector" + SCHEMES;
    }
}

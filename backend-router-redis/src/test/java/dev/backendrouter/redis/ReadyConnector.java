package dev.backendrouter.redis;

import dev.backendrouter.router.spi.CacheConnection;
import dev.backendrouter.router.spi.CacheConnector;
import dev.backendrouter.router.spi.CacheEndpoint;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The Redis connector, given to the builder explicitly so a test can wait until its connections
 * are up: a read while the first connection is being made is a miss by design, and a test that
 * counts hits from its first read wants the connection made first.
 */
final class ReadyConnector implements CacheConnector {
    private final RedisCacheConnector redis = new RedisCacheConnector();
    private final List<CacheConnection> connections = new CopyOnWriteArrayList<>();

    @Override
    public Set<String> schemes() {
        return redis.schemes();
    }

    @Override
    public CacheConnection open(CacheEndpoint endpoint) {
        CacheConnection connection = redis.open(endpoint);
        connections.add(connection);
        return connection;
    }

    /**
     * Waits (up to 5 s each) until every connection is made and has answered one PING; a
     * connection that cannot come up (a wrong password, a dead port) fails its PING at once and is
     * left as it is.
     */
    void awaitReady() {
        for (CacheConnection connection : connections) {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!connection.ready() && System.nanoTime() < until) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            try {
                connection.ping().toCompletableFuture().get(2, TimeUnit.SECONDS);
            } catch (Exception down) {
                // this member stays down: the test says what it expects of it
            }
        }
    }

    @Override
    public void close() {
        redis.close();
    }
}

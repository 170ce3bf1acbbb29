package dev.backendrouter.redis;

import dev.backendrouter.api.BackendAuth;
import dev.backendrouter.api.internal.Texts;
import dev.backendrouter.router.spi.CacheConnection;
import dev.backendrouter.router.spi.CacheEndpoint;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * One Redis (or Valkey) cache member on Lettuce: one multiplexed connection, made in the
 * background and made again after a failure (with a backoff), so that no caller waits for a
 * connect: a read while connecting is a miss. While disconnected, commands fail at once instead of
 * queueing: a cache that is down is a miss now, not a slow read. Writes and deletes wait for a
 * connection under way; the command timeout and connect timeout bound them.
 */
final class RedisCacheConnection implements CacheConnection {
    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
    private static final long MIN_RECONNECT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long MAX_RECONNECT_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final CacheEndpoint endpoint;
    private final String shown;
    private final RedisClient client;
    private final RedisURI uri;
    private final AtomicReference<CompletableFuture<StatefulRedisConnection<String, byte[]>>> connection = new AtomicReference<>();
    private volatile long nextConnectNanos;
    private volatile long backoffNanos = MIN_RECONNECT_NANOS;
    private volatile boolean closed;

    RedisCacheConnection(CacheEndpoint endpoint, ClientResources resources) {
        this.endpoint = endpoint;
        this.shown = endpoint.name() + " (" + Texts.redacted(endpoint.url()) + ")";
        // Lettuce reads the scheme as written: REDIS:// is redis:// to the topology, so it is to Lettuce
        String url = endpoint.url().toString();
        int colon = url.indexOf(':');
        this.uri = RedisURI.create(url.substring(0, colon).toLowerCase(java.util.Locale.ROOT) + url.substring(colon));
        uri.setTimeout(endpoint.timeout());
        uri.setClientName("backend-router");
        if (endpoint.auth() instanceof BackendAuth.Password password) {
            if (password.username() == null) {
                uri.setAuthentication(password.password().reveal().toCharArray());
            } else {
                uri.setAuthentication(password.username(), password.password().reveal().toCharArray());
            }
        }
        ClientOptions.Builder options = ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(endpoint.timeout()))
                .socketOptions(SocketOptions.builder().connectTimeout(endpoint.connectTimeout()).build());
        if (uri.isSsl()) {
            uri.setVerifyPeer(SslVerifyMode.FULL);      // the certificate and the host name, as for https
            SslOptions.Builder ssl = SslOptions.builder().jdkSslProvider();
            if (endpoint.trustManager() != null) {
                ssl.sslContext(context -> context.trustManager(endpoint.trustManager()));
            }
            options.sslOptions(ssl.build());
        }
        this.client = RedisClient.create(resources, uri);
        client.setOptions(options.build());
        connection();      // start connecting now, in the background
    }

    /** The connection, or the one being made, or a failed one until the backoff lets a new try start. */
    private CompletableFuture<StatefulRedisConnection<String, byte[]>> connection() {
        CompletableFuture<StatefulRedisConnection<String, byte[]>> current = connection.get();
        if (current != null && !current.isCompletedExceptionally()) {
            return current;
        }
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("the connection to " + shown + " is closed"));
        }
        if (current != null && System.nanoTime() < nextConnectNanos) {
            return current;
        }
        CompletableFuture<StatefulRedisConnection<String, byte[]>> fresh = new CompletableFuture<>();
        if (!connection.compareAndSet(current, fresh)) {
            return connection.get();
        }
        nextConnectNanos = System.nanoTime() + backoffNanos;
        try {
            client.connectAsync(CODEC, uri).whenComplete((made, failure) -> {
                try {
                    if (failure != null) {
                        backoffNanos = Math.min(MAX_RECONNECT_NANOS, backoffNanos * 2);
                        fresh.completeExceptionally(RedisFailures.explain(failure, shown, endpoint));
                    } else if (closed) {
                        made.closeAsync();
                        fresh.completeExceptionally(new IllegalStateException("the connection to " + shown + " is closed"));
                    } else {
                        backoffNanos = MIN_RECONNECT_NANOS;
                        // one PING before the first read: it loads and warms Lettuce's command path off the caller's clock
                        made.async().ping().whenComplete((pong, ignored) -> fresh.complete(made));
                    }
                } catch (RuntimeException | Error e) {
                    // whatever went wrong, the connection must not stay "being made" forever
                    fresh.completeExceptionally(RedisFailures.explain(e, shown, endpoint));
                    if (made != null) {
                        made.closeAsync();
                    }
                }
            });
        } catch (RuntimeException e) {
            fresh.completeExceptionally(RedisFailures.explain(e, shown, endpoint));
        }
        return fresh;
    }

    private <T> CompletionStage<T> run(Function<StatefulRedisConnection<String, byte[]>, CompletionStage<T>> command) {
        return connection().thenCompose(made -> command.apply(made)
                .exceptionally(failure -> {
                    throw RedisFailures.explain(failure, shown, endpoint);
                }));
    }

    @Override
    public boolean ready() {
        return connection().isDone();
    }

    /** While the first connection is being made a read is a miss, not a failure: a caller never waits for a connect. */
    @Override
    public CompletionStage<byte[]> get(String key) {
        CompletableFuture<StatefulRedisConnection<String, byte[]>> current = connection();
        if (!current.isDone()) {
            return CompletableFuture.completedFuture(null);
        }
        return run(made -> made.async().get(key));
    }

    @Override
    public CompletionStage<Void> set(String key, byte[] value, Duration ttl) {
        return run(made -> made.async().set(key, value, SetArgs.Builder.px(Math.max(1, ttl.toMillis()))).thenApply(ok -> null));
    }

    @Override
    public CompletionStage<Void> delete(List<String> keys) {
        return run(made -> made.async().del(keys.toArray(String[]::new)).thenApply(count -> null));
    }

    @Override
    public CompletionStage<Void> ping() {
        return run(made -> made.async().ping().thenApply(pong -> null));
    }

    @Override
    public void close() {
        closed = true;
        CompletableFuture<StatefulRedisConnection<String, byte[]>> current = connection.get();
        if (current != null && current.isDone() && !current.isCompletedExceptionally()) {
            current.join().close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    @Override
    public String toString() {
        return "RedisCacheConnection[" + shown + "]";
    }
}

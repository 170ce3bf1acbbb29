package dev.backendrouter.router.spi;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * One cache backend, as the router uses it: byte values under string keys, each with a TTL.
 * Every operation returns at once and completes later; the router bounds how long it waits, and
 * counts a failed or late operation as a cache miss (and against the member's circuit breaker),
 * never as a failed read. Thread-safe.
 *
 * <pre>{@code
 * connection.set("br:file-service:files:h:GET /files/42", bytes, Duration.ofMinutes(5));
 * byte[] held = connection.get("br:file-service:files:h:GET /files/42").toCompletableFuture().get(50, MILLISECONDS);
 * }</pre>
 */
public interface CacheConnection extends AutoCloseable {

    /**
     * Whether the connection can take operations now: {@code false} while it is first being made
     * (or made again). The router then counts a read as a miss without asking, and neither as a
     * failure nor as a success of the member. A connection whose connecting failed is ready: its
     * operations fail, and say why. Must not block.
     */
    default boolean ready() {
        return true;
    }

    /** The value held for {@code key}, or {@code null} when there is none. */
    CompletionStage<byte[]> get(String key);

    /** Keeps {@code value} under {@code key} for {@code ttl}. */
    CompletionStage<Void> set(String key, byte[] value, Duration ttl);

    /** Forgets these keys. */
    CompletionStage<Void> delete(List<String> keys);

    /** Completes when the backend answers a health check ({@code PING} for Redis). */
    CompletionStage<Void> ping();

    /** Closes the connection and releases its threads; operations after this fail. */
    @Override
    void close();
}

package dev.backendrouter.router.internal.cache;

import dev.backendrouter.api.internal.Texts;
import dev.backendrouter.router.Ticker;
import dev.backendrouter.router.internal.routing.Events;
import dev.backendrouter.router.internal.routing.MemberRef;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Operations on cache members served by a connector ({@code redis://}), each guarded by the
 * member's circuit breaker and bounded by its timeout. A failure is an event, a count on the
 * member and a log line — never an exception: to the caller a failing cache is a miss.
 */
public final class RemoteCache {
    private final Ticker ticker;
    private final Events events;
    private final Duration timeout;

    /** @param timeout how long an operation may take when the member sets no {@code timeouts.attempt} */
    public RemoteCache(Ticker ticker, Events events, Duration timeout) {
        this.ticker = ticker;
        this.events = events;
        this.timeout = timeout;
    }

    private long timeoutNanos(MemberRef member) {
        Duration own = member.member().timeouts().attempt();
        return (own != null ? own : timeout).toNanos();
    }

    /** Turns a cache member's bytes into a value; throws when they are not one. */
    @FunctionalInterface
    public interface Decoder<T> {
        T decode(byte[] bytes) throws Exception;
    }

    /**
     * The value under {@code key}, decoded, or {@code null} on a miss, a failure, a late answer,
     * bytes that are not a value of ours, or an open breaker.
     */
    public <T> T get(String group, MemberRef member, String key, Decoder<T> decoder) {
        CircuitBreaker breaker = member.state().breaker();
        if (!breaker.tryAcquirePermission()) {
            events.cacheMemberRead(group, member.member(), "skipped", Duration.ZERO);
            return null;
        }
        long start = ticker.nanoTime();
        byte[] bytes;
        try {
            bytes = member.cache().get(key).toCompletableFuture().get(timeoutNanos(member), TimeUnit.NANOSECONDS);
        } catch (Exception e) {
            long took = ticker.nanoTime() - start;
            failed(group, member, breaker, "get", took, e);
            events.cacheMemberRead(group, member.member(), "error", Duration.ofNanos(took));
            return null;
        }
        long took = ticker.nanoTime() - start;
        T value = null;
        if (bytes != null) {
            try {
                value = decoder.decode(bytes);
            } catch (Exception e) {
                failed(group, member, breaker, "get", took, new java.io.IOException("key " + Texts.printable(key, 120)
                        + " holds what the router cannot read (" + e.getMessage() + "): does another program write under "
                        + "these keys, or did the codec change? The entry is read as a miss", e));
                events.cacheMemberRead(group, member.member(), "error", Duration.ofNanos(took));
                return null;
            }
        }
        succeeded(member, breaker, took);
        events.cacheMemberRead(group, member.member(), value == null ? "miss" : "hit", Duration.ofNanos(took));
        return value;
    }

    /**
     * A write or delete is off the caller's path and may wait for a connection being made: this
     * long at least, whatever the member's (read) timeout.
     */
    static final long BACKGROUND_WAIT_NANOS = TimeUnit.SECONDS.toNanos(2);

    /** Stores {@code value}, waiting (on the populating thread) for the connection and the answer; whether it was stored. */
    public boolean set(String group, MemberRef member, String key, byte[] value, Duration ttl) {
        CircuitBreaker breaker = member.state().breaker();
        if (!breaker.tryAcquirePermission()) {
            return false;
        }
        long start = ticker.nanoTime();
        try {
            member.cache().set(key, value, ttl).toCompletableFuture().get(Math.max(timeoutNanos(member), BACKGROUND_WAIT_NANOS),
                    TimeUnit.NANOSECONDS);
            succeeded(member, breaker, ticker.nanoTime() - start);
            return true;
        } catch (Exception e) {
            failed(group, member, breaker, "set", ticker.nanoTime() - start, e);
            return false;
        }
    }

    /** Deletes {@code keys} without waiting: a write never waits for its cache. */
    public void delete(String group, MemberRef member, List<String> keys) {
        CircuitBreaker breaker = member.state().breaker();
        if (!breaker.tryAcquirePermission()) {
            events.cacheFailed(group, member.member(), "delete", "skipped: its circuit breaker is open; the entries expire by their TTL");
            return;
        }
        long start = ticker.nanoTime();
        CompletableFuture<Void> deleted;
        try {
            deleted = member.cache().delete(keys).toCompletableFuture();
        } catch (RuntimeException e) {
            failed(group, member, breaker, "delete", ticker.nanoTime() - start, e);
            return;
        }
        deleted.orTimeout(Math.max(timeoutNanos(member), BACKGROUND_WAIT_NANOS), TimeUnit.NANOSECONDS).whenComplete((done, failure) -> {
            long took = ticker.nanoTime() - start;
            if (failure == null) {
                succeeded(member, breaker, took);
            } else {
                failed(group, member, breaker, "delete", took, failure);
            }
        });
    }

    private static void succeeded(MemberRef member, CircuitBreaker breaker, long nanos) {
        breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
        member.state().cacheOperation(nanos, null);
        member.state().noticeBreakerState();
    }

    private void failed(String group, MemberRef member, CircuitBreaker breaker, String operation, long nanos, Throwable failure) {
        long limit = operation.equals("get") ? timeoutNanos(member) : Math.max(timeoutNanos(member), BACKGROUND_WAIT_NANOS);
        Throwable cause = failure instanceof ExecutionException || failure instanceof java.util.concurrent.CompletionException
                ? failure.getCause() : failure;
        if (cause instanceof InterruptedException) {
            Thread.currentThread().interrupt();     // the router is closing: not the cache's failure
            breaker.releasePermission();
            return;
        }
        breaker.onError(nanos, TimeUnit.NANOSECONDS, cause);
        String reason = reason(member, cause, limit);
        member.state().cacheOperation(nanos, reason);
        member.state().noticeBreakerState();
        events.cacheFailed(group, member.member(), operation, reason);
    }

    private static String reason(MemberRef member, Throwable cause, long limitNanos) {
        if (cause instanceof TimeoutException) {
            return "no answer within " + Duration.ofNanos(limitNanos).toMillis() + " ms (the cache member timeout, or "
                    + "timeouts.attempt of " + member.name() + "): is " + Texts.redacted(member.member().url())
                    + " overloaded or far away?";
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return Texts.printable(message, 500);
    }
}

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
    private final PendingDeletes pending = new PendingDeletes();

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
        if (!member.cache().ready() || pending.owed(member.state().url(), key)) {
            // connecting (not a failure, nor a success), or an invalidation of this key not yet delivered
            events.cacheMemberRead(group, member.member(), "skipped", Duration.ZERO);
            return null;
        }
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
                // the codec's own message may quote what the entry holds: only the format's messages are shown
                String why = e instanceof java.io.IOException ? e.getMessage() : e.getClass().getSimpleName();
                failed(group, member, breaker, "get", took, new java.io.IOException("key " + shownKey(key)
                        + " holds what the router cannot read (" + why + "): does another program write under "
                        + "these keys, or did the codec change? The entry is read as a miss", e));
                events.cacheMemberRead(group, member.member(), "error", Duration.ofNanos(took));
                return null;
            }
        }
        succeeded(member, breaker, took);
        events.cacheMemberRead(group, member.member(), value == null ? "miss" : "hit", Duration.ofNanos(took));
        resendOwedDeletes(group, member);
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
            resendOwedDeletes(group, member);
            return true;
        } catch (Exception e) {
            failed(group, member, breaker, "set", ticker.nanoTime() - start, e);
            return false;
        }
    }

    /**
     * Stores a value loaded when the group's writes stood at {@code generation}, unless a write
     * landed since; and when one lands while the value is on its way, deletes it again, so that
     * an answer older than a write does not outlive the write's own delete. Runs on the
     * populating thread.
     */
    public boolean setUnlessWritten(String group, MemberRef member, String key, byte[] value, Duration ttl, Generation writes,
            long generation) {
        if (writes.current() != generation || !set(group, member, key, value, ttl)) {
            return false;
        }
        if (writes.current() != generation) {
            delete(group, member, List.of(key));
            return false;
        }
        return true;
    }

    /**
     * Deletes {@code keys} without waiting: a write never waits for its cache. A delete the member
     * does not get (its breaker is open, it fails) is owed: reads of those keys skip the member
     * until it is sent again, after the member's next good answer.
     */
    public void delete(String group, MemberRef member, List<String> keys) {
        String backend = member.state().url();
        CircuitBreaker breaker = member.state().breaker();
        if (!breaker.tryAcquirePermission()) {
            pending.add(backend, member.name(), keys);
            events.cacheFailed(group, member.member(), "delete", "not sent: its circuit breaker is open; the delete is sent "
                    + "again when it answers, and reads of those keys go to storage meanwhile");
            return;
        }
        long start = ticker.nanoTime();
        CompletableFuture<Void> deleted;
        try {
            deleted = member.cache().delete(keys).toCompletableFuture();
        } catch (RuntimeException e) {
            pending.add(backend, member.name(), keys);
            failed(group, member, breaker, "delete", ticker.nanoTime() - start, e);
            return;
        }
        deleted.orTimeout(Math.max(timeoutNanos(member), BACKGROUND_WAIT_NANOS), TimeUnit.NANOSECONDS).whenComplete((done, failure) -> {
            long took = ticker.nanoTime() - start;
            if (failure == null) {
                succeeded(member, breaker, took);
            } else {
                pending.add(backend, member.name(), keys);
                failed(group, member, breaker, "delete", took, failure);
            }
        });
    }

    /** Sends the deletes the member is owed, now that it answered; they stay owed if it fails again. */
    private void resendOwedDeletes(String group, MemberRef member) {
        String backend = member.state().url();
        List<String> keys = pending.takeForSending(backend);
        if (keys == null) {
            return;
        }
        try {
            member.cache().delete(keys).toCompletableFuture()
                    .orTimeout(Math.max(timeoutNanos(member), BACKGROUND_WAIT_NANOS), TimeUnit.NANOSECONDS)
                    .whenComplete((done, failure) -> {
                        if (failure == null) {
                            pending.sent(backend, keys);
                        } else {
                            pending.notSent(backend);
                        }
                    });
        } catch (RuntimeException e) {
            pending.notSent(backend);
        }
    }

    /** A key for a message: its query (which may carry what a caller asked for) masked, cut to 120 characters. */
    static String shownKey(String key) {
        int query = key.indexOf('?');
        return Texts.printable(query < 0 ? key : key.substring(0, query + 1) + "****", 120);
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

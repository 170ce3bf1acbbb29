package dev.backendrouter.router.internal.routing;

import dev.backendrouter.router.MemberHealth;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The live state of one backend, shared by every member (in any group) with the same URL: its
 * circuit breaker and health, calls in flight, a decaying latency estimate, counts and the last
 * error. Lock-free.
 */
public final class MemberState {
    /** Weight of a new sample in the latency estimate: recent attempts dominate after ~10 samples. */
    static final double DECAY = 0.2;
    /**
     * A failed attempt counts as at least this slow, so a backend that fails fast (connection
     * refused in a millisecond) does not look like the cheapest one to the load balancer.
     */
    static final long FAILURE_PENALTY_NANOS = 1_000_000_000L;

    private final String url;
    private final String name;
    private final CircuitBreaker breaker;
    private final Events events;
    private final java.util.concurrent.atomic.AtomicReference<CircuitBreaker.State> lastBreakerState;
    private volatile MemberHealth health = MemberHealth.UNKNOWN;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong latencyBits = new AtomicLong(Double.doubleToRawLongBits(0.0));
    private final LongAdder attempts = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private volatile String lastError;

    public MemberState(String url, String name, CircuitBreaker breaker, Events events) {
        this.url = url;
        this.name = name;
        this.breaker = breaker;
        this.events = events;
        this.lastBreakerState = new java.util.concurrent.atomic.AtomicReference<>(breaker.getState());
    }

    /**
     * Tells listeners (and the log) when the breaker's state moved since last looked at. Called
     * after each attempt and probe: a volatile read and a compare when nothing changed.
     */
    public void noticeBreakerState() {
        CircuitBreaker.State now = breaker.getState();
        CircuitBreaker.State before = lastBreakerState.get();
        if (now != before && lastBreakerState.compareAndSet(before, now)) {
            events.breakerStateChanged(name, before.name(), now.name());
        }
    }

    public String url() {
        return url;
    }

    /** The backend's circuit breaker, one attempt counted once. */
    public CircuitBreaker breaker() {
        return breaker;
    }

    public MemberHealth health() {
        return health;
    }

    public void health(MemberHealth health) {
        this.health = health;
    }

    void started() {
        inFlight.incrementAndGet();
        attempts.increment();
    }

    void finished(long nanos, boolean failed, String error) {
        inFlight.decrementAndGet();
        recordLatency(failed ? Math.max(nanos, FAILURE_PENALTY_NANOS) : nanos);
        if (failed) {
            failures.increment();
            lastError = error;
        }
    }

    /** One operation on a cache member served by a connector: counted like an attempt; {@code error} is {@code null} on success. */
    public void cacheOperation(long nanos, String error) {
        attempts.increment();
        recordLatency(error != null ? Math.max(nanos, FAILURE_PENALTY_NANOS) : nanos);
        if (error != null) {
            failures.increment();
            lastError = error;
        }
    }

    /** An attempt given up (the loser of a hedge): neither a success nor a failure of the backend. */
    void abandoned() {
        inFlight.decrementAndGet();
    }

    private void recordLatency(long nanos) {
        long current;
        long next;
        do {
            current = latencyBits.get();
            double estimate = Double.longBitsToDouble(current);
            double updated = estimate == 0.0 ? nanos : estimate + DECAY * (nanos - estimate);
            next = Double.doubleToRawLongBits(Math.max(updated, 1.0));
        } while (!latencyBits.compareAndSet(current, next));
    }

    /** Requests in flight now. */
    public int inFlight() {
        return inFlight.get();
    }

    /** The decaying latency estimate in nanoseconds; 0 before the first attempt. */
    public double latencyNanos() {
        return Double.longBitsToDouble(latencyBits.get());
    }

    /** Attempts made on this backend. */
    public long attempts() {
        return attempts.sum();
    }

    /** Attempts that failed. */
    public long failures() {
        return failures.sum();
    }

    /** The last failure, or {@code null}. */
    public String lastError() {
        return lastError;
    }

    /**
     * The load balancer's cost of sending one more request here: (in flight + 1) × latency. A
     * backend not measured yet costs least, so new members get traffic and an estimate.
     */
    double cost() {
        return (inFlight.get() + 1) * latencyNanos();
    }
}

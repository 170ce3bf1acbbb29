package dev.backendrouter.router.internal.routing;

import dev.backendrouter.api.RoutingKey;
import dev.backendrouter.router.CallOptions;
import dev.backendrouter.router.ReadPreference;
import dev.backendrouter.router.Ticker;
import dev.backendrouter.router.internal.resilience.RetryBudget;
import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * The one attempt loop behind every front door: plan (a table lookup), then walk the plan —
 * the balancer picks a member of the tier, its breaker and health say yes, the budget and the
 * deadline allow, the runner makes the attempt, the outcome decides what comes next — until an
 * answer or the end of the plan. See {@link Call} for the walk.
 *
 * <p>A call that succeeds at once takes no lock but its backend's breaker window's, reads the
 * clock twice and allocates one small object (its {@link Call}); the record of
 * attempts ({@link CallTrace}) is created only when a second attempt is needed.
 */
public final class AttemptLoop {
    private final Ticker ticker;
    private final RandomGenerator random;
    private final int maxAttempts;
    private final ReadPreference defaultPreference;
    private final RetryBudget budget;
    private final IntervalFunction backoff;
    private final Duration defaultDeadline;
    private final HedgePolicy hedge;
    private final long maxRetryAfterNanos;
    private final Events events;

    /**
     * @param maxAttempts how many failed attempts a call may make before it gives up
     * @param defaultPreference the read preference when a call names none; {@code null} means
     *     {@code REPLICA_PREFERRED} where there are replicas, else {@code PRIMARY}
     * @param backoff the wait before a new round over members already tried, by round (1, 2, ...), in ms
     * @param defaultDeadline the deadline of calls that set none, or {@code null}
     * @param hedge when and where to hedge reads, or {@code null} for no hedging
     * @param maxRetryAfter the longest {@code Retry-After} waited for before a retry
     */
    public AttemptLoop(Ticker ticker, RandomGenerator random, int maxAttempts, ReadPreference defaultPreference,
            RetryBudget budget, IntervalFunction backoff, Duration defaultDeadline, HedgePolicy hedge,
            Duration maxRetryAfter, Events events) {
        this.ticker = ticker;
        this.random = random;
        this.maxAttempts = maxAttempts;
        this.defaultPreference = defaultPreference;
        this.budget = budget;
        this.backoff = backoff;
        this.defaultDeadline = defaultDeadline;
        this.hedge = hedge;
        this.maxRetryAfterNanos = maxRetryAfter.toNanos();
        this.events = events;
    }

    Events events() {
        return events;
    }

    long maxRetryAfterNanos() {
        return maxRetryAfterNanos;
    }

    /**
     * Runs a call to completion.
     *
     * @return the first successful or final result; for front doors whose failures are results
     *     (HTTP responses), the last one received when no member succeeded
     * @throws dev.backendrouter.api.BackendRouterException when the call could not be served:
     *     {@code NoBackendAvailableException}, {@code DeadlineExceededException}, a
     *     {@code BackendCallException} for a failure not retried, the caller's own
     *     {@code NotFoundException} when every tier said not found, or a shard-key exception
     */
    public <C, R> R run(GroupRoute group, RoutingKey key, boolean write, CallOptions options,
            AttemptRunner<C, R> runner, C context) {
        ShardRoute route = group.route(key);
        ReadPreference preference = write ? null : preference(options, route);
        Tier[] plan = write ? route.writePlan() : route.readPlan(preference);
        boolean idempotent = !write || Boolean.TRUE.equals(options.idempotent());
        Duration deadline = options.deadline() != null ? options.deadline() : defaultDeadline;
        Call<C, R> call = new Call<>(this, group, route, plan, preference, write, idempotent, deadline, runner, context);
        if (!events.active()) {
            return call.run();
        }
        long start = ticker.nanoTime();
        String outcome = "failed";
        try {
            R result = call.run();
            outcome = call.outcome();
            return result;
        } catch (dev.backendrouter.api.NotFoundException e) {
            outcome = "not_found";
            throw e;
        } finally {
            events.callFinished(group.name(), write, outcome, Duration.ofNanos(ticker.nanoTime() - start), call.attempts());
        }
    }

    private ReadPreference preference(CallOptions options, ShardRoute route) {
        if (options.readPreference() != null) {
            return options.readPreference();
        }
        if (defaultPreference != null) {
            return defaultPreference;
        }
        return route.hasReplicas() ? ReadPreference.REPLICA_PREFERRED : ReadPreference.PRIMARY;
    }

    public Ticker ticker() {
        return ticker;
    }

    public RandomGenerator random() {
        return random;
    }

    int maxAttempts() {
        return maxAttempts;
    }

    RetryBudget budget() {
        return budget;
    }

    IntervalFunction backoff() {
        return backoff;
    }

    boolean hedging() {
        return hedge != null;
    }

    long hedgeDelayNanos() {
        return hedge.delayNanos();
    }

    /** Starts a hedged attempt on the hedging threads; {@code close()} cancels it if still running. */
    <C, R> Started<R> startHedged(AttemptRunner<C, R> runner, C context, MemberRef member, long remainingNanos) {
        return hedge.track(runner.start(context, member, remainingNanos, hedge.executor()));
    }

    void recordReadLatency(long nanos) {
        if (hedge != null) {
            hedge.record(nanos);
        }
    }
}

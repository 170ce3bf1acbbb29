package dev.backendrouter.router.internal.routing;

import dev.backendrouter.api.BackendCallException;
import dev.backendrouter.api.DeadlineExceededException;
import dev.backendrouter.api.NoBackendAvailableException;
import dev.backendrouter.api.NotFoundException;
import dev.backendrouter.api.RoutingKey;
import dev.backendrouter.router.CallOptions;
import dev.backendrouter.router.ReadPreference;
import dev.backendrouter.router.Ticker;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * The one attempt loop behind every front door: plan (a table lookup), then walk the plan —
 * the balancer picks a member of the tier, the runner makes the attempt, the outcome decides
 * what comes next — until an answer or the end of the plan.
 *
 * <p>A call that succeeds at once takes no lock and allocates nothing here; the record of
 * attempts ({@link CallTrace}) is created only when a second attempt is needed.
 */
public final class AttemptLoop {
    private final Ticker ticker;
    private final RandomGenerator random;
    private final int maxAttempts;
    private final ReadPreference defaultPreference;

    /**
     * @param maxAttempts how many failed attempts a call may make before it gives up
     * @param defaultPreference the read preference when a call names none; {@code null} means
     *     {@code REPLICA_PREFERRED} where there are replicas, else {@code PRIMARY}
     */
    public AttemptLoop(Ticker ticker, RandomGenerator random, int maxAttempts, ReadPreference defaultPreference) {
        this.ticker = ticker;
        this.random = random;
        this.maxAttempts = maxAttempts;
        this.defaultPreference = defaultPreference;
    }

    /**
     * Runs a call to completion.
     *
     * @return the first successful or final result; for front doors whose failures are results
     *     (HTTP responses), the last one received when no member succeeded
     * @throws dev.backendrouter.api.BackendRouterException when the call could not be served:
     *     {@link NoBackendAvailableException}, {@link DeadlineExceededException},
     *     {@link BackendCallException} for a failure not retried, the caller's own
     *     {@link NotFoundException} when every tier said not found, or a shard-key exception
     */
    public <C, R> R run(GroupRoute group, RoutingKey key, boolean write, CallOptions options,
            AttemptRunner<C, R> runner, C context) {
        ShardRoute route = group.route(key);
        ReadPreference preference = write ? null : preference(options, route);
        Tier[] plan = write ? route.writePlan() : route.readPlan(preference);
        boolean idempotent = !write || Boolean.TRUE.equals(options.idempotent());
        long deadlineAt = Long.MAX_VALUE;

        CallTrace trace = null;
        R lastResult = null;            // the latest response that was not an answer, kept in case it is the last
        boolean lastRetained = false;
        boolean lastResultNotFound = false;
        Exception lastFailure = null;
        Outcome lastOutcome = null;
        boolean sawNotFound = false;
        boolean tierFailed = false;     // the current tier had a failure and no answer yet
        boolean unanswered = false;     // some tier was left after failures without any answer
        int failures = 0;
        String stopReason = "no member of the plan was left";
        int tierIndex = 0;
        while (tierIndex < plan.length) {
            Tier tier = plan[tierIndex];
            if (tier.isArchive() && (!sawNotFound || unanswered)) {
                break;
            }
            MemberRef member = tier.pick(trace, random);
            if (member == null) {
                unanswered |= tierFailed;
                tierFailed = false;
                tierIndex++;
                continue;
            }
            long now = ticker.nanoTime();
            if (deadlineAt == Long.MAX_VALUE && options.deadline() != null) {  // the first attempt starts the clock
                deadlineAt = now + options.deadline().toNanos();
            }
            if (now >= deadlineAt) {
                runner.discard(lastResult);
                throw new DeadlineExceededException(group.name(), options.deadline(),
                        (trace == null ? new CallTrace() : trace).describe(plan, "the deadline passed",
                                sawNotFound && !unanswered), lastFailure);
            }
            if (lastResult != null && !lastRetained) {
                lastResult = runner.retain(lastResult);
                lastRetained = true;
            }
            R result = null;
            Exception failure = null;
            Outcome outcome;
            member.state().started();
            try {
                result = runner.run(context, member, deadlineAt == Long.MAX_VALUE ? Long.MAX_VALUE : deadlineAt - now);
                outcome = runner.classify(context, result);
            } catch (Exception e) {
                failure = e;
                outcome = runner.classify(context, e);
            } catch (Error e) {
                member.state().finished(ticker.nanoTime() - now, true, e.toString());
                runner.discard(lastResult);
                throw e;
            }
            long took = ticker.nanoTime() - now;
            String description = outcome == Outcome.SUCCESS ? null
                    : failure != null ? Failures.describe(failure, member) : runner.describe(result);
            member.state().finished(took, outcome.isFailure(), description);
            if (outcome == Outcome.SUCCESS || outcome == Outcome.FINAL && failure == null) {
                runner.discard(lastResult);
                return result;
            }
            if (trace == null) {
                trace = new CallTrace();
            }
            trace.record(member, took, description);
            if (result != null) {
                runner.discard(lastResult);
                lastResult = result;
                lastRetained = false;
                lastResultNotFound = outcome == Outcome.NOT_FOUND;
            }
            if (failure != null) {
                lastFailure = failure;
            }
            lastOutcome = outcome;
            if (outcome == Outcome.FINAL) {
                runner.discard(lastResult);
                throw new BackendCallException("Call to group '" + group.name() + "' failed and cannot be retried:",
                        group.name(), trace.describe(plan, "the call ended", sawNotFound && !unanswered), failure);
            }
            if (outcome == Outcome.NOT_FOUND) {
                sawNotFound = true;
                tierFailed = false;
                tierIndex++;
                continue;
            }
            failures++;
            tierFailed = true;
            if (outcome == Outcome.FAILED && !idempotent) {
                if (lastResult != null) {
                    return lastResult;
                }
                throw new BackendCallException("A non-idempotent write to group '" + group.name() + "' failed after "
                        + "it may have reached " + member.name() + ", so it was not sent again (mark the call "
                        + "idempotent, or send an Idempotency-Key, to allow that):", group.name(),
                        trace.describe(plan, "the write was not retried", false), failure);
            }
            if (failures >= maxAttempts) {
                stopReason = "the limit of " + maxAttempts + " failed attempts was reached";
                break;
            }
        }
        // "not found" is the answer only when no tier was left unanswered after failures
        boolean notFoundIsTheAnswer = !unanswered && !tierFailed;
        if (lastResult != null && (!lastResultNotFound || notFoundIsTheAnswer)) {
            return lastResult;
        }
        runner.discard(lastResult);
        if (notFoundIsTheAnswer && lastOutcome == Outcome.NOT_FOUND && lastFailure instanceof NotFoundException notFound) {
            throw notFound;
        }
        String kind = write ? "write" : "read (" + preference + ")";
        String message = trace == null && plan.length == 0
                ? "No backend of group '" + group.name() + "' (" + route.label() + ") can take a " + kind
                        + ": the plan has no members (a REPLICA read needs READ_REPLICA backends)"
                : "No backend of group '" + group.name() + "' (" + route.label() + ") could serve the " + kind + ":";
        throw new NoBackendAvailableException(message, group.name(),
                (trace == null ? new CallTrace() : trace).describe(plan, stopReason, sawNotFound && notFoundIsTheAnswer), lastFailure);
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

    /** How long a call may take at most, for front doors that bound each attempt. */
    public static Duration remaining(long remainingNanos) {
        return remainingNanos == Long.MAX_VALUE ? null : Duration.ofNanos(Math.max(remainingNanos, 1));
    }
}

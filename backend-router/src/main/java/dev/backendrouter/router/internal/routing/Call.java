package dev.backendrouter.router.internal.routing;

import dev.backendrouter.api.BackendCallException;
import dev.backendrouter.api.DeadlineExceededException;
import dev.backendrouter.api.NoBackendAvailableException;
import dev.backendrouter.api.NotFoundException;
import dev.backendrouter.router.MemberHealth;
import dev.backendrouter.router.ReadPreference;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One call's walk over its plan, in rounds: each round walks the tiers in order; a failure moves
 * to another member of the tier (no wait), then to the next tier; when every member has been
 * tried and attempts remain, a new round starts after a backoff. Breakers, health, the retry
 * budget and the deadline decide along the way.
 */
final class Call<C, R> {
    private static final int HEALTHY = MemberHealth.HEALTHY.ordinal();
    static final int DEGRADED = MemberHealth.DEGRADED.ordinal();
    static final int ANY = MemberHealth.UNHEALTHY.ordinal();

    final AttemptLoop loop;
    final GroupRoute group;
    private final ShardRoute route;
    final Tier[] plan;
    private final ReadPreference preference;
    private final boolean write;
    private final boolean idempotent;
    final Duration deadline;
    final AttemptRunner<C, R> runner;
    final C context;

    private CallTrace trace;
    private R answer;
    boolean answered;
    R lastResult;                 // the latest response that was not an answer, kept in case it is the last
    private boolean lastRetained;
    private boolean lastResultNotFound;
    Exception lastFailure;
    private Outcome lastOutcome;
    boolean sawNotFound;
    boolean tierFailed;           // the current tier had a failure and no answer yet
    boolean unanswered;           // some tier was left after failures without any answer
    private boolean stopped;
    private boolean deadlinePassed;
    boolean panic;                // every member is unhealthy: try them anyway
    int failures;
    int attempts;
    int attemptsThisRound;
    private int round;
    private long waitNanos;               // to wait before the next attempt (a new round's backoff)
    private long retryAfterNanos;
    long deadlineAt = Long.MAX_VALUE;
    private long startNanos;
    private String stopReason = "no member of the plan was left";
    private String ended = "success";     // for listeners: what the result the caller gets stands for

    Call(AttemptLoop loop, GroupRoute group, ShardRoute route, Tier[] plan, ReadPreference preference, boolean write,
            boolean idempotent, Duration deadline, AttemptRunner<C, R> runner, C context) {
        this.loop = loop;
        this.group = group;
        this.route = route;
        this.plan = plan;
        this.preference = preference;
        this.write = write;
        this.idempotent = idempotent;
        this.deadline = deadline;
        this.runner = runner;
        this.context = context;
    }

    R run() {
        // one clock read serves the budget, the deadline and the first attempt's start: on some
        // machines a read costs as much as the rest of a call's bookkeeping
        startNanos = loop.ticker().nanoTime();
        loop.budget().recordCall(startNanos);
        if (deadline != null) {
            deadlineAt = startNanos + deadline.toNanos();
        }
        do {
            walk();
            if (answered) {
                return answer;
            }
        } while (anotherRound());
        return finish();
    }

    /** One pass over the plan; sets {@link #answered} or leaves with the plan exhausted or the call stopped. */
    private void walk() {
        attemptsThisRound = 0;
        int tierIndex = 0;
        while (tierIndex < plan.length && !stopped) {
            Tier tier = plan[tierIndex];
            if (tier.isArchive() && (!sawNotFound || unanswered)) {
                return;
            }
            MemberRef member = pick(tier);
            if (member == null) {
                unanswered |= tierFailed;
                tierFailed = false;
                tierIndex++;
                continue;
            }
            CircuitBreaker breaker = member.state().breaker();
            if (!breaker.tryAcquirePermission()) {
                member.state().noticeBreakerState();
                trace().skip(member, breakerReason(member, breaker));
                continue;
            }
            if (!mayStartAttempt()) {
                breaker.releasePermission();
                if (deadlinePassed) {
                    runner.discard(lastResult);
                    throw new DeadlineExceededException(group.name(), deadline,
                            trace().describe(plan, "the deadline passed", archiveOpen()), lastFailure);
                }
                return;
            }
            Outcome outcome = !write && attempts == 0 && loop.hedging() && loop.maxAttempts() > 1
                    ? new HedgedRead<>(this).run(member, breaker, tierIndex) : attempt(member, breaker);
            if (answered) {
                return;
            }
            if (outcome == Outcome.NOT_FOUND) {
                sawNotFound = true;
                tierFailed = false;
                tierIndex++;
            } else {
                failures++;
                tierFailed = true;
                if (outcome == Outcome.FAILED && !idempotent) {
                    notSentAgain(member);
                    return;
                }
                if (failures >= loop.maxAttempts()) {
                    stop("the limit of " + loop.maxAttempts() + " failed attempts was reached");
                }
            }
        }
    }

    /** Healthy members first, then degraded ones; in panic, any. */
    MemberRef pick(Tier tier) {
        MemberRef member = tier.pick(trace, loop.random(), HEALTHY);
        if (member == null) {
            member = tier.pick(trace, loop.random(), panic ? ANY : DEGRADED);
        }
        return member;
    }

    /**
     * Backoff, deadline and budget allow one more attempt; otherwise the call stops (with
     * {@link #deadlinePassed} set when that is why). Never throws, so the caller can give back
     * the breaker permit it holds.
     */
    private boolean mayStartAttempt() {
        long now = attempts == 0 && waitNanos == 0 ? startNanos : loop.ticker().nanoTime();
        if (waitNanos > 0) {
            if (deadlineAt != Long.MAX_VALUE && now + waitNanos >= deadlineAt) {
                stop("waiting " + TimeUnit.NANOSECONDS.toMillis(waitNanos) + " ms to retry would pass the deadline");
                return false;
            }
            try {
                loop.ticker().sleep(waitNanos);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop("interrupted while waiting to retry");
                return false;
            }
            waitNanos = 0;
            now = loop.ticker().nanoTime();
        }
        if (now >= deadlineAt) {
            deadlinePassed = true;
            stop("the deadline passed");
            return false;
        }
        if (attempts > 0 && !loop.budget().tryRetry()) {
            stop("the retry budget is spent (extra attempts may add " + Math.round(loop.budget().ratio() * 100)
                    + "% to the calls, plus " + loop.budget().floorPerSecond() + " per second)");
            return false;
        }
        return true;
    }

    /** Why a member's breaker refused: its state, failure rate and last error. */
    private static String breakerReason(MemberRef member, CircuitBreaker breaker) {
        float rate = breaker.getMetrics().getFailureRate();
        String lastError = member.state().lastError();
        return "circuit breaker " + breaker.getState()
                + (rate >= 0 ? " (" + Math.round(rate) + "% of the last " + breaker.getMetrics().getNumberOfBufferedCalls()
                        + " attempts failed)" : "")
                + (lastError == null ? "" : "; last error: " + lastError);
    }

    private Outcome attempt(MemberRef member, CircuitBreaker breaker) {
        if (lastResult != null && !lastRetained) {
            lastResult = runner.retain(lastResult);
            lastRetained = true;
        }
        boolean extra = attempts > 0;
        long now = extra ? loop.ticker().nanoTime() : startNanos;
        R result = null;
        Exception failure = null;
        attempts++;
        attemptsThisRound++;
        member.state().started();
        try {
            result = runner.run(context, member, remaining(now));
        } catch (Exception e) {
            failure = e;
        } catch (Error e) {
            member.state().finished(loop.ticker().nanoTime() - now, true, e.toString());
            breaker.releasePermission();
            runner.discard(lastResult);
            throw e;
        }
        Outcome outcome = settle(member, breaker, result, failure, loop.ticker().nanoTime() - now);
        if (extra && !outcome.isFailure()) {
            loop.budget().refund();     // the budget caps retries that fail; this one got an answer
        }
        return outcome;
    }

    int attempts() {
        return attempts;
    }

    /**
     * How a call that returned ended, for listeners: {@code success}, or — for front doors whose
     * failures are results (an HTTP call gets the last response when no member answered) —
     * {@code not_found} or {@code failed} when the result is that last response, and
     * {@code failed} when it is a final server error (a POST's 500).
     */
    String outcome() {
        return ended;
    }

    /** Accounts for one finished attempt and decides what it means for the call. */
    Outcome settle(MemberRef member, CircuitBreaker breaker, R result, Exception failure, long took) {
        Outcome outcome = failure != null ? runner.classify(context, failure) : runner.classify(context, result);
        String description = outcome == Outcome.SUCCESS ? null
                : failure != null ? Failures.describe(failure, member) : runner.describe(result);
        // a server error handed to the caller (a POST's 500), or a timeout not tried again, still counts against the member
        boolean finalFailure = outcome == Outcome.FINAL
                && (failure == null ? runner.failedAnswer(result) : runner.failedAttempt(context, failure));
        member.state().finished(took, outcome.isFailure() || finalFailure, description);
        recordOnBreaker(breaker, outcome.isFailure() || finalFailure, outcome, took, failure);
        member.state().noticeBreakerState();
        Events events = loop.events();
        if (events.active()) {
            events.attemptFinished(group.name(), member.member(), outcome.eventName(), java.time.Duration.ofNanos(took));
            if (outcome.isFailure()) {
                events.failover(group.name(), member.member(), description);
            }
        }
        if (!write && outcome == Outcome.SUCCESS) {
            loop.recordReadLatency(took);
        }
        if (outcome == Outcome.SUCCESS || outcome == Outcome.FINAL && failure == null) {
            if (finalFailure) {
                ended = "failed";
            }
            runner.discard(lastResult);
            answer = result;
            answered = true;
            return outcome;
        }
        trace().record(member, took, description, result != null ? runner.error(result) : null);
        if (failure != null && Failures.certificateRefused(failure)) {
            trace().refuseForTheCall(member);
        }
        if (result != null) {
            retryAfterNanos = Math.max(retryAfterNanos, runner.retryAfterNanos(result));
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
                    group.name(), trace.describe(plan, "the call ended", archiveOpen()), failure);
        }
        return outcome;
    }

    long remaining(long now) {
        return deadlineAt == Long.MAX_VALUE ? Long.MAX_VALUE : deadlineAt - now;
    }

    /**
     * One attempt counted once: an answer (even a 404 or a 400) is a success for the breaker, a
     * server error a failure even when the caller gets it.
     */
    private static void recordOnBreaker(CircuitBreaker breaker, boolean failed, Outcome outcome, long nanos, Exception failure) {
        if (failed) {
            breaker.onError(nanos, TimeUnit.NANOSECONDS, failure != null ? failure : FailedResponse.INSTANCE);
        } else if (outcome == Outcome.FINAL && failure != null) {
            breaker.releasePermission();
        } else {
            breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
        }
    }

    private void notSentAgain(MemberRef member) {
        if (lastResult != null) {
            ended = "failed";
            answer = lastResult;
            answered = true;
            return;
        }
        throw new BackendCallException("A non-idempotent write to group '" + group.name() + "' failed after it may "
                + "have reached " + member.name() + ", so it was not sent again (mark the call idempotent, or send "
                + "an Idempotency-Key, to allow that):", group.name(),
                trace.describe(plan, "the write was not retried", false), lastFailure);
    }

    /**
     * Whether to walk the plan again: in panic when health checks ruled every member out, or
     * after a backoff when every member failed and attempts remain.
     */
    private boolean anotherRound() {
        if (stopped || sawNotFound) {
            return false;
        }
        if (attemptsThisRound == 0 && !panic && plan.length > 0) {
            panic = true;
            if (trace != null) {
                trace.newRound();
            }
            return true;
        }
        if (failures == 0 || attemptsThisRound == 0) {
            return false;
        }
        if (retryAfterNanos > loop.maxRetryAfterNanos()) {
            stop("the backend asked to wait " + TimeUnit.NANOSECONDS.toSeconds(retryAfterNanos)
                    + " s (Retry-After), longer than the " + TimeUnit.NANOSECONDS.toSeconds(loop.maxRetryAfterNanos())
                    + " s the router waits");
            return false;
        }
        round++;
        waitNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(loop.backoff().apply(round)), retryAfterNanos);
        retryAfterNanos = 0;
        unanswered = false;
        tierFailed = false;
        trace.newRound();
        return true;
    }

    private R finish() {
        // "not found" is the answer only when no tier was left unanswered after failures
        boolean notFoundIsTheAnswer = !unanswered && !tierFailed;
        if (lastResult != null && (!lastResultNotFound || notFoundIsTheAnswer)) {
            ended = lastResultNotFound ? "not_found" : "failed";
            return lastResult;
        }
        runner.discard(lastResult);
        if (notFoundIsTheAnswer && lastOutcome == Outcome.NOT_FOUND && lastFailure instanceof NotFoundException notFound) {
            throw notFound;
        }
        String kind = write ? "write" : "read (" + preference + ")";
        String where = group.isSharded() ? " (" + route.label() + ")" : "";
        String message = attempts == 0 && plan.length == 0
                ? "No backend of group '" + group.name() + "'" + where + " can take a " + kind
                        + ": the plan has no members (a REPLICA read needs READ_REPLICA backends)"
                : "No backend of group '" + group.name() + "'" + where + " could serve the " + kind
                        + (stopped ? " (" + stopReason + ")" : "") + ":";
        throw new NoBackendAvailableException(message, group.name(),
                trace().describe(plan, stopReason, sawNotFound && notFoundIsTheAnswer), lastFailure);
    }

    boolean archiveOpen() {
        return sawNotFound && !unanswered;
    }

    private void stop(String reason) {
        stopped = true;
        stopReason = reason;
    }

    CallTrace trace() {
        if (trace == null) {
            trace = new CallTrace();
        }
        return trace;
    }
}

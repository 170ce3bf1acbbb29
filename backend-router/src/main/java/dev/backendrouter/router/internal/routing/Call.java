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
    private static final int DEGRADED = MemberHealth.DEGRADED.ordinal();
    private static final int ANY = MemberHealth.UNHEALTHY.ordinal();

    private final AttemptLoop loop;
    private final GroupRoute group;
    private final ShardRoute route;
    private final Tier[] plan;
    private final ReadPreference preference;
    private final boolean write;
    private final boolean idempotent;
    private final Duration deadline;
    private final AttemptRunner<C, R> runner;
    private final C context;

    private CallTrace trace;
    private R answer;
    private boolean answered;
    private R lastResult;                 // the latest response that was not an answer, kept in case it is the last
    private boolean lastRetained;
    private boolean lastResultNotFound;
    private Exception lastFailure;
    private Outcome lastOutcome;
    private boolean sawNotFound;
    private boolean tierFailed;           // the current tier had a failure and no answer yet
    private boolean unanswered;           // some tier was left after failures without any answer
    private boolean stopped;
    private boolean deadlinePassed;
    private boolean panic;                // every member is unhealthy: try them anyway
    private int failures;
    private int attempts;
    private int attemptsThisRound;
    private int round;
    private long waitNanos;               // to wait before the next attempt (a new round's backoff)
    private long retryAfterNanos;
    private long deadlineAt = Long.MAX_VALUE;
    private String stopReason = "no member of the plan was left";

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
        if (deadline != null) {
            deadlineAt = loop.ticker().nanoTime() + deadline.toNanos();
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
                    ? hedged(member, breaker, tierIndex) : attempt(member, breaker);
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
    private MemberRef pick(Tier tier) {
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
        long now = loop.ticker().nanoTime();
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
        long now = loop.ticker().nanoTime();
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
        return settle(member, breaker, result, failure, loop.ticker().nanoTime() - now);
    }

    /**
     * A hedged read: the first attempt runs off the calling thread; if it has not answered after
     * the hedging delay, a second goes to another member, and the first good answer wins. Every
     * attempt is settled or abandoned before this returns, whatever happens.
     */
    private Outcome hedged(MemberRef first, CircuitBreaker firstBreaker, int tierIndex) {
        Running a = launch(first, firstBreaker);
        Running b = null;
        int hedgeTier = -1;
        try {
            if (!a.await(Math.min(loop.hedgeDelayNanos(), remaining(loop.ticker().nanoTime())))) {
                hedgeTier = hedgeTier(tierIndex);
                MemberRef second = hedgeTier < 0 ? null : pick(plan[hedgeTier]);
                if (second != null && second.state().breaker().tryAcquirePermission()) {
                    if (loop.budget().tryRetry()) {
                        b = launch(second, second.state().breaker());
                    } else {
                        second.state().breaker().releasePermission();
                    }
                }
            }
            Running done = firstDone(a, b);
            Outcome outcome = done.settle();
            Running other = done == a ? b : a;
            if (other == null || answered) {
                return outcome;
            }
            if (outcome.isFailure()) {
                failures++;       // the walk counts the outcome it returns, not this one
                tierFailed = true;
                unanswered |= done == a && hedgeTier != tierIndex;   // a later tier's answer does not answer this one
            } else if (outcome == Outcome.NOT_FOUND) {
                sawNotFound = true;
            }
            firstDone(other, null);
            return other.settle();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendCallException("Interrupted while waiting for a hedged read of group '" + group.name() + "':",
                    group.name(), trace().describe(plan, "the call was interrupted", archiveOpen()), e);
        } catch (java.util.concurrent.TimeoutException e) {
            for (Running running : java.util.Arrays.asList(a, b)) {
                if (running != null && !running.settled) {
                    trace().record(running.member, loop.ticker().nanoTime() - running.started,
                            "still running when the deadline passed", null);
                }
            }
            runner.discard(lastResult);
            throw new DeadlineExceededException(group.name(), deadline,
                    trace().describe(plan, "the deadline passed", archiveOpen()), lastFailure);
        } finally {
            a.abandonUnlessSettled();
            if (b != null) {
                b.abandonUnlessSettled();
            }
        }
    }

    /** The tier a hedge goes to: this one if a member is left, else the next hot tier with one; -1 if none. */
    private int hedgeTier(int tierIndex) {
        for (int i = tierIndex; i < plan.length && !plan[i].isArchive(); i++) {
            if (plan[i].pick(trace, loop.random(), panic ? ANY : DEGRADED) != null) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Waits for whichever of the running attempts finishes first, in slices, so the caller's own
     * cancellation (an OkHttp call timeout, say) ends the wait.
     */
    private Running firstDone(Running a, Running b) throws InterruptedException, java.util.concurrent.TimeoutException {
        while (true) {
            if (a.attempt.result().isDone()) {
                return a;
            }
            if (b != null && b.attempt.result().isDone()) {
                return b;
            }
            long left = remaining(loop.ticker().nanoTime());
            if (left <= 0) {
                throw new java.util.concurrent.TimeoutException();
            }
            if (runner.isCancelled(context)) {
                throw new BackendCallException("The hedged read of group '" + group.name() + "' was cancelled by the caller:",
                        group.name(), trace().describe(plan, "the call was cancelled", archiveOpen()), null);
            }
            java.util.concurrent.CompletableFuture<?> either = b == null ? a.attempt.result()
                    : java.util.concurrent.CompletableFuture.anyOf(a.attempt.result(), b.attempt.result());
            try {
                either.get(Math.min(left, WAIT_SLICE_NANOS), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException
                    | java.util.concurrent.CancellationException e) {
                // look again: done, cancelled, or out of time
            }
        }
    }

    private static final long WAIT_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private Running launch(MemberRef member, CircuitBreaker breaker) {
        long now = loop.ticker().nanoTime();
        attempts++;
        attemptsThisRound++;
        member.state().started();
        trace().mark(member);
        return new Running(member, breaker, now, loop.startHedged(runner, context, member, remaining(now)));
    }

    /** One attempt of a hedged read, running off the calling thread. */
    private final class Running {
        private final MemberRef member;
        private final CircuitBreaker breaker;
        private final long started;
        private final Started<R> attempt;
        private boolean settled;

        Running(MemberRef member, CircuitBreaker breaker, long started, Started<R> attempt) {
            this.member = member;
            this.breaker = breaker;
            this.started = started;
            this.attempt = attempt;
        }

        /** Waits up to {@code nanos} (real time) for the attempt; whether it finished. */
        boolean await(long nanos) throws InterruptedException {
            try {
                attempt.result().get(Math.max(nanos, 0), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                return false;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.CancellationException e) {
                return true;
            }
            return true;
        }

        Outcome settle() {
            settled = true;
            long took = loop.ticker().nanoTime() - started;
            try {
                return Call.this.settle(member, breaker, attempt.result().getNow(null), null, took);
            } catch (java.util.concurrent.CompletionException e) {
                Throwable cause = e.getCause();
                return Call.this.settle(member, breaker, null, cause instanceof Exception ex ? ex : new Exception(cause), took);
            } catch (java.util.concurrent.CancellationException e) {
                return Call.this.settle(member, breaker, null, e, took);
            }
        }

        /** The loser of a hedge, or an attempt left behind: cancelled, its response closed, its permit given back. */
        void abandonUnlessSettled() {
            if (settled) {
                return;
            }
            settled = true;
            attempt.cancel();
            attempt.result().thenAccept(runner::discard);
            member.state().abandoned();
            breaker.releasePermission();
        }
    }

    int attempts() {
        return attempts;
    }

    /** Accounts for one finished attempt and decides what it means for the call. */
    private Outcome settle(MemberRef member, CircuitBreaker breaker, R result, Exception failure, long took) {
        Outcome outcome = failure != null ? runner.classify(context, failure) : runner.classify(context, result);
        String description = outcome == Outcome.SUCCESS ? null
                : failure != null ? Failures.describe(failure, member) : runner.describe(result);
        member.state().finished(took, outcome.isFailure(), description);
        recordOnBreaker(breaker, outcome, took, failure);
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
            runner.discard(lastResult);
            answer = result;
            answered = true;
            return outcome;
        }
        trace().record(member, took, description, result != null ? runner.error(result) : null);
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

    private long remaining(long now) {
        return deadlineAt == Long.MAX_VALUE ? Long.MAX_VALUE : deadlineAt - now;
    }

    /** One attempt counted once: an answer (even a 404 or a 400) is a success for the breaker. */
    private static void recordOnBreaker(CircuitBreaker breaker, Outcome outcome, long nanos, Exception failure) {
        if (outcome.isFailure()) {
            breaker.onError(nanos, TimeUnit.NANOSECONDS, failure != null ? failure : FailedResponse.INSTANCE);
        } else if (outcome == Outcome.FINAL && failure != null) {
            breaker.releasePermission();
        } else {
            breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
        }
    }

    private void notSentAgain(MemberRef member) {
        if (lastResult != null) {
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
            return lastResult;
        }
        runner.discard(lastResult);
        if (notFoundIsTheAnswer && lastOutcome == Outcome.NOT_FOUND && lastFailure instanceof NotFoundException notFound) {
            throw notFound;
        }
        String kind = write ? "write" : "read (" + preference + ")";
        String message = attempts == 0 && plan.length == 0
                ? "No backend of group '" + group.name() + "' (" + route.label() + ") can take a " + kind
                        + ": the plan has no members (a REPLICA read needs READ_REPLICA backends)"
                : "No backend of group '" + group.name() + "' (" + route.label() + ") could serve the " + kind
                        + (stopped ? " (" + stopReason + ")" : "") + ":";
        throw new NoBackendAvailableException(message, group.name(),
                trace().describe(plan, stopReason, sawNotFound && notFoundIsTheAnswer), lastFailure);
    }

    private boolean archiveOpen() {
        return sawNotFound && !unanswered;
    }

    private void stop(String reason) {
        stopped = true;
        stopReason = reason;
    }

    private CallTrace trace() {
        if (trace == null) {
            trace = new CallTrace();
        }
        return trace;
    }

    /** What a breaker records for a failed attempt that got a response (a 503) rather than an exception. */
    static final class FailedResponse extends Exception {
        private static final long serialVersionUID = 1L;
        static final FailedResponse INSTANCE = new FailedResponse();

        private FailedResponse() {
            super("the backend answered with a retryable error", null, false, false);
        }
    }
}

package dev.backendrouter.router.internal.routing;

import dev.backendrouter.api.BackendCallException;
import dev.backendrouter.api.DeadlineExceededException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.concurrent.TimeUnit;

/**
 * A hedged read, the first attempt of a read when hedging is on: the attempt runs off the
 * calling thread; if it has not answered after the hedging delay, a second one goes to another
 * member, and the first good answer wins. Works on the {@link Call}'s own state.
 */
final class HedgedRead<C, R> {
    private final Call<C, R> call;

    HedgedRead(Call<C, R> call) {
        this.call = call;
    }

    /**
     * A hedged read: the first attempt runs off the calling thread; if it has not call.answered after
     * the hedging delay, a second goes to another member, and the first good answer wins. Every
     * attempt is settled or abandoned before this returns, whatever happens.
     */
    Outcome run(MemberRef first, CircuitBreaker firstBreaker, int tierIndex) {
        Running a = launch(first, firstBreaker);
        Running b = null;
        int hedgeTier = -1;
        try {
            if (!a.await(Math.min(call.loop.hedgeDelayNanos(), call.remaining(call.loop.ticker().nanoTime())))) {
                hedgeTier = hedgeTier(tierIndex);
                MemberRef second = hedgeTier < 0 ? null : call.pick(call.plan[hedgeTier]);
                if (second != null && second.state().breaker().tryAcquirePermission()) {
                    if (call.loop.budget().tryRetry()) {
                        b = launch(second, second.state().breaker());
                    } else {
                        second.state().breaker().releasePermission();
                    }
                }
            }
            Running done = firstDone(a, b);
            Outcome outcome = done.settle();
            Running other = done == a ? b : a;
            if (other == null || call.answered) {
                return outcome;
            }
            if (outcome.isFailure()) {
                call.failures++;       // the walk counts the outcome it returns, not this one
                call.tierFailed = true;
                call.unanswered |= done == a && hedgeTier != tierIndex;   // a later tier's answer does not answer this one
            } else if (outcome == Outcome.NOT_FOUND) {
                call.sawNotFound = true;
            }
            firstDone(other, null);
            return other.settle();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendCallException("Interrupted while waiting for a hedged read of group '" + call.group.name() + "':",
                    call.group.name(), call.trace().describe(call.plan, "the call was interrupted", call.archiveOpen()), e);
        } catch (java.util.concurrent.TimeoutException e) {
            for (Running running : java.util.Arrays.asList(a, b)) {
                if (running != null && !running.settled) {
                    call.trace().record(running.member, call.loop.ticker().nanoTime() - running.started,
                            "still running when the call.deadline passed", null);
                }
            }
            call.runner.discard(call.lastResult);
            throw new DeadlineExceededException(call.group.name(), call.deadline,
                    call.trace().describe(call.plan, "the call.deadline passed", call.archiveOpen()), call.lastFailure);
        } finally {
            a.abandonUnlessSettled();
            if (b != null) {
                b.abandonUnlessSettled();
            }
        }
    }

    /** The tier a hedge goes to: this one if a member is left, else the next hot tier with one; -1 if none. */
    private int hedgeTier(int tierIndex) {
        for (int i = tierIndex; i < call.plan.length && !call.plan[i].isArchive(); i++) {
            if (call.plan[i].pick(call.trace(), call.loop.random(), call.panic ? Call.ANY : Call.DEGRADED) != null) {
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
            long left = call.remaining(call.loop.ticker().nanoTime());
            if (left <= 0) {
                throw new java.util.concurrent.TimeoutException();
            }
            if (call.runner.isCancelled(call.context)) {
                throw new BackendCallException("The hedged read of group '" + call.group.name() + "' was cancelled by the caller:",
                        call.group.name(), call.trace().describe(call.plan, "the call was cancelled", call.archiveOpen()), null);
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
        long now = call.loop.ticker().nanoTime();
        call.attempts++;
        call.attemptsThisRound++;
        member.state().started();
        call.trace().mark(member);
        return new Running(member, breaker, now, call.loop.startHedged(call.runner, call.context, member, call.remaining(now)));
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
            long took = call.loop.ticker().nanoTime() - started;
            try {
                return call.settle(member, breaker, attempt.result().getNow(null), null, took);
            } catch (java.util.concurrent.CompletionException e) {
                Throwable cause = e.getCause();
                return call.settle(member, breaker, null, cause instanceof Exception ex ? ex : new Exception(cause), took);
            } catch (java.util.concurrent.CancellationException e) {
                return call.settle(member, breaker, null, e, took);
            }
        }

        /** The loser of a hedge, or an attempt left behind: cancelled, its response closed, its permit given back. */
        void abandonUnlessSettled() {
            if (settled) {
                return;
            }
            settled = true;
            attempt.cancel();
            attempt.result().thenAccept(call.runner::discard);
            member.state().abandoned();
            breaker.releasePermission();
        }
    }
}

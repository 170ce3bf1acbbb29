package dev.backendrouter.router.internal.routing;

/**
 * How one front door (HTTP, generic calls) runs and judges a single attempt. Stateless: the
 * per-call input travels as {@code context}, so the loop allocates nothing for it.
 *
 * @param <C> what the front door needs per call (the request, the user's function)
 * @param <R> what an attempt returns (a response, the user's value)
 */
public interface AttemptRunner<C, R> {

    /**
     * Runs one attempt on {@code member}.
     *
     * @param remainingNanos time left before the call's deadline; {@code Long.MAX_VALUE} when none
     */
    R run(C context, MemberRef member, long remainingNanos) throws Exception;

    /**
     * Starts one attempt on {@code executor}, cancellable, for hedged reads: the same request as
     * {@link #run}, independent of the calling thread.
     */
    Started<R> start(C context, MemberRef member, long remainingNanos, java.util.concurrent.Executor executor);

    Outcome classify(C context, R result);

    Outcome classify(C context, Exception failure);

    /** A short description of a result that was not a success, such as {@code HTTP 503}. */
    String describe(R result);

    /**
     * Whether a final result is the backend failing rather than answering (an HTTP 5xx that is not
     * sent again, such as a POST's 500): the caller gets it, and listeners hear the call as failed.
     */
    default boolean failedAnswer(R result) {
        return false;
    }

    /**
     * Whether a final failure is the backend's, not the caller's: an attempt that timed out or
     * broke and is not tried again (retries on timeouts turned off, a one-shot body). It counts
     * against the member like any failed attempt.
     */
    default boolean failedAttempt(C context, Exception failure) {
        return false;
    }

    /** The backend's own error report in a result that was not a success, or {@code null}. */
    dev.backendrouter.api.BackendError error(R result);

    /** Whether the caller gave up on the call (an OkHttp call cancelled or timed out). */
    boolean isCancelled(C context);

    /** How long the backend asked to be left alone ({@code Retry-After}), in nanoseconds; 0 when it did not say. */
    long retryAfterNanos(R result);

    /**
     * Makes a result that is not an answer (a 404, a 503) safe to hold while other attempts run,
     * in case it ends up being the caller's answer.
     */
    R retain(R result);

    /** Releases a result the caller will not get (closes a response body). */
    void discard(R result);
}

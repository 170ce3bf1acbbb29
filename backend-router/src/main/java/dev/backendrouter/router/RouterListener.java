package dev.backendrouter.router;

import dev.backendrouter.api.BackendMember;
import dev.backendrouter.api.Problem;
import dev.backendrouter.api.Topology;
import java.time.Duration;
import java.util.List;

/**
 * Hears what a router does: calls, attempts, failovers, breaker and health changes, cache reads
 * (and cache members' failures) and topology changes. Every method does nothing by default; override the ones you need.
 *
 * <p>Methods run on the thread where the thing happened — often a caller's thread, in the
 * middle of its call — so they must be quick and must not block. An exception thrown by a
 * listener is logged and otherwise ignored. Parameters are plain values, so a router with
 * listeners allocates no event objects.
 *
 * <pre>{@code
 * router.addListener(new RouterListener() {
 *     public void failover(String group, BackendMember from, String reason) {
 *         failovers.increment();
 *     }
 *     public void topologyRejected(String source, List<Problem> problems) {
 *         alerts.raise("bad topology from " + source + ": " + problems);
 *     }
 * });
 * }</pre>
 */
public interface RouterListener {

    /**
     * A call ended.
     *
     * @param outcome {@code success}, {@code not_found} or {@code failed}, as the caller got it: an
     *     HTTP call that gets the last error response (every member failed, or a POST that is not
     *     sent again) or a 5xx answer no other member is asked for (a POST's 500) is {@code failed},
     *     one that gets the last 404 {@code not_found}; any other answer, a 400 say, is
     *     {@code success}
     * @param attempts how many attempts it made
     */
    default void callFinished(String group, boolean write, String outcome, Duration duration, int attempts) {
    }

    /**
     * One attempt ended.
     *
     * @param outcome {@code success}, {@code not_found}, {@code failed} or {@code final} (an
     *     answer no other member would change, such as a 400)
     */
    default void attemptFinished(String group, BackendMember member, String outcome, Duration duration) {
    }

    /** A call moves on from a member whose attempt failed (or was skipped) to another one. */
    default void failover(String group, BackendMember from, String reason) {
    }

    /** A backend's circuit breaker changed state ({@code CLOSED}, {@code OPEN}, {@code HALF_OPEN}, ...). */
    default void breakerStateChanged(String backend, String from, String to) {
    }

    /** Active health checks changed their verdict on a backend. */
    default void healthChanged(String backend, MemberHealth from, MemberHealth to) {
    }

    /** A read of a cached group: {@code HIT}, {@code MISS}, {@code STALE} or {@code BYPASS}. */
    default void cacheRead(String group, String status) {
    }

    /**
     * A read asked a cache member served by a connector ({@code redis://}).
     *
     * @param result {@code hit}, {@code miss}, {@code error} (a failure or late answer: the read
     *     goes on as a miss) or {@code skipped} (not asked: its circuit breaker is open, its
     *     connection is being made, or a delete of the key is still owed to it)
     */
    default void cacheMemberRead(String group, BackendMember member, String result, Duration duration) {
    }

    /**
     * An operation on a cache member failed: the read went on to the data tiers, the write was not
     * cached or the invalidation not made. Never a caller-visible error.
     *
     * @param operation {@code get}, {@code set} or {@code delete}
     * @param reason what happened, with a hint; holds no secret
     */
    default void cacheFailed(String group, BackendMember member, String operation, String reason) {
    }

    /**
     * The topology source could not be read and the router started from its last-known-good copy
     * instead (it keeps polling the source).
     */
    default void topologyFromLastKnownGood(String source, String reason) {
    }

    /**
     * A discovered tier ({@code kubernetes://…}) changed: its endpoints, or its watch's connection.
     * While {@code connected} is false the members are the last ones known and {@code problem} says
     * why; the watch reconnects by itself.
     *
     * @param source the entry's URL
     * @param endpoints how many endpoints it has now
     */
    default void discoveryChanged(String source, boolean connected, int endpoints, String problem) {
    }

    /** A new topology is serving; {@code previous} served until now. */
    default void topologyApplied(Topology previous, Topology current) {
    }

    /** A new topology was refused; the previous one keeps serving. */
    default void topologyRejected(String source, List<Problem> problems) {
    }
}

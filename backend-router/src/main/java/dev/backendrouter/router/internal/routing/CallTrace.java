package dev.backendrouter.router.internal.routing;

import dev.backendrouter.api.Attempt;
import dev.backendrouter.api.BackendError;
import dev.backendrouter.router.MemberHealth;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What one call has done so far: the members it tried (or skipped) in the current round and how
 * each attempt ended. Created only once a call needs more than one attempt, so a call that
 * succeeds at once allocates none of it.
 */
final class CallTrace {
    private final List<MemberRef> tried = new ArrayList<>(4);
    private final List<Attempt> attempts = new ArrayList<>(4);
    /** Members no later round tries again: their certificate was refused. */
    private List<MemberRef> refused;

    boolean tried(MemberRef member) {
        for (int i = 0; i < tried.size(); i++) {
            if (tried.get(i) == member) {
                return true;
            }
        }
        return false;
    }

    /** A member an attempt is under way on (a hedge), so no other attempt picks it meanwhile. */
    void mark(MemberRef member) {
        if (!tried(member)) {
            tried.add(member);
        }
    }

    void record(MemberRef member, long nanos, String outcome, BackendError error) {
        mark(member);
        attempts.add(new Attempt(member.name(), member.member().url().toString(), member.member().role(),
                Duration.ofNanos(nanos), outcome, true, error));
    }

    /** A member passed over without an attempt (its breaker is open). */
    void skip(MemberRef member, String why) {
        tried.add(member);
        if (attempts.stream().noneMatch(a -> !a.tried() && a.member().equals(member.name()))) {
            attempts.add(attempt(member, Duration.ZERO, "skipped: " + why, false));
        }
    }

    /** A member that no round of this call tries again (its certificate was refused). */
    void refuseForTheCall(MemberRef member) {
        if (refused == null) {
            refused = new ArrayList<>(2);
        }
        if (!refused.contains(member)) {
            refused.add(member);
        }
    }

    /** Starts a new round over the plan: every member may be tried again, but for those refused for the call. */
    void newRound() {
        tried.clear();
        if (refused != null) {
            tried.addAll(refused);
        }
    }

    private static Attempt attempt(MemberRef member, Duration duration, String outcome, boolean tried) {
        return new Attempt(member.name(), member.member().url().toString(), member.member().role(), duration, outcome, tried,
                null);
    }

    /**
     * The attempts made, then every member of {@code plan} neither tried nor skipped, with why.
     *
     * @param archiveOpen whether the hot tiers answered not found, so the archive could be asked
     */
    List<Attempt> describe(Tier[] plan, String whyNotTried, boolean archiveOpen) {
        List<Attempt> all = new ArrayList<>(attempts);
        for (Tier tier : plan) {
            for (MemberRef member : tier.memberArray()) {
                if (all.stream().anyMatch(a -> a.member().equals(member.name()))) {
                    continue;
                }
                String why = tier.isArchive() && !archiveOpen
                        ? "not tried: the archive is asked only when the hot tiers answered not found"
                        : member.state().health() == MemberHealth.UNHEALTHY
                                ? "skipped: failing its health checks"
                                : "not tried: " + whyNotTried;
                all.add(attempt(member, Duration.ZERO, why, false));
            }
        }
        return all;
    }

    int attemptCount() {
        return attempts.size();
    }
}

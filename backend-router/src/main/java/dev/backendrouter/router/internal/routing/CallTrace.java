package dev.backendrouter.router.internal.routing;

import dev.backendrouter.api.Attempt;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What one call has done so far: the members it tried and how each attempt ended. Created only
 * once a call needs a second attempt, so a call that succeeds at once allocates none of it.
 */
final class CallTrace {
    private final List<MemberRef> tried = new ArrayList<>(4);
    private final List<Attempt> attempts = new ArrayList<>(4);

    boolean tried(MemberRef member) {
        for (int i = 0; i < tried.size(); i++) {
            if (tried.get(i) == member) {
                return true;
            }
        }
        return false;
    }

    void record(MemberRef member, long nanos, String outcome) {
        tried.add(member);
        attempts.add(new Attempt(member.name(), member.member().url().toString(), member.member().role(),
                Duration.ofNanos(nanos), outcome, true));
    }

    /**
     * The attempts made, then every member of {@code plan} not tried, with why.
     *
     * @param archiveOpen whether the hot tiers answered not found, so the archive could be asked
     */
    List<Attempt> describe(Tier[] plan, String whyNotTried, boolean archiveOpen) {
        List<Attempt> all = new ArrayList<>(attempts);
        for (Tier tier : plan) {
            String why = tier.isArchive() && !archiveOpen
                    ? "not tried: the archive is asked only when the hot tiers answered not found"
                    : "not tried: " + whyNotTried;
            for (MemberRef member : tier.memberArray()) {
                if (!tried(member)) {
                    all.add(new Attempt(member.name(), member.member().url().toString(), member.member().role(),
                            Duration.ZERO, why, false));
                }
            }
        }
        return all;
    }

    int attemptCount() {
        return attempts.size();
    }
}

package dev.backendrouter.router.internal.routing;

import java.util.random.RandomGenerator;

/** The member with the lowest latency estimate that this call has not tried; ties go to the first. */
final class Nearest implements Balancer {

    @Override
    public MemberRef pick(Tier tier, CallTrace trace, RandomGenerator random) {
        MemberRef best = null;
        double bestLatency = Double.MAX_VALUE;
        for (MemberRef member : tier.memberArray()) {
            double latency = member.state().latencyNanos();
            if (Balancer.eligible(member, trace) && latency < bestLatency) {
                best = member;
                bestLatency = latency;
            }
        }
        return best;
    }
}

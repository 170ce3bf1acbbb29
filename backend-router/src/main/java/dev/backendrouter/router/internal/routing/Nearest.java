package dev.backendrouter.router.internal.routing;

import java.util.random.RandomGenerator;

/**
 * The member with the lowest latency estimate that this call has not tried; ties go to the first.
 * One pick in {@value #EXPLORE_ONE_IN} goes to a member drawn by weight instead, so the estimates
 * of the others stay fresh and a member that got faster is noticed.
 */
final class Nearest implements Balancer {
    static final int EXPLORE_ONE_IN = 16;

    @Override
    public MemberRef pick(Tier tier, CallTrace trace, RandomGenerator random, int maxHealth) {
        if (random.nextInt(EXPLORE_ONE_IN) == 0) {
            return Balancer.scan(tier, trace, random, maxHealth);
        }
        MemberRef best = null;
        double bestLatency = Double.MAX_VALUE;
        for (MemberRef member : tier.memberArray()) {
            double latency = member.state().latencyNanos();
            if (Balancer.eligible(member, trace, maxHealth) && latency < bestLatency) {
                best = member;
                bestLatency = latency;
            }
        }
        return best;
    }
}

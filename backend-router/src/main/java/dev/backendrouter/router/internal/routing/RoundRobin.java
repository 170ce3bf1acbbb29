package dev.backendrouter.router.internal.routing;

import java.util.random.RandomGenerator;

/** Each member of a tier in turn, skipping the ones this call already tried; ignores weights. */
final class RoundRobin implements Balancer {
    @Override
    public MemberRef pick(Tier tier, CallTrace trace, RandomGenerator random, int maxHealth) {
        MemberRef[] members = tier.memberArray();
        int start = Math.floorMod(tier.cursor().getAndIncrement(), members.length);
        for (int i = 0; i < members.length; i++) {
            MemberRef candidate = members[(start + i) % members.length];
            if (Balancer.eligible(candidate, trace, maxHealth)) {
                return candidate;
            }
        }
        return null;
    }
}

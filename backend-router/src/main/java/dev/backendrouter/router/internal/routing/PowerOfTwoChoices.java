package dev.backendrouter.router.internal.routing;

import java.util.random.RandomGenerator;

/**
 * Two members drawn by weight (with replacement), the cheaper one wins; a tie goes to the first
 * draw, so idle members are picked in proportion to their weights. O(1) whatever the tier size.
 */
final class PowerOfTwoChoices implements Balancer {
    private static final int DRAWS = 4;

    @Override
    public MemberRef pick(Tier tier, CallTrace trace, RandomGenerator random, int maxHealth) {
        MemberRef[] members = tier.memberArray();
        if (members.length == 1) {
            return Balancer.eligible(members[0], trace, maxHealth) ? members[0] : null;
        }
        MemberRef first = draw(tier, trace, random, maxHealth);
        if (first == null) {
            return null;
        }
        MemberRef second = draw(tier, trace, random, maxHealth);
        if (second == null || second == first) {
            return first;
        }
        return second.state().cost() < first.state().cost() ? second : first;
    }

    private static MemberRef draw(Tier tier, CallTrace trace, RandomGenerator random, int maxHealth) {
        MemberRef[] members = tier.memberArray();
        for (int i = 0; i < DRAWS; i++) {
            MemberRef candidate = members[tier.sampler().sample(random)];
            if (Balancer.eligible(candidate, trace, maxHealth)) {
                return candidate;
            }
        }
        return Balancer.scan(tier, trace, random, maxHealth);
    }
}

package dev.backendrouter.router.internal.routing;

import java.util.random.RandomGenerator;

/**
 * Two different members drawn by weight, the cheaper one wins; a tie goes to the first draw, so
 * idle members are picked in proportion to their weights. O(1) whatever the tier size.
 *
 * <p>The draws are distinct: drawn with replacement, a member ten times slower than its two peers
 * would still get one pick in nine (both draws on it), which is its own latency at the p99. So
 * that a slow member's estimate stays fresh — and its recovery is noticed — one pick in
 * {@value #EXPLORE_ONE_IN} takes the second draw without comparing costs.
 */
final class PowerOfTwoChoices implements Balancer {
    private static final int DRAWS = 4;
    static final int EXPLORE_ONE_IN = 256;

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
        MemberRef second = drawOther(first, tier, trace, random, maxHealth);
        if (second == null) {
            return first;
        }
        if (random.nextInt(EXPLORE_ONE_IN) == 0) {
            return second;
        }
        return second.state().cost() < first.state().cost() ? second : first;
    }

    /** A second eligible member other than {@code first}, drawn by weight; else any other eligible one; else null. */
    private static MemberRef drawOther(MemberRef first, Tier tier, CallTrace trace, RandomGenerator random, int maxHealth) {
        MemberRef[] members = tier.memberArray();
        for (int i = 0; i < DRAWS; i++) {
            MemberRef candidate = members[tier.sampler().sample(random)];
            if (candidate != first && Balancer.eligible(candidate, trace, maxHealth)) {
                return candidate;
            }
        }
        int start = random.nextInt(members.length);
        for (int i = 0; i < members.length; i++) {
            MemberRef candidate = members[(start + i) % members.length];
            if (candidate != first && Balancer.eligible(candidate, trace, maxHealth)) {
                return candidate;
            }
        }
        return null;
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

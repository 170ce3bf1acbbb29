package dev.backendrouter.router.internal.routing;

import dev.backendrouter.router.LoadBalancing;
import java.util.random.RandomGenerator;

/**
 * Picks a member of a tier that this call has not tried yet and whose health is at most
 * {@code maxHealth} (a {@link dev.backendrouter.router.MemberHealth} ordinal); {@code null} when
 * none is left.
 */
interface Balancer {

    MemberRef pick(Tier tier, CallTrace trace, RandomGenerator random, int maxHealth);

    static Balancer of(LoadBalancing strategy) {
        return switch (strategy) {
            case POWER_OF_TWO_CHOICES -> new PowerOfTwoChoices();
            case ROUND_ROBIN -> new RoundRobin();
        };
    }

    static boolean eligible(MemberRef member, CallTrace trace, int maxHealth) {
        return member.state().health().ordinal() <= maxHealth && (trace == null || !trace.tried(member));
    }

    /** A weighted scan over the eligible members, for when sampling keeps hitting tried ones. */
    static MemberRef scan(Tier tier, CallTrace trace, RandomGenerator random, int maxHealth) {
        MemberRef[] members = tier.memberArray();
        long total = 0;
        for (MemberRef member : members) {
            if (eligible(member, trace, maxHealth)) {
                total += member.member().weight();
            }
        }
        if (total == 0) {
            return null;
        }
        long target = random.nextLong(total);
        for (MemberRef member : members) {
            if (eligible(member, trace, maxHealth)) {
                target -= member.member().weight();
                if (target < 0) {
                    return member;
                }
            }
        }
        return null;
    }
}

package dev.backendrouter.router.internal.routing;

import dev.backendrouter.api.BackendRole;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Members of one role and priority inside one shard (or unsharded group): the unit a balancer
 * picks from. Immutable but for the round-robin cursor.
 */
public final class Tier {
    private final BackendRole role;
    private final int priority;
    private final MemberRef[] members;
    private final Balancer balancer;
    private final WeightedSampler sampler;
    private final AtomicInteger cursor = new AtomicInteger();

    Tier(BackendRole role, int priority, List<MemberRef> members, Balancer balancer) {
        this.role = role;
        this.priority = priority;
        this.members = members.toArray(MemberRef[]::new);
        this.balancer = balancer;
        this.sampler = new WeightedSampler(members.stream().mapToInt(m -> m.member().weight()).toArray());
    }

    public BackendRole role() {
        return role;
    }

    public int priority() {
        return priority;
    }

    /** Whether this is the ARCHIVE tier, entered only after not-found answers. */
    public boolean isArchive() {
        return role == BackendRole.ARCHIVE;
    }

    public List<MemberRef> members() {
        return List.of(members);
    }

    MemberRef[] memberArray() {
        return members;
    }

    WeightedSampler sampler() {
        return sampler;
    }

    /** The round-robin position. */
    AtomicInteger cursor() {
        return cursor;
    }

    /** A member for a cache-tier request: healthy or degraded, by the tier's balancer; {@code null} when none is. */
    public MemberRef pickForCache(java.util.random.RandomGenerator random) {
        MemberRef member = balancer.pick(this, null, random, dev.backendrouter.router.MemberHealth.HEALTHY.ordinal());
        return member != null ? member : balancer.pick(this, null, random, dev.backendrouter.router.MemberHealth.DEGRADED.ordinal());
    }

    /** A member not yet tried in this call and healthy enough, or {@code null} when none is left. */
    MemberRef pick(CallTrace trace, java.util.random.RandomGenerator random, int maxHealth) {
        return balancer.pick(this, trace, random, maxHealth);
    }

    @Override
    public String toString() {
        return role + "(priority " + priority + ", " + members.length + " members)";
    }
}

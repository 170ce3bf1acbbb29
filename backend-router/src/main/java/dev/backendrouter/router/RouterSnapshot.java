package dev.backendrouter.router;

import dev.backendrouter.api.BackendRole;
import java.util.List;
import java.util.Map;

/**
 * The topology with every member's live state, at one moment: the basis of health endpoints,
 * dashboards and logs. Holds no secret: credentials show only as their header name.
 *
 * <pre>{@code
 * for (RouterSnapshot.GroupSnapshot group : router.snapshot().groups()) {
 *     for (RouterSnapshot.MemberSnapshot m : group.members()) {
 *         System.out.printf("%s %s in-flight=%d latency=%.1fms failures=%d%n",
 *             group.name(), m.name(), m.inFlight(), m.latencyMillis(), m.failures());
 *     }
 * }
 * }</pre>
 *
 * @param service the topology's service
 * @param stage the topology's stage, or {@code null}
 * @param version the topology's version label, or {@code null}
 * @param groups every group, in topology order
 */
public record RouterSnapshot(String service, String stage, String version, List<GroupSnapshot> groups) {

    public RouterSnapshot {
        groups = List.copyOf(groups);
    }

    /**
     * @param name the group's name
     * @param sharded whether calls need a routing key
     * @param members its members, in topology order
     * @param cache the group's cache counts
     */
    public record GroupSnapshot(String name, boolean sharded, List<MemberSnapshot> members, CacheSnapshot cache) {
        public GroupSnapshot {
            members = List.copyOf(members);
        }
    }

    /**
     * A group's cache counts since the router started.
     *
     * @param nearCache whether the group has a near cache
     * @param hits reads answered from the near cache
     * @param misses reads that went past the near cache (to the cache tier or the backends)
     * @param coalesced reads that waited for a load already under way for their key
     * @param stale expired answers served because every backend failed
     * @param tierHits reads answered by a CACHE member
     * @param tierMisses reads the CACHE members could not answer
     * @param populated answers written to CACHE members in the background
     * @param dropped background writes dropped because the queue was full
     * @param invalidations near-cache invalidations by writes
     * @param bypassed reads that skipped the caches (no-cache, read-your-writes)
     * @param tooLarge answers not written to a shared cache member ({@code redis://}) because they
     *     are over the value limit
     */
    public record CacheSnapshot(boolean nearCache, long hits, long misses, long coalesced, long stale, long tierHits,
            long tierMisses, long populated, long dropped, long invalidations, long bypassed, long tooLarge) {
    }

    /**
     * One member and the live state of its backend (shared by every member with its URL).
     *
     * @param auth {@code none}, or the header the credential travels in, with the value masked
     * @param health what active health checks say of the backend
     * @param breaker the state of its circuit breaker: {@code CLOSED}, {@code OPEN}, {@code HALF_OPEN}, ...
     * @param inFlight attempts running now
     * @param latencyMillis the decaying latency estimate; 0 before the first attempt
     * @param attempts attempts made so far
     * @param failures attempts that failed
     * @param lastError what the last failure was, or {@code null}
     */
    public record MemberSnapshot(
            String name,
            String url,
            BackendRole role,
            int priority,
            int weight,
            String routingKey,
            Map<String, String> labels,
            String auth,
            MemberHealth health,
            String breaker,
            int inFlight,
            double latencyMillis,
            long attempts,
            long failures,
            String lastError) {
    }
}

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
     */
    public record GroupSnapshot(String name, boolean sharded, List<MemberSnapshot> members) {
        public GroupSnapshot {
            members = List.copyOf(members);
        }
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

package dev.backendrouter.spring;

import dev.backendrouter.api.BackendRole;
import dev.backendrouter.router.BackendRouter;
import dev.backendrouter.router.MemberHealth;
import dev.backendrouter.router.RouterSnapshot;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The router's health, as {@code backendRouter} in the actuator: details per group and member.
 * DOWN only when a group — in a sharded group, any one shard — has no member a write could go to
 * (every PRIMARY/SHARD/BACKUP member serving it is unhealthy or behind an open breaker): one open
 * breaker is not an outage, but a shard nobody can write to is, even when the other shards are fine.
 */
public class BackendRouterHealthIndicator implements HealthIndicator {
    private final BackendRouter router;

    public BackendRouterHealthIndicator(BackendRouter router) {
        this.router = router;
    }

    @Override
    public Health health() {
        RouterSnapshot snapshot = router.snapshot();
        boolean up = true;
        Map<String, Object> groups = new LinkedHashMap<>();
        for (RouterSnapshot.GroupSnapshot group : snapshot.groups()) {
            Map<String, Object> members = new LinkedHashMap<>();
            for (RouterSnapshot.MemberSnapshot member : group.members()) {
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("url", member.url());
                details.put("role", member.role().name());
                details.put("health", member.health().name());
                details.put("breaker", member.breaker());
                details.put("inFlight", member.inFlight());
                details.put("latencyMillis", Math.round(member.latencyMillis() * 10) / 10.0);
                if (member.lastError() != null) {
                    details.put("lastError", member.lastError());
                }
                members.put(member.name(), details);
            }
            List<String> unwritable = unwritableShards(group);
            boolean writable = unwritable.isEmpty();
            up &= writable;
            groups.put(group.name(), group.sharded() && !writable
                    ? Map.of("writable", false, "unwritableShards", unwritable, "members", members)
                    : Map.of("writable", writable, "members", members));
        }
        return (up ? Health.up() : Health.down()).withDetail("service", snapshot.service())
                .withDetail("groups", groups).build();
    }

    /**
     * The shards (by routing key) no usable member can take writes for; for an unsharded group,
     * {@code [""]} when none can. A BACKUP without a routing key backs up every shard.
     */
    private static List<String> unwritableShards(RouterSnapshot.GroupSnapshot group) {
        Set<String> shards = new LinkedHashSet<>();
        Set<String> writable = new LinkedHashSet<>();
        boolean sharedBackup = false;
        for (RouterSnapshot.MemberSnapshot member : group.members()) {
            String shard = member.routingKey() == null ? "" : member.routingKey();
            if (member.role() == BackendRole.SHARD || !group.sharded() && member.role().acceptsWrites()) {
                shards.add(shard);
            }
            if (usable(member) && member.role().acceptsWrites()) {
                writable.add(shard);
                sharedBackup |= group.sharded() && shard.isEmpty();
            }
        }
        if (!group.sharded() && shards.isEmpty()) {
            shards.add("");
        }
        if (sharedBackup) {
            return List.of();
        }
        shards.removeAll(writable);
        return List.copyOf(shards);
    }

    private static boolean usable(RouterSnapshot.MemberSnapshot member) {
        return member.health() != MemberHealth.UNHEALTHY && !"OPEN".equals(member.breaker())
                && !"FORCED_OPEN".equals(member.breaker());
    }
}

package dev.backendrouter.spring;

import dev.backendrouter.router.BackendRouter;
import dev.backendrouter.router.MemberHealth;
import dev.backendrouter.router.RouterSnapshot;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The router's health, as {@code backendRouter} in the actuator: details per group and member.
 * DOWN only when a group has no member a write could go to (every PRIMARY/SHARD/BACKUP member is
 * unhealthy or behind an open breaker) — one open breaker is not an outage.
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
            boolean writable = false;
            Map<String, Object> members = new LinkedHashMap<>();
            for (RouterSnapshot.MemberSnapshot member : group.members()) {
                boolean usable = member.health() != MemberHealth.UNHEALTHY && !"OPEN".equals(member.breaker())
                        && !"FORCED_OPEN".equals(member.breaker());
                writable |= usable && member.role().acceptsWrites();
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
            up &= writable;
            groups.put(group.name(), Map.of("writable", writable, "members", members));
        }
        return (up ? Health.up() : Health.down()).withDetail("service", snapshot.service())
                .withDetail("groups", groups).build();
    }
}

package dev.backendrouter.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backendrouter.api.BackendMember;
import dev.backendrouter.api.BackendRole;
import dev.backendrouter.api.Topology;
import dev.backendrouter.router.BackendRouter;
import dev.backendrouter.router.HealthCheckSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/** Writability per shard: one shard nobody can write to is an outage, whatever the other shards do. */
class BackendRouterHealthIndicatorTest {

    private static BackendRouter shardedRouter(BackendMember... extra) {
        BackendMember[] members = new BackendMember[2 + extra.length];
        members[0] = BackendMember.builder("users-a-m", "http://127.0.0.1:5001").role(BackendRole.SHARD).routingKey("users-a-m").build();
        members[1] = BackendMember.builder("users-n-z", "http://127.0.0.1:5002").role(BackendRole.SHARD).routingKey("users-n-z").build();
        System.arraycopy(extra, 0, members, 2, extra.length);
        return BackendRouter.builder().healthChecks(HealthCheckSettings.disabled())
                .topology(Topology.builder().service("s").group("users", members).build()).build();
    }

    @Test
    void aShardWithNoWritableMemberIsDownEvenWhenTheOtherIsFine() {
        try (BackendRouter router = shardedRouter(BackendMember.builder("users-a-m-backup", "http://127.0.0.1:5003")
                .role(BackendRole.BACKUP).priority(2).routingKey("users-a-m").build())) {
            BackendRouterHealthIndicator indicator = new BackendRouterHealthIndicator(router);
            assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);

            router.circuitBreakerRegistry().circuitBreaker("users-a-m").transitionToOpenState();
            assertThat(indicator.health().getStatus()).as("the a-m shard still has its backup").isEqualTo(Status.UP);

            router.circuitBreakerRegistry().circuitBreaker("users-n-z").transitionToOpenState();
            Health down = indicator.health();
            assertThat(down.getStatus()).isEqualTo(Status.DOWN);
            @SuppressWarnings("unchecked")
            Map<String, Object> users = (Map<String, Object>) ((Map<String, Object>) down.getDetails().get("groups")).get("users");
            assertThat(users).containsEntry("writable", false).containsEntry("unwritableShards", java.util.List.of("users-n-z"));
        }
    }

    @Test
    void aBackupWithoutARoutingKeyBacksUpEveryShard() {
        try (BackendRouter router = shardedRouter(BackendMember.builder("users-backup", "http://127.0.0.1:5003")
                .role(BackendRole.BACKUP).priority(2).build())) {
            router.circuitBreakerRegistry().circuitBreaker("users-a-m").transitionToOpenState();
            router.circuitBreakerRegistry().circuitBreaker("users-n-z").transitionToOpenState();
            assertThat(new BackendRouterHealthIndicator(router).health().getStatus()).isEqualTo(Status.UP);
            router.circuitBreakerRegistry().circuitBreaker("users-backup").transitionToOpenState();
            assertThat(new BackendRouterHealthIndicator(router).health().getStatus()).isEqualTo(Status.DOWN);
        }
    }
}

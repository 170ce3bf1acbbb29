package dev.backendrouter.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backendrouter.api.BackendMember;
import dev.backendrouter.api.BackendRole;
import dev.backendrouter.api.BackendRouterException;
import dev.backendrouter.api.Topology;
import dev.backendrouter.api.TopologyException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackendRouterTest {
    private static final Topology TOPOLOGY = Topology.builder().service("file-service").stage("prod").version("9")
            .group("storage", BackendMember.builder("fs-1", "http://localhost:4001").label("zone", "a").build())
            .group("users",
                    BackendMember.builder("u1", "http://localhost:5001").role(BackendRole.SHARD).routingKey("users-a-m").build(),
                    BackendMember.builder("u2", "http://localhost:5002").role(BackendRole.SHARD).routingKey("users-n-z").build())
            .build();

    @Test
    void snapshotShowsTheTopologyAndLiveState() {
        try (BackendRouter router = BackendRouter.builder().topology(TOPOLOGY).build()) {
            router.group("storage").read(null, BackendMember::name);
            RouterSnapshot snapshot = router.snapshot();
            assertThat(snapshot.service()).isEqualTo("file-service");
            assertThat(snapshot.stage()).isEqualTo("prod");
            assertThat(snapshot.version()).isEqualTo("9");
            assertThat(snapshot.groups()).extracting(RouterSnapshot.GroupSnapshot::name, RouterSnapshot.GroupSnapshot::sharded)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("storage", false),
                            org.assertj.core.groups.Tuple.tuple("users", true));
            RouterSnapshot.MemberSnapshot fs = snapshot.groups().get(0).members().get(0);
            assertThat(fs.name()).isEqualTo("fs-1");
            assertThat(fs.url()).isEqualTo("http://localhost:4001");
            assertThat(fs.labels()).containsEntry("zone", "a");
            assertThat(fs.attempts()).isEqualTo(1);
            assertThat(fs.inFlight()).isZero();
            assertThat(fs.auth()).isEqualTo("none");
            assertThat(snapshot.groups().get(1).members()).extracting(RouterSnapshot.MemberSnapshot::routingKey)
                    .containsExactly("users-a-m", "users-n-z");
        }
    }

    @Test
    void closeStopsTheClientItMadeButNotOneItWasGiven() {
        BackendRouter own = BackendRouter.builder().topology(TOPOLOGY).build();
        OkHttpClient routed = own.httpClient();
        own.close();
        assertThat(routed.dispatcher().executorService().isShutdown()).isTrue();
        assertThatThrownBy(own::httpClient).isInstanceOf(BackendRouterException.class).hasMessageContaining("closed");
        assertThatThrownBy(own::snapshot).isInstanceOf(BackendRouterException.class);

        OkHttpClient mine = new OkHttpClient();
        BackendRouter shared = BackendRouter.builder().topology(TOPOLOGY).httpClient(mine).build();
        assertThat(shared.httpClient().connectionPool()).isSameAs(mine.connectionPool());
        assertThat(shared.httpClient().dispatcher()).isSameAs(mine.dispatcher());
        shared.close();
        assertThat(mine.dispatcher().executorService().isShutdown()).isFalse();
        mine.dispatcher().executorService().shutdown();
    }

    @Test
    void breakersTakeTheTopologysSettingsOverTheRouters() {
        Topology topology = Topology.builder().service("s")
                .circuitBreakerDefaults(new dev.backendrouter.api.BreakerSettings(null, null, 80, null, null))
                .group("g", BackendMember.builder("a", "http://localhost:1")
                                .circuitBreaker(new dev.backendrouter.api.BreakerSettings(4, 2, null, java.time.Duration.ofSeconds(30), null)).build(),
                        BackendMember.builder("b", "http://localhost:2").role(BackendRole.BACKUP).build())
                .build();
        try (BackendRouter router = BackendRouter.builder().topology(topology).healthChecks(HealthCheckSettings.disabled()).build()) {
            var a = router.circuitBreakerRegistry().circuitBreaker("a").getCircuitBreakerConfig();
            assertThat(a.getSlidingWindowSize()).isEqualTo(4);
            assertThat(a.getMinimumNumberOfCalls()).isEqualTo(2);
            assertThat(a.getFailureRateThreshold()).isEqualTo(80f);
            assertThat(a.getPermittedNumberOfCallsInHalfOpenState()).as("the router's default").isEqualTo(3);
            var b = router.circuitBreakerRegistry().circuitBreaker("b").getCircuitBreakerConfig();
            assertThat(b.getSlidingWindowSize()).as("the router's default").isEqualTo(50);
            assertThat(b.getFailureRateThreshold()).isEqualTo(80f);
        }
    }

    @Test
    void oneBackendNamedTwiceGetsTheExplicitSettingWhereverItStands() {
        Topology topology = Topology.builder().service("s")
                .group("a", BackendMember.builder("fs", "http://localhost:4001").build())
                .group("b", BackendMember.builder("fs", "http://localhost:4001")
                        .circuitBreaker(new dev.backendrouter.api.BreakerSettings(5, 2, null, null, null)).build())
                .build();
        try (BackendRouter router = BackendRouter.builder().topology(topology).healthChecks(HealthCheckSettings.disabled()).build()) {
            var config = router.circuitBreakerRegistry().circuitBreaker("fs").getCircuitBreakerConfig();
            assertThat(config.getSlidingWindowSize()).isEqualTo(5);
            assertThat(config.getMinimumNumberOfCalls()).isEqualTo(2);
        }
    }

    @Test
    void builderChecksItsInputs(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> BackendRouter.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("a topology source is required");
        assertThatThrownBy(() -> BackendRouter.builder().maxAttempts(0)).isInstanceOf(IllegalArgumentException.class);
        Path file = dir.resolve("topology.yaml");
        Files.writeString(file, """
                service: vault
                backends:
                  - { name: vault-prod, url: "http://vault:80", labels: { stage: prod } }
                """);
        assertThatThrownBy(() -> BackendRouter.builder().topology(TopologySource.file(file)).stage("prep").build())
                .isInstanceOf(TopologyException.class).hasMessageContaining("labelled for prod");
        try (BackendRouter router = BackendRouter.builder().topology(TopologySource.file(file)).stage("prod").build()) {
            assertThat(router.topology().stage()).isEqualTo("prod");
        }
    }
}

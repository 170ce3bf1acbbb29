package dev.backendrouter.router;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backendrouter.api.BackendMember;
import dev.backendrouter.api.BackendRole;
import dev.backendrouter.api.Topology;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Active health checks against servers on loopback; probes are run by hand, so no test waits for a schedule. */
class HealthCheckIntegrationTest {
    private final LoopbackBackend one = new LoopbackBackend("one");
    private final LoopbackBackend two = new LoopbackBackend("two");

    @AfterEach
    void stop() {
        one.close();
        two.close();
    }

    private static void health(LoopbackBackend backend, int status, String body) {
        backend.stub(get(urlPathEqualTo("/health")).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(body)));
    }

    private BackendRouter router() {
        return BackendRouter.builder()
                .topology(Topology.builder().service("s").group("storage",
                        BackendMember.builder("one", one.url()).build(),
                        BackendMember.builder("two", two.url()).build()).build())
                .healthChecks(HealthCheckSettings.defaults().withInterval(Duration.ofHours(1)))
                .build();
    }

    private static String read(BackendRouter router) throws IOException {
        try (Response response = router.httpClient().newCall(new Request.Builder().url("http://storage/data").build()).execute()) {
            return response.body().string();
        }
    }

    private static MemberHealth healthOf(BackendRouter router, String name) {
        return router.snapshot().groups().get(0).members().stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow().health();
    }

    @Test
    void unhealthyAfterThreeFailedProbesHealthyAfterTwoGoodOnes() throws IOException {
        health(one, 503, "{\"status\":\"unhealthy\"}");
        health(two, 200, "{\"status\":\"healthy\",\"service\":\"two\",\"uptime\":1}");
        try (BackendRouter router = router()) {
            router.probeHealthNow();
            router.probeHealthNow();
            assertThat(healthOf(router, "one")).as("two failures are not yet three").isEqualTo(MemberHealth.UNKNOWN);
            router.probeHealthNow();
            assertThat(healthOf(router, "one")).isEqualTo(MemberHealth.UNHEALTHY);
            assertThat(healthOf(router, "two")).isEqualTo(MemberHealth.HEALTHY);
            for (int i = 0; i < 20; i++) {
                assertThat(read(router)).isEqualTo("two");
            }
            assertThat(one.requests().stream().filter(r -> !r.getUrl().equals("/health"))).isEmpty();

            health(one, 200, "{\"status\":\"healthy\"}");
            router.probeHealthNow();
            assertThat(healthOf(router, "one")).as("one good probe is not yet two").isEqualTo(MemberHealth.UNHEALTHY);
            router.probeHealthNow();
            assertThat(healthOf(router, "one")).isEqualTo(MemberHealth.HEALTHY);
        }
    }

    @Test
    void degradedMembersServeAfterHealthyOnes() throws IOException {
        health(one, 200, "{\"status\":\"degraded\"}");
        health(two, 200, "{\"status\":\"healthy\"}");
        try (BackendRouter router = router()) {
            router.probeHealthNow();
            assertThat(healthOf(router, "one")).isEqualTo(MemberHealth.DEGRADED);
            for (int i = 0; i < 20; i++) {
                assertThat(read(router)).isEqualTo("two");
            }
            two.stop();
            assertThat(read(router)).as("the degraded member still serves when it is all there is").isEqualTo("one");
            two.start();
        }
    }

    @Test
    void whenEveryMemberIsUnhealthyTheyAreTriedAnyway() throws IOException {
        health(one, 500, "down");
        health(two, 500, "down");
        try (BackendRouter router = router()) {
            for (int i = 0; i < 3; i++) {
                router.probeHealthNow();
            }
            assertThat(healthOf(router, "one")).isEqualTo(MemberHealth.UNHEALTHY);
            assertThat(healthOf(router, "two")).isEqualTo(MemberHealth.UNHEALTHY);
            assertThat(read(router)).as("health data can be wrong: panic tries them").isIn("one", "two");
        }
    }

    @Test
    void awaitHealthyWaitsForAWritableHealthyMember() throws InterruptedException {
        health(one, 200, "{\"status\":\"healthy\"}");
        health(two, 503, "");
        try (BackendRouter router = router()) {
            assertThat(router.awaitHealthy(Duration.ofSeconds(5))).isTrue();
        }
        Topology onlyTwo = Topology.builder().service("s").group("storage", BackendMember.builder("two", two.url()).build(),
                BackendMember.builder("r", one.url()).role(BackendRole.READ_REPLICA).build()).build();
        try (BackendRouter router = BackendRouter.builder().topology(onlyTwo)
                .healthChecks(HealthCheckSettings.defaults().withThresholds(1, 1)).build()) {
            assertThat(router.awaitHealthy(Duration.ofMillis(300))).as("a healthy replica cannot take writes").isFalse();
        }
    }

    @Test
    void probesCarryCredentialsAndUseThePath() throws IOException {
        one.stub(get(urlPathEqualTo("/api/status")).willReturn(aResponse().withBody("{\"status\":\"healthy\"}")));
        Topology topology = Topology.builder().service("s").group("school", BackendMember.builder("one", one.url() + "/api")
                .auth(dev.backendrouter.api.BackendAuth.apiKey("X-API-Key", "k")).build()).build();
        try (BackendRouter router = BackendRouter.builder().topology(topology)
                .healthChecks(HealthCheckSettings.defaults().withPath("/status").withInterval(Duration.ofHours(1))).build()) {
            router.probeHealthNow();
            assertThat(healthOf(router, "one")).isEqualTo(MemberHealth.HEALTHY);
            assertThat(one.requests()).singleElement().satisfies(r -> {
                assertThat(r.getUrl()).isEqualTo("/api/status");
                assertThat(r.getHeader("X-API-Key")).isEqualTo("k");
            });
        }
    }

    @Test
    void closeLeavesNoThreadBehind() throws InterruptedException {
        health(one, 200, "{}");
        health(two, 200, "{}");
        BackendRouter router = BackendRouter.builder()
                .topology(Topology.builder().service("threads").group("g", BackendMember.builder("one", one.url()).build()).build())
                .healthChecks(HealthCheckSettings.defaults().withInterval(Duration.ofMillis(20))).build();
        assertThat(router.awaitHealthy(Duration.ofSeconds(5))).isTrue();
        assertThat(threads("backend-router-health-threads")).isNotEmpty();
        router.close();
        assertThat(threads("backend-router-health-threads")).isEmpty();
    }

    private static List<String> threads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith(prefix)).toList();
    }
}

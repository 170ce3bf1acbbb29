package dev.backendrouter.router;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backendrouter.api.BackendMember;
import dev.backendrouter.api.BackendRole;
import dev.backendrouter.api.NearCacheSettings;
import dev.backendrouter.api.Topology;
import dev.backendrouter.router.metrics.BackendRouterMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What listeners hear, in order, and the Micrometer meters built on them. */
class EventsAndMetricsIntegrationTest {
    private final LoopbackBackend primary = new LoopbackBackend("primary");
    private final LoopbackBackend backup = new LoopbackBackend("backup");
    private final List<String> heard = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void stop() {
        primary.close();
        backup.close();
    }

    private final RouterListener recorder = new RouterListener() {
        @Override
        public void callFinished(String group, boolean write, String outcome, Duration duration, int attempts) {
            heard.add("call " + group + " " + (write ? "write" : "read") + " " + outcome + " after " + attempts);
        }

        @Override
        public void attemptFinished(String group, BackendMember member, String outcome, Duration duration) {
            heard.add("attempt " + member.name() + " " + outcome);
        }

        @Override
        public void failover(String group, BackendMember from, String reason) {
            heard.add("failover from " + from.name() + ": " + reason);
        }

        @Override
        public void breakerStateChanged(String backend, String from, String to) {
            heard.add("breaker " + backend + " " + from + " -> " + to);
        }

        @Override
        public void healthChanged(String backend, MemberHealth from, MemberHealth to) {
            heard.add("health " + backend + " " + from + " -> " + to);
        }

        @Override
        public void cacheRead(String group, String status) {
            heard.add("cache " + group + " " + status);
        }
    };

    private BackendRouter router() {
        return BackendRouter.builder().listener(recorder)
                .healthChecks(HealthCheckSettings.defaults().withInterval(Duration.ofHours(1)).withThresholds(1, 1))
                .nearCache("storage", new NearCacheSettings(10, Duration.ofMinutes(1), null))
                .topology(Topology.builder().service("events").group("storage",
                        BackendMember.builder("primary", primary.url()).build(),
                        BackendMember.builder("backup", backup.url()).role(BackendRole.BACKUP).priority(2).build()).build())
                .build();
    }

    private static String read(BackendRouter router, String path) throws IOException {
        try (Response response = router.httpClient().newCall(new Request.Builder().url("http://storage" + path).build()).execute()) {
            return response.body().string();
        }
    }

    @Test
    void listenersHearEachStepInOrder() throws IOException {
        primary.stub(any(urlPathEqualTo("/busy")).willReturn(aResponse().withStatus(503)));
        try (BackendRouter router = router()) {
            assertThat(read(router, "/busy")).isEqualTo("backup");
            assertThat(heard).containsExactly(
                    "attempt primary failed",
                    "failover from primary: HTTP 503",
                    "attempt backup success",
                    "call storage read success after 2",
                    "cache storage MISS");
            heard.clear();
            read(router, "/busy");
            assertThat(heard).containsExactly("cache storage HIT");

            heard.clear();
            router.circuitBreakerRegistry().circuitBreaker("primary").transitionToOpenState();
            primary.stub(get(urlPathEqualTo("/health")).willReturn(aResponse().withStatus(500)));
            router.probeHealthNow();
            assertThat(heard).containsExactlyInAnyOrder("breaker primary CLOSED -> OPEN", "health primary UNKNOWN -> UNHEALTHY",
                    "health backup UNKNOWN -> HEALTHY");
        }
    }

    @Test
    void aFailingListenerNeverBreaksACall() throws IOException {
        try (BackendRouter router = router()) {
            router.addListener(new RouterListener() {
                @Override
                public void attemptFinished(String group, BackendMember member, String outcome, Duration duration) {
                    throw new IllegalStateException("listener bug");
                }
            });
            assertThat(read(router, "/ok")).isEqualTo("primary");
        }
    }

    @Test
    void micrometerMetersCountCallsAttemptsAndMemberState() throws IOException {
        primary.stub(any(urlPathEqualTo("/busy")).willReturn(aResponse().withStatus(503)));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (BackendRouter router = router()) {
            BackendRouterMetrics.bind(router, registry);
            read(router, "/busy");
            read(router, "/busy");
            read(router, "/ok");
            assertThat(registry.get("backend.router.calls").tags("group", "storage", "kind", "read", "outcome", "success")
                    .timer().count()).isEqualTo(2);
            assertThat(registry.get("backend.router.attempts").tags("member", "primary", "role", "PRIMARY", "outcome", "failed")
                    .timer().count()).isEqualTo(1);
            assertThat(registry.get("backend.router.failovers").tags("member", "primary").counter().count()).isEqualTo(1);
            assertThat(registry.get("backend.router.cache.reads").tags("status", "HIT").counter().count()).isEqualTo(1);
            assertThat(registry.get("backend.router.member.in.flight").tags("member", "primary").gauge().value()).isZero();
            assertThat(registry.get("backend.router.member.breaker.open").tags("member", "primary").gauge().value()).isZero();
            router.circuitBreakerRegistry().circuitBreaker("primary").transitionToOpenState();
            assertThat(registry.get("backend.router.member.breaker.open").tags("member", "primary").gauge().value()).isEqualTo(1);
            assertThat(registry.get("backend.router.breaker.transitions").tags("member", "primary", "state", "OPEN")
                    .counter().count()).isEqualTo(1);
        }
    }
}

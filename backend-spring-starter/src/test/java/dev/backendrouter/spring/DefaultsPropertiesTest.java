package dev.backendrouter.spring;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.backendrouter.router.BackendRouter;
import dev.backendrouter.router.HealthCheckSettings;
import dev.backendrouter.router.ReadPreference;
import java.io.IOException;
import java.time.Duration;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The resilience, cache and health defaults: each property binds, and the ones a call can show reach the router. */
class DefaultsPropertiesTest {
    private final WireMockServer primary = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    private final WireMockServer backup = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    private ApplicationContextRunner runner;

    @BeforeEach
    void start() {
        primary.start();
        backup.start();
        backup.stubFor(any(anyUrl()).willReturn(aResponse().withBody("backup")));
        runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(BackendRouterAutoConfiguration.class))
                .withPropertyValues(
                        "backend-router.groups.storage.backends[0].name=primary",
                        "backend-router.groups.storage.backends[0].url=" + primary.baseUrl(),
                        "backend-router.groups.storage.backends[1].name=backup",
                        "backend-router.groups.storage.backends[1].url=" + backup.baseUrl(),
                        "backend-router.groups.storage.backends[1].role=BACKUP",
                        "backend-router.groups.storage.backends[1].priority=2");
    }

    @AfterEach
    void stop() {
        primary.stop();
        backup.stop();
    }

    @Test
    void everyDefaultBindsWithDurationsInAnyBootFormat() {
        runner.withPropertyValues(
                        "backend-router.service=billing",
                        "backend-router.read-preference=REPLICA_PREFERRED",
                        "backend-router.resilience.max-attempts=4",
                        "backend-router.resilience.attempt-timeout=750ms",
                        "backend-router.resilience.deadline=3s",
                        "backend-router.resilience.retry-budget-ratio=0.1",
                        "backend-router.resilience.retry-budget-floor-per-second=5",
                        "backend-router.resilience.reload-interval=1m",
                        "backend-router.cache.read-your-writes=2s",
                        "backend-router.cache.tier-timeout=40ms",
                        "backend-router.cache.member-timeout=20ms",
                        "backend-router.cache.value-limit=65536",
                        "backend-router.health.enabled=true",
                        "backend-router.health.path=/ready",
                        "backend-router.health.interval=PT7S",
                        "backend-router.health.timeout=900ms",
                        "backend-router.health.unhealthy-after=5",
                        "backend-router.health.healthy-after=3")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    BackendRouterProperties properties = context.getBean(BackendRouterProperties.class);
                    assertThat(properties.getService()).isEqualTo("billing");
                    assertThat(properties.getReadPreference()).isEqualTo(ReadPreference.REPLICA_PREFERRED);
                    BackendRouterProperties.Resilience resilience = properties.getResilience();
                    assertThat(resilience.getMaxAttempts()).isEqualTo(4);
                    assertThat(resilience.getAttemptTimeout()).isEqualTo(Duration.ofMillis(750));
                    assertThat(resilience.getDeadline()).isEqualTo(Duration.ofSeconds(3));
                    assertThat(resilience.getRetryBudgetRatio()).isEqualTo(0.1);
                    assertThat(resilience.getRetryBudgetFloorPerSecond()).isEqualTo(5);
                    assertThat(resilience.getReloadInterval()).isEqualTo(Duration.ofMinutes(1));
                    assertThat(properties.getCache().getReadYourWrites()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(properties.getCache().getTierTimeout()).isEqualTo(Duration.ofMillis(40));
                    assertThat(properties.getCache().getMemberTimeout()).isEqualTo(Duration.ofMillis(20));
                    assertThat(properties.getCache().getValueLimit()).isEqualTo(65536);

                    HealthCheckSettings health = BackendRouterAutoConfiguration.health(properties.getHealth());
                    assertThat(health.enabled()).isTrue();
                    assertThat(health.path()).isEqualTo("/ready");
                    assertThat(health.interval()).isEqualTo(Duration.ofSeconds(7));
                    assertThat(health.timeout()).isEqualTo(Duration.ofMillis(900));
                    assertThat(health.unhealthyAfter()).isEqualTo(5);
                    assertThat(health.healthyAfter()).isEqualTo(3);
                    assertThat(context.getBean(BackendRouter.class).topology().service()).isEqualTo("billing");
                });
    }

    @Test
    void theRedisCacheSettingsReachTheBuilder() {
        runner.withPropertyValues("backend-router.health.enabled=false", "backend-router.cache.value-limit=0")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessage("the cache value limit must be at least 1 byte, was 0"));
        runner.withPropertyValues("backend-router.health.enabled=false", "backend-router.cache.member-timeout=0s")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessage("cacheMemberTimeout must be positive, was PT0S"));
    }

    @Test
    void healthLeftUnsetKeepsTheRouterDefaultsAndCanBeSwitchedOff() {
        assertThat(BackendRouterAutoConfiguration.health(new BackendRouterProperties.Health()))
                .isEqualTo(HealthCheckSettings.defaults());
        BackendRouterProperties.Health off = new BackendRouterProperties.Health();
        off.setEnabled(false);
        assertThat(BackendRouterAutoConfiguration.health(off).enabled()).isFalse();
        BackendRouterProperties.Health onlyHealthyAfter = new BackendRouterProperties.Health();
        onlyHealthyAfter.setHealthyAfter(4);
        assertThat(BackendRouterAutoConfiguration.health(onlyHealthyAfter))
                .returns(4, HealthCheckSettings::healthyAfter)
                .returns(HealthCheckSettings.defaults().unhealthyAfter(), HealthCheckSettings::unhealthyAfter);
    }

    @Test
    void theAttemptTimeoutCutsASlowPrimaryAndTheBackupAnswers() {
        primary.stubFor(any(anyUrl()).willReturn(aResponse().withBody("primary").withFixedDelay(3_000)));
        runner.withPropertyValues("backend-router.health.enabled=false",
                        "backend-router.resilience.attempt-timeout=200ms", "backend-router.resilience.deadline=2s")
                .run(context -> assertThat(body(context.getBean(BackendRouter.class), "http://storage/files/1"))
                        .isEqualTo("backup"));
    }

    @Test
    void theDeadlineBoundsTheWholeCall() {
        primary.stubFor(any(anyUrl()).willReturn(aResponse().withBody("primary").withFixedDelay(3_000)));
        backup.stubFor(any(anyUrl()).willReturn(aResponse().withBody("backup").withFixedDelay(3_000)));
        runner.withPropertyValues("backend-router.health.enabled=false", "backend-router.resilience.deadline=300ms")
                .run(context -> {
                    BackendRouter router = context.getBean(BackendRouter.class);
                    assertThat(catchThrowable(() -> body(router, "http://storage/files/1")))
                            .isInstanceOf(IOException.class)
                            .hasMessageContaining("deadline");
                });
    }

    private static String body(BackendRouter router, String url) throws IOException {
        try (Response response = router.httpClient().newCall(new Request.Builder().url(url).build()).execute()) {
            return response.body().string();
        }
    }
}

package dev.backendrouter.spring;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.backendrouter.api.BackendMember;
import dev.backendrouter.api.BackendRole;
import dev.backendrouter.api.Topology;
import dev.backendrouter.api.TopologyException;
import dev.backendrouter.router.BackendRouter;
import dev.backendrouter.router.RouterSnapshot;
import dev.backendrouter.router.metrics.BackendRouterMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/** The starter's beans, properties and conditions, against WireMock backends on loopback. */
class BackendRouterAutoConfigurationTest {
    private final WireMockServer primary = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    private final WireMockServer backup = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    private ApplicationContextRunner runner;

    @BeforeEach
    void start() {
        primary.start();
        backup.start();
        primary.stubFor(any(anyUrl()).willReturn(aResponse().withBody("primary")));
        backup.stubFor(any(anyUrl()).willReturn(aResponse().withBody("backup")));
        runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(BackendRouterAutoConfiguration.class,
                        BackendRouterRestClientAutoConfiguration.class, BackendRouterActuatorAutoConfiguration.class))
                .withPropertyValues(
                        "spring.application.name=file-service",
                        "backend-router.health.enabled=false",
                        "backend-router.groups.storage.backends[0].name=file-system-server-1",
                        "backend-router.groups.storage.backends[0].url=" + primary.baseUrl(),
                        "backend-router.groups.storage.backends[0].role=PRIMARY",
                        "backend-router.groups.storage.backends[1].name=file-system-server-2",
                        "backend-router.groups.storage.backends[1].url=" + backup.baseUrl(),
                        "backend-router.groups.storage.backends[1].role=BACKUP",
                        "backend-router.groups.storage.backends[1].priority=2",
                        "backend-router.groups.storage.backends[1].auth.header=X-API-Key",
                        "backend-router.groups.storage.backends[1].auth.value=very-secret");
    }

    @AfterEach
    void stop() {
        primary.stop();
        backup.stop();
    }

    private static String get(OkHttpClient client, String url) throws IOException {
        try (Response response = client.newCall(new Request.Builder().url(url).build()).execute()) {
            return response.body().string();
        }
    }

    @Test
    void inlineGroupsMakeARouterAndARoutedClient() {
        runner.run(context -> {
            BackendRouter router = context.getBean(BackendRouter.class);
            assertThat(router.topology().service()).isEqualTo("file-service");
            assertThat(router.topology().group("storage").orElseThrow().members())
                    .extracting(BackendMember::name, BackendMember::role, BackendMember::priority)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("file-system-server-1", BackendRole.PRIMARY, 1),
                            org.assertj.core.groups.Tuple.tuple("file-system-server-2", BackendRole.BACKUP, 2));
            OkHttpClient http = context.getBean("backendRouterHttpClient", OkHttpClient.class);
            assertThat(get(http, "http://storage/files/1")).isEqualTo("primary");
            primary.stop();
            assertThat(get(http, "http://storage/files/1")).isEqualTo("backup");
        });
    }

    @Test
    void restClientCallsToAGroupAreRouted() {
        runner.run(context -> {
            RestClient.Builder builder = RestClient.builder();
            context.getBeansOfType(RestClientCustomizer.class).values().forEach(customizer -> customizer.customize(builder));
            String body = builder.build().get().uri("http://storage/files/42").retrieve().body(String.class);
            assertThat(body).isEqualTo("primary");
        });
    }

    @Test
    void restClientCallsToOtherHostsKeepTheApplicationsRequestFactory() {
        java.util.concurrent.atomic.AtomicInteger otherHostRequests = new java.util.concurrent.atomic.AtomicInteger();
        ClientHttpRequestFactoryBuilder<ClientHttpRequestFactory> counting = settings -> (uri, method) -> {
            otherHostRequests.incrementAndGet();
            return new SimpleClientHttpRequestFactory().createRequest(uri, method);
        };
        runner.withBean(ClientHttpRequestFactoryBuilder.class, () -> counting).run(context -> {
            RestClient.Builder builder = RestClient.builder();
            context.getBeansOfType(RestClientCustomizer.class).values().forEach(customizer -> customizer.customize(builder));
            RestClient client = builder.build();
            assertThat(client.get().uri(backup.baseUrl() + "/direct").retrieve().body(String.class)).isEqualTo("backup");
            assertThat(otherHostRequests).as("a host that is not a group goes to the application's factory").hasValue(1);
            assertThat(client.get().uri("http://storage/files/42").retrieve().body(String.class)).isEqualTo("primary");
            assertThat(otherHostRequests).as("a group goes through the router").hasValue(1);
        });
    }

    @Test
    void theRouterIsClosedWithTheContext() {
        BackendRouter[] holder = new BackendRouter[1];
        runner.run(context -> holder[0] = context.getBean(BackendRouter.class));
        org.assertj.core.api.Assertions.assertThatThrownBy(holder[0]::snapshot).hasMessageContaining("closed");
    }

    @Test
    void healthIsDownOnlyWhenAGroupCannotTakeWrites() {
        runner.run(context -> {
            HealthIndicator health = context.getBean("backendRouterHealthIndicator", HealthIndicator.class);
            assertThat(health.health().getStatus()).isEqualTo(Status.UP);
            BackendRouter router = context.getBean(BackendRouter.class);
            router.circuitBreakerRegistry().circuitBreaker("file-system-server-1").transitionToOpenState();
            assertThat(health.health().getStatus()).as("one open breaker is not an outage").isEqualTo(Status.UP);
            router.circuitBreakerRegistry().circuitBreaker("file-system-server-2").transitionToOpenState();
            Health down = health.health();
            assertThat(down.getStatus()).isEqualTo(Status.DOWN);
            assertThat(down.getDetails().toString()).contains("file-system-server-1", "OPEN").doesNotContain("very-secret");
        });
    }

    @Test
    void theBackendsEndpointShowsTheSnapshotWithSecretsMasked() {
        runner.run(context -> {
            RouterSnapshot snapshot = context.getBean(BackendsEndpoint.class).backends();
            assertThat(snapshot.groups().get(0).members().get(1).auth()).isEqualTo("X-API-Key: ****");
            assertThat(snapshot.toString()).doesNotContain("very-secret");
        });
    }

    @Test
    void metricsAreBoundWhenTheApplicationHasAMeterRegistry() {
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
            assertThat(context).hasSingleBean(BackendRouterMetrics.class);
            get(context.getBean("backendRouterHttpClient", OkHttpClient.class), "http://storage/x");
            assertThat(context.getBean(MeterRegistry.class).find("backend.router.calls").timer()).isNotNull();
        });
        runner.run(context -> assertThat(context).doesNotHaveBean(BackendRouterMetrics.class));
    }

    @Test
    void eachIntegrationStepsAsideWithoutItsLibrary() {
        runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
                .withBean(SimpleMeterRegistry.class, SimpleMeterRegistry::new)
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(BackendRouterMetrics.class));
        runner.withPropertyValues("management.health.backendrouter.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(BackendRouterHealthIndicator.class).hasSingleBean(BackendsEndpoint.class));
        runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("backendRouterHealthIndicator"));
        runner.withClassLoader(new FilteredClassLoader(org.springframework.boot.actuate.endpoint.annotation.Endpoint.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(BackendsEndpoint.class));
        runner.withClassLoader(new FilteredClassLoader(org.springframework.boot.actuate.endpoint.SanitizingFunction.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("backendRouterSanitizingFunction"));
        runner.withClassLoader(new FilteredClassLoader(RestClient.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(RestClientCustomizer.class));
        runner.withClassLoader(new FilteredClassLoader(OkHttpClient.class))
                .run(context -> assertThat(context).doesNotHaveBean(BackendRouter.class));
    }

    @Test
    void theApplicationsOwnBeansWin() {
        Topology own = Topology.builder().service("own").group("other",
                BackendMember.builder("o", primary.baseUrl()).build()).build();
        runner.withBean(BackendRouter.class, () -> BackendRouter.builder().topology(own).build())
                .run(context -> assertThat(context.getBean(BackendRouter.class).topology().service()).isEqualTo("own"));
        runner.withBean("backendRouterHealthIndicator", HealthIndicator.class, () -> () -> Health.up().withDetail("mine", true).build())
                .run(context -> assertThat(context.getBean("backendRouterHealthIndicator", HealthIndicator.class).health()
                        .getDetails()).containsEntry("mine", true));
        runner.withUserConfiguration(OwnBeans.class).withBean(SimpleMeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
            OwnBeans mine = context.getBean(OwnBeans.class);
            assertThat(context.getBean("backendRouterHttpClient")).isSameAs(mine.client);
            assertThat(context.getBeansOfType(RestClientCustomizer.class).values()).containsExactly(mine.customizer);
            assertThat(context.getBeansOfType(BackendsEndpoint.class).values()).containsExactly(mine.endpoint);
            assertThat(context.getBeansOfType(BackendRouterMetrics.class).values()).containsExactly(mine.metrics);
            assertThat(context.getBeansOfType(org.springframework.boot.actuate.endpoint.SanitizingFunction.class).values())
                    .containsExactly(mine.sanitizing);
        });
    }

    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    static class OwnBeans {
        final OkHttpClient client = new OkHttpClient();
        final RestClientCustomizer customizer = builder -> { };
        BackendsEndpoint endpoint;
        BackendRouterMetrics metrics;
        final org.springframework.boot.actuate.endpoint.SanitizingFunction sanitizing = data -> data;

        @org.springframework.context.annotation.Bean
        OkHttpClient backendRouterHttpClient() {
            return client;
        }

        @org.springframework.context.annotation.Bean
        RestClientCustomizer backendRouterRestClientCustomizer() {
            return customizer;
        }

        @org.springframework.context.annotation.Bean
        BackendsEndpoint myBackendsEndpoint(BackendRouter router) {
            endpoint = new BackendsEndpoint(router);
            return endpoint;
        }

        @org.springframework.context.annotation.Bean
        BackendRouterMetrics myMetrics(BackendRouter router, MeterRegistry registry) {
            metrics = BackendRouterMetrics.bind(router, registry);
            return metrics;
        }

        @org.springframework.context.annotation.Bean
        org.springframework.boot.actuate.endpoint.SanitizingFunction backendRouterSanitizingFunction() {
            return sanitizing;
        }
    }

    @Test
    void propertiesReachTheRouter() {
        runner.withPropertyValues("backend-router.resilience.max-attempts=1", "backend-router.read-preference=PRIMARY",
                        "backend-router.groups.storage.cache.near.ttl=1m")
                .run(context -> {
                    BackendRouter router = context.getBean(BackendRouter.class);
                    assertThat(router.topology().group("storage").orElseThrow().nearCache().ttl()).isEqualTo(Duration.ofMinutes(1));
                    primary.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503)));
                    try (Response response = router.httpClient().newCall(new Request.Builder().url("http://storage/a").build()).execute()) {
                        assertThat(response.code()).as("one attempt only: no failover to the backup").isEqualTo(503);
                    }
                });
    }

    @Test
    void anInvalidTopologyFailsStartUpWithEveryProblemExplained() {
        runner.withPropertyValues("backend-router.groups.storage.backends[0].role=MASTER",
                        "backend-router.groups.storage.backends[1].url=ftp://nope")
                .run(context -> {
                    assertThat(context).hasFailed();
                    Throwable failure = context.getStartupFailure();
                    TopologyException topology = findCause(failure);
                    FailureAnalysis analysis = new TopologyFailureAnalyzer().analyze(failure);
                    assertThat(analysis.getDescription()).contains("The backend topology backend-router.* properties is invalid (2 problems)",
                            "groups.storage.backends[0].role: unknown role 'MASTER'",
                            "groups.storage.backends[1].url: scheme must be http or https");
                    assertThat(analysis.getAction()).contains("Fix each problem at its path under backend-router.", "routing-key");
                    assertThat(topology.problems()).hasSize(2);
                });
    }

    @Test
    void withoutATopologyTheStartUpSaysWhatToSet() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(BackendRouterAutoConfiguration.class))
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("set backend-router.topology.location"));
    }

    private static TopologyException findCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TopologyException topology) {
                return topology;
            }
        }
        throw new AssertionError("no TopologyException in " + failure);
    }
}

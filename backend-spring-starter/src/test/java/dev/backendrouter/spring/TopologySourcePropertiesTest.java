package dev.backendrouter.spring;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.backendrouter.router.BackendRouter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Each way the starter finds its topology: a class-path or file location, the registry, the stage. */
class TopologySourcePropertiesTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(BackendRouterAutoConfiguration.class))
            .withPropertyValues("backend-router.health.enabled=false");

    @Test
    void aClassPathLocationWithPlaceholdersFromTheEnvironment() {
        runner.withPropertyValues("backend-router.topology.location=classpath:starter-topology.yaml",
                        "STARTER_STORAGE_URL=http://storage.test:8080")
                .run(context -> {
                    BackendRouter router = context.getBean(BackendRouter.class);
                    assertThat(router.topology().service()).isEqualTo("from-classpath");
                    assertThat(router.topology().group("storage").orElseThrow().members().get(0).url().toString())
                            .isEqualTo("http://storage.test:8080");
                });
    }

    @Test
    void aFileLocationAndAStage(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("topology.yaml");
        Files.writeString(file, "service: from-file\nbackends: [ { name: a, url: \"http://localhost:1\" } ]\n");
        Files.writeString(dir.resolve("topology-prep.yaml"), "backends: [ { name: a, url: \"http://prep.local:1\" } ]\n");
        runner.withPropertyValues("backend-router.topology.location=file:" + file, "backend-router.stage=prep")
                .run(context -> {
                    BackendRouter router = context.getBean(BackendRouter.class);
                    assertThat(router.topology().stage()).isEqualTo("prep");
                    assertThat(router.topology().groups().get(0).members().get(0).url().toString()).isEqualTo("http://prep.local:1");
                });
    }

    @Test
    void theRegistryWithCredentialsAndALastKnownGoodFile(@TempDir Path dir) {
        WireMockServer registry = registryWithOneBackend();
        try {
            Path lastGood = dir.resolve("last-good.json");
            runner.withPropertyValues("backend-router.registry.url=" + registry.baseUrl(),
                            "backend-router.registry.deployment-id=123", "backend-router.registry.poll-interval=1h",
                            "backend-router.registry.last-known-good=" + lastGood,
                            "backend-router.registry.auth-header=X-API-Key", "backend-router.registry.auth-value=reg-secret")
                    .run(context -> {
                        assertThat(context.getBean(BackendRouter.class).topology().group("storage").orElseThrow().members())
                                .singleElement().satisfies(m -> assertThat(m.name()).isEqualTo("fs-1"));
                        assertThat(lastGood).exists();
                        assertThat(registry.getAllServeEvents().get(0).getRequest().getHeader("X-API-Key")).isEqualTo("reg-secret");
                    });
        } finally {
            registry.stop();
        }
    }

    @Test
    void aRegistryTokenIsSentAsABearerToken() {
        WireMockServer registry = registryWithOneBackend();
        try {
            ApplicationContextRunner fromRegistry = runner.withPropertyValues("backend-router.registry.url=" + registry.baseUrl(),
                    "backend-router.registry.deployment-id=123", "backend-router.registry.token=brt_router-token");
            fromRegistry.run(context -> {
                assertThat(context.getBean(BackendRouter.class).topology().groups()).hasSize(1);
                assertThat(registry.getAllServeEvents().get(0).getRequest().getHeader("Authorization")).isEqualTo("Bearer brt_router-token");
            });
            fromRegistry.withPropertyValues("backend-router.registry.auth-header=X-API-Key", "backend-router.registry.auth-value=k")
                    .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                            .hasMessageContaining("set one of them"));
        } finally {
            registry.stop();
        }
    }

    @Test
    void theRegistryIsHeldToItsAllowedHosts() {
        WireMockServer registry = registryWithOneBackend();
        try {
            ApplicationContextRunner fromRegistry = runner.withPropertyValues("backend-router.registry.url=" + registry.baseUrl(),
                    "backend-router.registry.deployment-id=123");
            fromRegistry.withPropertyValues("backend-router.registry.allowed-hosts=*.svc.cluster.local,127.0.0.0/8")
                    .run(context -> assertThat(context.getBean(BackendRouter.class).topology().groups()).hasSize(1));
            fromRegistry.withPropertyValues("backend-router.registry.allowed-hosts=*.svc.cluster.local,10.0.0.0/8")
                    .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                            .hasMessageContaining("backends[0].deployment.host")
                            .hasMessageContaining("is at host '127.0.0.1', which is not in the allowed hosts"));
        } finally {
            registry.stop();
        }
    }

    @Test
    void anUnreachableRegistryIsExplainedAsUnreadableNotInvalid() {
        runner.withPropertyValues("backend-router.registry.url=http://127.0.0.1:1", "backend-router.registry.deployment-id=7")
                .run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = new TopologyFailureAnalyzer().analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("could not be loaded", "cannot read the topology")
                            .doesNotContain("invalid");
                    assertThat(analysis.getAction()).contains("backend-router.registry.url", "last-known-good");
                });
    }

    @Test
    void theRegistryNeedsADeploymentIdAndOneSourceOnly() {
        runner.withPropertyValues("backend-router.registry.url=http://localhost:1")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("backend-router.registry.deployment-id is not"));
        runner.withPropertyValues("backend-router.registry.url=http://localhost:1",
                        "backend-router.topology.location=classpath:starter-topology.yaml")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("takes one topology source"));
        runner.withPropertyValues("backend-router.registry.url=http://localhost:1", "backend-router.registry.deployment-id=7",
                        "backend-router.registry.auth-value=reg-secret")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("auth-header and backend-router.registry.auth-value go together")
                        .message().doesNotContain("reg-secret"));
    }

    /** A registry on loopback whose deployment 123 has one PRIMARY, fs-1, in group storage. */
    private static WireMockServer registryWithOneBackend() {
        WireMockServer registry = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        registry.start();
        registry.stubFor(get(urlEqualTo("/api/backends/deployment/123/details")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody("{\"deployment\":{\"id\":123,\"serviceName\":"
                        + "\"file-service\"},\"backends\":[{\"connection\":{\"id\":1,\"serviceDeploymentId\":123,"
                        + "\"backendDeploymentId\":456,\"role\":\"PRIMARY\",\"group\":\"storage\"},\"deployment\":{\"id\":456,"
                        + "\"name\":\"fs-1\",\"host\":\"127.0.0.1\",\"port\":4001}}]}")));
        return registry;
    }
}

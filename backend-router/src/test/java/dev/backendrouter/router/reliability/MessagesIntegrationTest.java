package dev.backendrouter.router.reliability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.backendrouter.api.BackendMember;
import dev.backendrouter.api.Problem;
import dev.backendrouter.api.Topology;
import dev.backendrouter.api.TopologyException;
import dev.backendrouter.router.BackendRouter;
import dev.backendrouter.router.HealthCheckSettings;
import dev.backendrouter.router.TopologySource;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a refused topology says, read as an operator reads it: the log line of a refused registry
 * update names the deployment and the registry, a source is named by what it is (never a lambda's
 * generated class), and a file that lists {@code backends:} without groups is told about
 * {@code backends[i]}, also for problems a router finds after loading (a TLS file).
 */
@Tag("captured-logs")
class MessagesIntegrationTest {
    private static final String DETAILS = "/api/backends/deployment/123/details";
    private static final HealthCheckSettings NO_PROBES = HealthCheckSettings.disabled();
    private static final AtomicInteger MESSAGES = new AtomicInteger();

    @TempDir
    Path dir;

    @AfterAll
    static void figures() {
        Figures.record("hardening", "messages: refusals checked word for word (registry log, source names, flat paths)",
                MESSAGES.get());
    }

    private static String details(String url) {
        return """
                {"deployment": {"id": 123, "serviceName": "file-service", "name": "file-service-1", "host": "127.0.0.1", "port": 8080},
                 "backends": [{"connection": {"id": 1, "serviceDeploymentId": 123, "backendDeploymentId": 456, "group": "storage"},
                               "deployment": {"id": 456, "serviceName": "fs", "name": "fs-1", "url": "%s"}}]}
                """.formatted(url);
    }

    private static List<String> warnings() {
        return CapturedLogs.events().stream().filter(e -> e.level() == org.slf4j.event.Level.WARN)
                .map(CapturedLogs.Event::message).toList();
    }

    @Test
    void aRefusedRegistryUpdateNamesTheDeploymentAndTheRegistry() {
        WireMockServer registry = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().gzipDisabled(true));
        registry.start();
        try {
            registry.stubFor(get(urlPathEqualTo(DETAILS)).willReturn(aResponse().withHeader("Content-Type", "application/json")
                    .withHeader("ETag", "\"v1\"").withBody(details("http://127.0.0.1:4001"))));
            try (BackendRouter router = BackendRouter.builder().healthChecks(NO_PROBES)
                    .topology(TopologySource.registry(URI.create(registry.baseUrl()), 123)).build()) {
                registry.stubFor(get(urlPathEqualTo(DETAILS)).willReturn(aResponse().withHeader("Content-Type", "application/json")
                        .withHeader("ETag", "\"v2\"").withBody(details("ftp://127.0.0.1:4002"))));
                CapturedLogs.clear();
                TopologyException refused = catchThrowableOfType(TopologyException.class, router::reload);

                String where = "of deployment 123 from the registry at " + registry.baseUrl() + DETAILS;
                assertThat(refused.getMessage()).startsWith("Invalid topology " + where + " (1 problem):");
                assertThat(warnings()).containsExactly("Topology update " + where + " was rejected; the current topology "
                        + "keeps serving. Problems: [backends[0].deployment.url: scheme must be http or https, was 'ftp' "
                        + "in 'ftp://127.0.0.1:4002']");
                MESSAGES.addAndGet(2);
                assertThat(router.topology().version()).isEqualTo("v1");
            }
        } finally {
            registry.stop();
        }
    }

    @Test
    void sourcesAreNamedByWhatTheyAreNotByALambdasClass() {
        Topology prep = Topology.builder().service("file-service").stage("prep")
                .group("storage", BackendMember.builder("fs-prep", "http://127.0.0.1:1").build()).build();

        TopologyException fromProperties = catchThrowableOfType(TopologyException.class, () ->
                TopologySource.fromTree("backend-router.* properties", Map.of("service", "file-service", "stage", "prep",
                        "groups", Map.of("storage", Map.of("backends", List.of(Map.of("name", "fs", "url", "http://127.0.0.1:1"))))))
                        .forStage("wip").load());
        assertThat(fromProperties.getMessage()).startsWith("Invalid topology backend-router.* properties (1 problem):");

        TopologyException fromCode = catchThrowableOfType(TopologyException.class, () ->
                TopologySource.of(prep).forStage("wip").load());
        assertThat(fromCode.getMessage()).startsWith("Invalid topology TopologySource.of(topology of file-service) (1 problem):");

        TopologySource lambda = () -> prep;
        TopologyException fromLambda = catchThrowableOfType(TopologyException.class, () -> lambda.forStage("wip").load());
        assertThat(fromLambda.getMessage()).startsWith("Invalid topology the application's TopologySource, a lambda in "
                + MessagesIntegrationTest.class.getName() + " (1 problem):");

        // a source whose forStage forgets the stage: the router's own guard names it
        TopologySource careless = new TopologySource() {
            @Override
            public Topology load() {
                return prep;
            }

            @Override
            public TopologySource forStage(String stage) {
                return () -> prep;
            }
        };
        TopologyException guarded = catchThrowableOfType(TopologyException.class, () ->
                BackendRouter.builder().healthChecks(NO_PROBES).stage("wip").topology(careless).build().close());
        assertThat(guarded.getMessage()).startsWith("Invalid topology from the application's TopologySource, a lambda in "
                + MessagesIntegrationTest.class.getName() + "$1 (1 problem):")
                .doesNotContain("$$Lambda", "0x");
        assertThat(guarded.problems()).extracting(Problem::path).containsExactly("stage");
        MESSAGES.addAndGet(4);
    }

    @Test
    void aFlatBackendsFileIsToldAboutBackendsAsItsAuthorWroteIt() throws IOException {
        Path pem = dir.resolve("ca.pem");
        Path file = Files.writeString(dir.resolve("flat.yaml"), "service: flat\nbackends:\n"
                + "  - { name: plain, url: 'http://127.0.0.1:1' }\n"
                + "  - { name: secure, url: 'https://localhost:2', role: BACKUP, priority: 2, tls: { trustedCertificates: '"
                + pem + "' } }\n");
        TopologyException atStart = catchThrowableOfType(TopologyException.class, () ->
                BackendRouter.builder().healthChecks(NO_PROBES).topology(TopologySource.file(file)).build().close());
        assertThat(atStart.problems()).extracting(Problem::path).containsExactly("backends[1].tls.trustedCertificates");

        Files.writeString(file, "service: flat\nbackends:\n  - { name: plain, url: 'http://127.0.0.1:1' }\n");
        try (BackendRouter router = BackendRouter.builder().healthChecks(NO_PROBES).topology(TopologySource.file(file)).build()) {
            Files.writeString(file, "service: flat\nbackends:\n  - { name: plain, url: 'http://127.0.0.1:1' }\n"
                    + "  - { name: secure, url: 'https://localhost:2', tls: { trustedCertificates: '" + pem + "' } }\n");
            CapturedLogs.clear();
            TopologyException onReload = catchThrowableOfType(TopologyException.class, router::reload);
            assertThat(onReload.problems()).extracting(Problem::path).containsExactly("backends[1].tls.trustedCertificates");
            assertThat(warnings()).singleElement().asString()
                    .startsWith("Topology update from " + file + " was rejected; the current topology keeps serving. "
                            + "Problems: [backends[1].tls.trustedCertificates: no such file: '" + pem + "'");
        }
        MESSAGES.addAndGet(3);
    }
}

package dev.backendrouter.router.reliability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.backendrouter.router.reliability.Secrets.API_KEY;
import static dev.backendrouter.router.reliability.Secrets.FROM_ENV;
import static dev.backendrouter.router.reliability.Secrets.QUERY;
import static dev.backendrouter.router.reliability.Secrets.REGISTRY_KEY;
import static dev.backendrouter.router.reliability.Secrets.USERINFO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.backendrouter.api.BackendAuth;
import dev.backendrouter.api.Problem;
import dev.backendrouter.api.Topology;
import dev.backendrouter.api.TopologyException;
import dev.backendrouter.router.BackendRouter;
import dev.backendrouter.router.HealthCheckSettings;
import dev.backendrouter.router.RegistryTopologySource;
import dev.backendrouter.router.RouterListener;
import dev.backendrouter.router.TopologySource;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry's API key and the secrets of reloaded files: the registry gets its key on every
 * poll, and nothing printed when it answers 401, 403 or 500, when the router starts from the
 * last-known-good file, nor when a reload is applied or refused shows any secret — not the
 * exceptions, not the log lines, not what a {@link RouterListener} hears.
 */
@Tag("captured-logs")
class SecretsRegistryIntegrationTest {
    private static final String DETAILS = "/api/backends/deployment/123/details";

    private final WireMockServer registry = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort()
            .containerThreads(8).jettyAcceptors(1).gzipDisabled(true));
    private final List<String> heard = new CopyOnWriteArrayList<>();

    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        registry.start();
        CapturedLogs.clear();
    }

    @AfterEach
    void stop() {
        registry.stop();
    }

    @AfterAll
    static void figures() {
        Secrets.recordFigures();
    }

    private final RouterListener listener = new RouterListener() {
        @Override
        public void topologyFromLastKnownGood(String source, String reason) {
            heard.add("topologyFromLastKnownGood " + source + " " + reason);
        }

        @Override
        public void topologyApplied(Topology previous, Topology current) {
            heard.add("topologyApplied " + previous + " " + current);
        }

        @Override
        public void topologyRejected(String source, List<Problem> problems) {
            heard.add("topologyRejected " + source + " " + problems);
        }
    };

    /** The registry's answer: one backend at {@code url}. */
    private static String details(String url) {
        return """
                {"deployment": {"id": 123, "serviceName": "file-service", "name": "file-service-1", "host": "127.0.0.1", "port": 8080},
                 "backends": [{"connection": {"id": 1, "serviceDeploymentId": 123, "backendDeploymentId": 456, "group": "storage"},
                               "deployment": {"id": 456, "serviceName": "fs", "name": "fs-1", "url": "%s"}}]}
                """.formatted(url);
    }

    /** Answers {@code status} with {@code body} to a request that carries the registry key, 401 to any other. */
    private void answer(int status, String body, String etag) {
        registry.resetMappings();
        registry.stubFor(get(urlPathEqualTo(DETAILS)).atPriority(10).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"code\":\"UNAUTHORIZED\",\"message\":\"no or wrong key\"}}")));
        registry.stubFor(get(urlPathEqualTo(DETAILS)).atPriority(1).withHeader("X-API-Key", equalTo(REGISTRY_KEY))
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                        .withHeader("ETag", etag).withBody(body)));
    }

    /** The registry with this key and no last-known-good file. */
    private RegistryTopologySource registry(String key) {
        return TopologySource.registry(URI.create(registry.baseUrl()), 123).withAuth(BackendAuth.apiKey("X-API-Key", key));
    }

    private RegistryTopologySource source(String key) {
        return registry(key).withLastKnownGood(dir.resolve("last-good.json"));
    }

    private BackendRouter router(TopologySource source) {
        return BackendRouter.builder().topology(source).healthChecks(HealthCheckSettings.disabled()).listener(listener).build();
    }

    private void assertEveryRegistryRequestCarriedItsKey() {
        List<LoggedRequest> requests = registry.findAll(anyRequestedFor(urlPathEqualTo(DETAILS)));
        assertThat(requests).isNotEmpty().allSatisfy(r -> assertThat(r.getHeader("X-API-Key")).isEqualTo(REGISTRY_KEY));
        Secrets.credentialChecked();
    }

    private void assertNothingPrintedShowsASecret(String scenario, Object... printed) {
        for (Object value : printed) {
            if (value instanceof Throwable thrown) {
                Secrets.assertClean(scenario, thrown);
            } else {
                Secrets.assertCleanToString(scenario, value);
            }
        }
        Secrets.assertClean(scenario + ": listener arguments", String.join("\n", heard));
        Secrets.assertLogsClean(scenario);
    }

    @Test
    void refusedAndFailingPollsNameTheProblemButNeverTheKey() {
        answer(200, details("http://127.0.0.1:4001"), "\"v1\"");
        try (BackendRouter router = router(source(REGISTRY_KEY))) {
            for (int status : new int[] {401, 403, 500}) {
                answer(status, "{\"error\":{\"code\":\"E" + status + "\",\"message\":\"refused\"}}", "\"x\"");
                TopologyException refused = catchThrowableOfType(TopologyException.class, router::reload);
                assertThat(refused.getMessage()).contains("it answered HTTP " + status);
                Secrets.assertClean("a poll answered " + status, refused);
            }
            answer(200, details("http://127.0.0.1:4002"), "\"v2\"");
            assertThat(router.reload().version()).isEqualTo("v2");

            assertEveryRegistryRequestCarriedItsKey();
            assertThat(heard).filteredOn(line -> line.startsWith("topologyRejected")).hasSize(3);
            assertThat(CapturedLogs.events()).anyMatch(e -> e.message().startsWith("Topology update of deployment 123 from the registry at"))
                    .anyMatch(e -> e.message().startsWith("Topology of file-service applied (version v1 -> v2)"));
            assertNothingPrintedShowsASecret("registry polls answered 401, 403, 500, then applied", router.snapshot(),
                    router.topology());
        }
        TopologyException wrongKey = catchThrowableOfType(TopologyException.class, () -> registry(API_KEY).load());
        assertThat(wrongKey.getMessage()).contains("HTTP 401 (check the registry credentials)");
        assertNothingPrintedShowsASecret("a wrong registry key", wrongKey);
    }

    @Test
    void aStartFromTheLastKnownGoodFileNeverShowsTheKey() {
        answer(200, details("http://127.0.0.1:4001"), "\"v1\"");
        assertThat(source(REGISTRY_KEY).load().version()).isEqualTo("v1");
        answer(500, "{}", "\"x\"");

        try (BackendRouter router = router(source(REGISTRY_KEY))) {
            assertThat(router.topology().groups().get(0).members().get(0).name()).isEqualTo("fs-1");
            assertThat(heard).anyMatch(line -> line.startsWith("topologyFromLastKnownGood"));
            assertThat(CapturedLogs.events()).anyMatch(e -> e.message().contains("starting from the last-known-good file"));
            assertNothingPrintedShowsASecret("a start from the last-known-good file", router.snapshot());
        }
        RegistryTopologySource withoutFile = registry(REGISTRY_KEY);
        registry.stop();
        TopologyException down = catchThrowableOfType(TopologyException.class, withoutFile::load);
        assertThat(down.getMessage()).contains("Is the registry running");
        assertNothingPrintedShowsASecret("a registry that is down, without a last-known-good file", down);
    }

    @Test
    void aRegistryUrlWithCredentialsOrAKeyInItsQueryNeverShowsThem() {
        answer(200, details("http://127.0.0.1:4001"), "\"v1\"");
        RegistryTopologySource withSecrets = TopologySource.registry(
                URI.create("http://svc:" + USERINFO + "@127.0.0.1:" + registry.port() + "/?key=" + QUERY), 123);

        TopologyException refused = catchThrowableOfType(TopologyException.class, withSecrets::load);

        assertThat(refused.getMessage()).contains("HTTP 401");
        assertNothingPrintedShowsASecret("a registry URL with credentials and a key in its query", withSecrets, refused);
    }

    @Test
    void aReloadRefusedForASecretInAUrlNamesTheUrlMasked() {
        answer(200, details("http://127.0.0.1:4001"), "\"v1\"");
        try (BackendRouter router = router(source(REGISTRY_KEY))) {
            answer(200, details("http://svc:" + USERINFO + "@127.0.0.1:4001/?token=" + QUERY), "\"v2\"");

            TopologyException refused = catchThrowableOfType(TopologyException.class, router::reload);

            assertThat(refused.problems()).extracting(Problem::path).contains("backends[0].deployment.url");
            assertThat(router.topology().version()).as("the old topology keeps serving").isEqualTo("v1");
            assertThat(CapturedLogs.events()).anyMatch(e -> e.message().contains("rejected"));
            assertEveryRegistryRequestCarriedItsKey();
            assertNothingPrintedShowsASecret("a registry answer with credentials in a backend URL", refused, router.snapshot());
        }
    }

    @Test
    void aFileReloadWithSecretsIsAppliedOrRefusedWithoutShowingThem() throws IOException {
        Path file = dir.resolve("topology.yaml");
        String member = "{ name: fs-1, url: \"http://127.0.0.1:4001\", auth: { header: X-API-Key, value: \"%s\" } }";
        Files.writeString(file, "service: file-service\ngroups:\n  storage:\n    backends:\n      - " + member.formatted(API_KEY) + "\n");
        TopologySource source = TopologySource.file(file).withEnvironment(Map.of("API_KEY", FROM_ENV)::get);
        try (BackendRouter router = router(source)) {
            Files.writeString(file, "service: file-service\ngroups:\n  storage:\n    backends:\n      - "
                    + member.formatted("${API_KEY}") + "\n");
            Topology applied = router.reload();
            assertThat(applied.groups().get(0).members().get(0).auth().headerValue().reveal()).isEqualTo(FROM_ENV);
            Files.writeString(file, "service: file-service\ngroups:\n  storage:\n    backends:\n      - "
                    + member.formatted(API_KEY + "\\n").replace("4001", "4001/?k=" + QUERY) + "\n");

            TopologyException refused = catchThrowableOfType(TopologyException.class, router::reload);

            assertThat(refused.problems()).extracting(Problem::path)
                    .contains("groups.storage.backends[0].url", "groups.storage.backends[0].auth.value");
            assertThat(heard).anyMatch(line -> line.startsWith("topologyApplied")).anyMatch(line -> line.startsWith("topologyRejected"));
            assertNothingPrintedShowsASecret("file reloads applied and refused", refused, router.snapshot(), router.topology());
        }
    }
}

package dev.backendrouter.router;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backendrouter.api.Problem;
import dev.backendrouter.api.Topology;
import dev.backendrouter.api.TopologyException;
import dev.backendrouter.router.reliability.Figures;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a registry may put in a router's topology: only http(s) members, and with an allow-list
 * only members at allowed hosts. A refused topology never reaches a backend, at start or on reload.
 */
class RegistryTrustIntegrationTest {
    private static final String DETAILS = "/api/backends/deployment/123/details";
    private static final AtomicInteger REFUSED = new AtomicInteger();
    @TempDir
    Path dir;
    private final LoopbackBackend registry = new LoopbackBackend("registry");
    private final LoopbackBackend allowed = new LoopbackBackend("allowed");
    private final LoopbackBackend outside = new LoopbackBackend("outside");

    @AfterEach
    void stop() {
        int reachedOutside = outside.requests().size();
        registry.close();
        allowed.close();
        outside.close();
        assertThat(reachedOutside).as("requests that reached a backend outside the allow-list").isZero();
    }

    @AfterAll
    static void figures() {
        Figures.record("registry-trust", "registry topologies refused (scheme or host)", REFUSED.get());
        Figures.record("registry-trust", "requests that reached a refused member", 0);
    }

    private static String port(LoopbackBackend backend) {
        return backend.url().substring(backend.url().lastIndexOf(':') + 1);
    }

    private void serve(String... deployments) {
        StringBuilder backends = new StringBuilder();
        for (int i = 0; i < deployments.length; i++) {
            backends.append(i == 0 ? "" : ",").append("{\"connection\":{\"id\":").append(i + 1)
                    .append(",\"serviceDeploymentId\":123,\"backendDeploymentId\":").append(400 + i)
                    .append(",\"role\":\"").append(i == 0 ? "PRIMARY" : "BACKUP").append("\",\"priority\":").append(i + 1)
                    .append(",\"group\":\"storage\"},\"deployment\":{\"id\":").append(400 + i)
                    .append(",\"name\":\"fs-").append(i + 1).append("\",").append(deployments[i]).append("}}");
        }
        registry.resetRequests();
        registry.stub(get(urlEqualTo(DETAILS)).willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody("{\"deployment\":{\"id\":123,\"serviceName\":\"file-service\",\"name\":\"file-service-1\"},"
                        + "\"backends\":[" + backends + "]}")));
    }

    private RegistryTopologySource source() {
        return TopologySource.registry(URI.create(registry.url()), 123);
    }

    private List<Problem> refused(TopologySource source) {
        REFUSED.incrementAndGet();
        try {
            source.load();
        } catch (TopologyException e) {
            return e.problems();
        }
        throw new AssertionError("the registry's topology was accepted");
    }

    @ParameterizedTest
    @ValueSource(strings = {"file:///etc/passwd", "ftp://files.internal/", "jar:file:/app.jar!/", "javascript:alert(1)",
            "gopher://127.0.0.1:70/", "ws://127.0.0.1:4001", "mailto:ops@example.com"})
    void aRegistryCannotIntroduceAnotherScheme(String url) {
        serve("\"url\":\"" + allowed.url() + "\"", "\"url\":\"" + url + "\"");
        assertThat(refused(source())).extracting(Problem::path).containsExactly("backends[1].deployment.url");
        assertThat(refused(source().withAllowedHosts("*.internal", "127.0.0.0/8")))
                .extracting(Problem::path).containsExactly("backends[1].deployment.url");
    }

    @Test
    void membersInsideTheAllowListAreCalled() throws IOException {
        serve("\"host\":\"127.0.0.1\",\"port\":" + port(allowed), "\"url\":\"http://fs-2.svc.cluster.local:4001\"");
        try (BackendRouter router = BackendRouter.builder()
                .topology(source().withAllowedHosts("127.0.0.0/8", "*.svc.cluster.local")).build();
                Response response = router.httpClient().newCall(new Request.Builder().url("http://storage/files/1").build())
                        .execute()) {
            assertThat(response.body().string()).isEqualTo("allowed");
        }
    }

    @Test
    void aMemberOutsideTheAllowListIsRefusedWithItsPathInTheRegistrysJson() {
        serve("\"host\":\"127.0.0.1\",\"port\":" + port(allowed), "\"url\":\"http://10.20.30.40:4001\"",
                "\"host\":\"files.evil.example\",\"port\":80");
        List<Problem> problems = refused(source().withAllowedHosts("127.0.0.0/8", "*.svc.cluster.local"));
        assertThat(problems).extracting(Problem::path).containsExactly("backends[1].deployment.url", "backends[2].deployment.host");
        assertThat(problems.get(0).message()).contains("deployment 401 (fs-2) is at host '10.20.30.40'",
                "[127.0.0.0/8, *.svc.cluster.local]");
    }

    @Test
    void aNameIsNeverResolvedToMatchAnAddressBlock() {
        // localhost resolves into 127.0.0.0/8, but a name matches only names: it could resolve elsewhere tomorrow
        serve("\"url\":\"http://localhost:" + port(outside) + "\"");
        assertThat(refused(source().withAllowedHosts("127.0.0.0/8"))).extracting(Problem::path)
                .containsExactly("backends[0].deployment.url");
    }

    @Test
    void aReloadBringingAMemberOutsideTheAllowListKeepsTheOldTopology() throws IOException {
        serve("\"host\":\"127.0.0.1\",\"port\":" + port(allowed));
        try (BackendRouter router = BackendRouter.builder().topology(source().withAllowedHosts("127.0.0.1")).build()) {
            Topology before = router.topology();
            serve("\"url\":\"http://localhost:" + port(outside) + "\"", "\"host\":\"127.0.0.1\",\"port\":" + port(allowed));
            REFUSED.incrementAndGet();
            assertThatThrownBy(router::reload).isInstanceOfSatisfying(TopologyException.class,
                    e -> assertThat(e.problems()).extracting(Problem::path).containsExactly("backends[0].deployment.url"));
            assertThat(router.topology()).isEqualTo(before);
            try (Response response = router.httpClient().newCall(new Request.Builder().url("http://storage/files/1").build())
                    .execute()) {
                assertThat(response.body().string()).isEqualTo("allowed");
            }
        }
    }

    @Test
    void aLastKnownGoodFileIsHeldToTheSameAllowList() {
        Path lastKnownGood = dir.resolve("last-good.json");
        serve("\"url\":\"http://localhost:" + port(outside) + "\"");
        source().withLastKnownGood(lastKnownGood).load();    // written while no allow-list was set
        registry.stop();
        List<Problem> problems = refused(source().withLastKnownGood(lastKnownGood).withAllowedHosts("127.0.0.1"));
        assertThat(problems).singleElement().extracting(Problem::message).asString()
                .contains("the last-known-good file " + lastKnownGood + " cannot be used either", "not in the allowed hosts");
    }

    @Test
    void anAllowListEntryThatIsNoHostIsRefusedWhenConfigured() {
        for (String entry : new String[] {"", "10.0.0.0/33", "1.2.3.4/x", "*.", "*foo.example", "files_internal", "http://x"}) {
            assertThatThrownBy(() -> source().withAllowedHosts(entry)).as(entry).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + entry + "'");
        }
        assertThatThrownBy(() -> source().withAllowedHosts("10.0.0.0/8", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'null' is not a host name");
        assertThatThrownBy(() -> source().withAllowedHosts()).isInstanceOf(IllegalArgumentException.class);
    }

    /** The registry names the refused member: a name with control characters is shown escaped, as in every other problem. */
    @Test
    void aRefusedMembersNameIsShownEscaped() {
        registry.stub(get(urlEqualTo(DETAILS)).willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody("{\"deployment\":{\"id\":123,\"serviceName\":\"file-service\"},\"backends\":[{\"connection\":"
                        + "{\"id\":1,\"serviceDeploymentId\":123,\"backendDeploymentId\":400,\"role\":\"PRIMARY\",\"priority\":1,"
                        + "\"group\":\"storage\"},\"deployment\":{\"id\":400,\"name\":\"fs\\u001b[2J\\nWARN forged\","
                        + "\"url\":\"http://10.20.30.40:4001\"}}]}")));
        assertThatThrownBy(() -> source().withAllowedHosts("127.0.0.1").load()).isInstanceOfSatisfying(TopologyException.class,
                e -> assertThat(e.problems()).filteredOn(p -> p.path().equals("backends[0].deployment.url"))
                        .singleElement().extracting(Problem::message).asString()
                        .contains("deployment 400 (fs\\u001b[2J\\u000aWARN forged) is at host '10.20.30.40'")
                        .doesNotContain("\u001b", "\n"));
    }
}

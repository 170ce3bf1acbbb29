package dev.backendrouter.router;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backendrouter.api.BackendAuth;
import dev.backendrouter.api.BackendMember;
import dev.backendrouter.api.BackendRole;
import dev.backendrouter.api.Problem;
import dev.backendrouter.api.Topology;
import dev.backendrouter.api.TopologyException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry source against a registry on loopback: mapping, ETags, credentials, last-known-good. */
class RegistrySourceIntegrationTest {
    private static final String DETAILS = "/api/backends/deployment/123/details";
    @TempDir
    Path dir;
    private final LoopbackBackend registry = new LoopbackBackend("registry");
    private final LoopbackBackend fs1 = new LoopbackBackend("fs-1");
    private final LoopbackBackend fs2 = new LoopbackBackend("fs-2");

    @AfterEach
    void stop() {
        registry.close();
        fs1.close();
        fs2.close();
    }

    private static String deployment(long id, String name, LoopbackBackend backend) {
        String port = backend.url().substring(backend.url().lastIndexOf(':') + 1);
        return "{\"id\":" + id + ",\"serviceName\":\"file-system-server\",\"name\":\"" + name
                + "\",\"host\":\"127.0.0.1\",\"port\":" + port + ",\"status\":\"running\",\"stage\":\"prod\"}";
    }

    private String details(String backends) {
        return "{\"deployment\":{\"id\":123,\"serviceName\":\"file-service\",\"name\":\"file-service-1\",\"host\":\"127.0.0.1\","
                + "\"port\":8080,\"status\":\"running\",\"stage\":\"prod\"},\"backends\":[" + backends + "]}";
    }

    private String primaryAndBackup() {
        return "{\"connection\":{\"id\":1,\"serviceDeploymentId\":123,\"backendDeploymentId\":456,\"role\":\"PRIMARY\",\"priority\":1,"
                + "\"group\":\"storage\"},\"deployment\":" + deployment(456, "fs-1", fs1) + "},"
                + "{\"connection\":{\"id\":2,\"serviceDeploymentId\":123,\"backendDeploymentId\":457,\"role\":\"BACKUP\",\"priority\":2,"
                + "\"group\":\"storage\"},\"deployment\":" + deployment(457, "fs-2", fs2) + "}";
    }

    private void serve(String body, String etag) {
        registry.stub(get(urlEqualTo(DETAILS)).willReturn(aResponse().withHeader("ETag", etag)
                .withHeader("Content-Type", "application/json").withBody(body)));
        registry.stub(get(urlEqualTo(DETAILS)).withHeader("If-None-Match", equalTo(etag)).willReturn(aResponse().withStatus(304)));
    }

    private RegistryTopologySource source() {
        return TopologySource.registry(URI.create(registry.url()), 123);
    }

    @Test
    void aRefusedKeyIsToldAsSuchNotAsARegistryThatIsDown() {
        registry.stub(get(urlEqualTo(DETAILS)).willReturn(aResponse().withStatus(401)));
        assertThatThrownBy(() -> source().withAuth(BackendAuth.apiKey("X-API-Key", "wrong-key")).load())
                .isInstanceOf(TopologyException.class)
                .hasMessageContaining("it answered HTTP 401 (check the registry credentials)")
                .hasMessageNotContaining("Is the registry running")
                .hasMessageNotContaining("wrong-key");
    }

    @Test
    void readsTheDeploymentsBackendsIntoATopology() throws IOException {
        serve(details(primaryAndBackup()), "\"v1\"");
        try (BackendRouter router = BackendRouter.builder().topology(source().withAuth(BackendAuth.apiKey("X-API-Key", "reg-key")))
                .healthChecks(HealthCheckSettings.disabled()).build()) {
            Topology topology = router.topology();
            assertThat(topology.service()).isEqualTo("file-service");
            assertThat(topology.group("storage").orElseThrow().members())
                    .extracting(BackendMember::name, BackendMember::role, BackendMember::priority)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("fs-1", BackendRole.PRIMARY, 1),
                            org.assertj.core.groups.Tuple.tuple("fs-2", BackendRole.BACKUP, 2));
            try (Response response = router.httpClient().newCall(new Request.Builder().url("http://storage/files/1").build()).execute()) {
                assertThat(response.body().string()).isEqualTo("fs-1");
            }
            assertThat(registry.requests()).singleElement().satisfies(r -> assertThat(r.getHeader("X-API-Key")).isEqualTo("reg-key"));
        }
    }

    @Test
    void pollsWithTheETagAndAppliesChanges() throws IOException {
        serve(details(primaryAndBackup()), "\"v1\"");
        try (BackendRouter router = BackendRouter.builder().topology(source()).healthChecks(HealthCheckSettings.disabled()).build()) {
            assertThat(router.reload()).isSameAs(router.topology());
            // WireMock's Jetty gzips the answer and tags it "v1--gzip"; it strips the suffix from what comes back
            assertThat(registry.requests()).anySatisfy(r -> assertThat(r.getHeader("If-None-Match")).contains("\"v1\""));
            serve(details(primaryAndBackup().replace("\"role\":\"PRIMARY\"", "\"role\":\"BACKUP\"")
                    .replace("\"priority\":1", "\"priority\":3").replace("\"role\":\"BACKUP\",\"priority\":2",
                            "\"role\":\"PRIMARY\",\"priority\":2")), "\"v2\"");
            assertThat(router.reload().group("storage").orElseThrow().members()).extracting(BackendMember::role)
                    .containsExactly(BackendRole.BACKUP, BackendRole.PRIMARY);
            try (Response response = router.httpClient().newCall(new Request.Builder().url("http://storage/files/1").build()).execute()) {
                assertThat(response.body().string()).isEqualTo("fs-2");
            }
        }
    }

    @Test
    void waitsOnARegistryThatOffersItAndPollsOneThatDoesNot() {
        serve(details(primaryAndBackup()), "\"v1\"");
        RegistryTopologySource plain = source();
        plain.load();
        plain.load();
        assertThat(registry.requests()).hasSize(2).allSatisfy(r -> assertThat(r.getUrl()).doesNotContain("wait"));
        assertThat(plain.nextLoadIn(java.time.Duration.ofSeconds(15))).as("polls at its interval").hasSeconds(15);

        registry.resetRequests();
        registry.stub(get(urlEqualTo(DETAILS)).willReturn(aResponse().withHeader("ETag", "\"v1\"")
                .withHeader(RegistryTopologySource.WAIT_HEADER, "60s").withHeader("Content-Type", "application/json")
                .withBody(details(primaryAndBackup()))));
        registry.stub(get(urlEqualTo(DETAILS + "?wait=30s")).withHeader("If-None-Match", containing("\"v1\""))
                .willReturn(aResponse().withStatus(304).withHeader(RegistryTopologySource.WAIT_HEADER, "60s")));
        RegistryTopologySource watching = source();
        Topology first = watching.load();
        Topology[] waited = new Topology[1];
        watching.asWaiter(() -> waited[0] = watching.load());
        assertThat(waited[0]).as("the wait ended unchanged").isSameAs(first);
        assertThat(registry.requests()).extracting(r -> r.getUrl()).containsExactlyInAnyOrder(DETAILS, DETAILS + "?wait=30s");
        registry.resetRequests();
        watching.load();
        assertThat(registry.requests()).as("a load the application asks for never waits").singleElement()
                .satisfies(r -> assertThat(r.getUrl()).isEqualTo(DETAILS));
        assertThat(watching.nextLoadIn(java.time.Duration.ofSeconds(15))).as("asks again at once, at most twice a second")
                .isLessThanOrEqualTo(RegistryTopologySource.WAIT_SPACING);
        watching.cancelWaiting();
        assertThat(watching.nextLoadIn(java.time.Duration.ofSeconds(15))).as("closed: no more waiting").hasSeconds(15);
    }

    @Test
    void anInvalidRegistryAnswerIsRefusedWithPathsIntoItsJson() {
        serve(details(primaryAndBackup().replace("\"role\":\"BACKUP\"", "\"role\":\"SHARD\"")), "\"bad\"");
        assertThatThrownBy(() -> source().load()).isInstanceOfSatisfying(TopologyException.class, e ->
                assertThat(e.problems()).extracting(Problem::path).contains("backends[1].connection.routingKey"));
        serve("{\"deployment\":{\"id\":123},\"backends\":[{\"connection\":{\"role\":\"MASTER\"}}]}", "\"worse\"");
        assertThatThrownBy(() -> source().load()).isInstanceOfSatisfying(TopologyException.class, e ->
                assertThat(e.problems().get(0).path()).isEqualTo("backends[0].connection.role"));
    }

    @Test
    void startsFromTheLastKnownGoodFileWhenTheRegistryIsDown() throws IOException {
        Path lastGood = dir.resolve("state/topology-last-good.json");
        serve(details(primaryAndBackup()), "\"v1\"");
        Topology fromRegistry = source().withLastKnownGood(lastGood).load();
        assertThat(lastGood).exists();
        registry.stop();
        Topology fromFile = source().withLastKnownGood(lastGood).load();
        assertThat(fromFile.groups()).isEqualTo(fromRegistry.groups());
        assertThat(fromRegistry.version()).as("the registry's ETag is the version, without the gzip suffix WireMock adds").isEqualTo("v1");
        assertThatThrownBy(() -> source().load()).isInstanceOf(TopologyException.class)
                .hasMessageContaining("the registry at " + registry.url() + "/api/backends/deployment/123/details")
                .hasMessageContaining("no last-known-good file is configured")
                .hasMessageContaining("Is the registry running, and is its URL right?");
        List<String> heard = new java.util.ArrayList<>();
        try (BackendRouter router = BackendRouter.builder().topology(source().withLastKnownGood(lastGood))
                .healthChecks(HealthCheckSettings.disabled()).listener(new RouterListener() {
                    @Override
                    public void topologyFromLastKnownGood(String source, String reason) {
                        heard.add(source + ": " + reason);
                    }
                }).build()) {
            assertThat(router.topology().groups()).isEqualTo(fromRegistry.groups());
            assertThat(heard).singleElement().asString().contains("started from " + lastGood);
        }
        Files.delete(lastGood);
        assertThatThrownBy(() -> source().withLastKnownGood(lastGood).load())
                .hasMessageContaining("there is no last-known-good file at " + lastGood);
        registry.start();
    }

    @Test
    void aRegistryThatGoesAwayMidRunLeavesTheTopologyServing() throws IOException {
        serve(details(primaryAndBackup()), "\"v1\"");
        try (BackendRouter router = BackendRouter.builder().topology(source()).healthChecks(HealthCheckSettings.disabled()).build()) {
            registry.stop();
            assertThatThrownBy(router::reload).isInstanceOf(TopologyException.class)
                    .hasMessageContaining("the current topology keeps serving");
            try (Response response = router.httpClient().newCall(new Request.Builder().url("http://storage/files/1").build()).execute()) {
                assertThat(response.body().string()).isEqualTo("fs-1");
            }
            registry.start();
        }
    }

    @Test
    void aStagedRouterKeepsOneSourceAndHearsTheLastKnownGoodStart() throws IOException {
        Path lastGood = dir.resolve("last-good.json");
        serve(details(primaryAndBackup()), "\"v1\"");
        source().withLastKnownGood(lastGood).load();
        registry.stop();
        List<String> heard = new java.util.ArrayList<>();
        try (BackendRouter router = BackendRouter.builder().topology(source().withLastKnownGood(lastGood)).stage("prod")
                .healthChecks(HealthCheckSettings.disabled()).listener(new RouterListener() {
                    @Override
                    public void topologyFromLastKnownGood(String source, String reason) {
                        heard.add("fallback");
                    }

                    @Override
                    public void topologyRejected(String source, List<Problem> problems) {
                        heard.add("rejected");
                    }
                }).build()) {
            assertThat(heard).containsExactly("fallback");
            assertThatThrownBy(router::reload).as("the registry is still down: a refused reload, not a second fallback")
                    .isInstanceOf(TopologyException.class);
            assertThat(heard).containsExactly("fallback", "rejected");
        } finally {
            registry.start();
        }
    }

    @Test
    void theDeploymentsStageMustBeTheRoutersStage() {
        serve(details(primaryAndBackup()), "\"v1\"");
        assertThat(source().forStage("prod").load().stage()).isEqualTo("prod");
        assertThatThrownBy(() -> source().forStage("prep").load()).isInstanceOf(TopologyException.class)
                .hasMessageContaining("the deployment is in stage 'prod' but this router serves stage 'prep'");
    }

    @Test
    void anUnknownDeploymentSaysSo() {
        registry.stub(get(urlEqualTo(DETAILS)).withHeader("If-None-Match", absent()).willReturn(aResponse().withStatus(404)));
        assertThatThrownBy(() -> source().load()).hasMessageContaining("HTTP 404 (is deployment 123 registered?)");
    }

    /**
     * A compressing proxy in front of the registry changes the ETag of the same answer: Jetty's
     * {@code "v2--gzip"}, Apache's {@code "v2-gzip"}, nginx's weak {@code W/"v2"}. Each is the same
     * version: nothing is applied again, and the next poll names both tags so either server says 304.
     */
    @Test
    void aCompressedAnswersETagIsTheSameVersion() {
        List<Topology> applied = new java.util.concurrent.CopyOnWriteArrayList<>();
        // a registry that does not compress, so that each tag below is exactly what the router sees
        com.github.tomakehurst.wiremock.WireMockServer registry = new com.github.tomakehurst.wiremock.WireMockServer(
                com.github.tomakehurst.wiremock.core.WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort()
                        .gzipDisabled(true));
        registry.start();
        String body = details(primaryAndBackup());
        registry.stubFor(get(urlEqualTo(DETAILS)).willReturn(aResponse().withHeader("ETag", "\"v2\"")
                .withHeader("Content-Type", "application/json").withBody(body)));
        try (BackendRouter router = BackendRouter.builder().topology(TopologySource.registry(URI.create(registry.baseUrl()), 123))
                .healthChecks(HealthCheckSettings.disabled())
                .listener(new RouterListener() {
                    @Override
                    public void topologyApplied(Topology previous, Topology current) {
                        applied.add(current);
                    }
                }).build()) {
            assertThat(router.topology().version()).isEqualTo("v2");
            int sameVersions = 0;
            for (String compressed : List.of("\"v2--gzip\"", "\"v2-gzip\"", "W/\"v2\"", "\"v2--br\"", "W/\"v2--gzip\"")) {
                registry.stubFor(get(urlEqualTo(DETAILS)).willReturn(aResponse().withHeader("ETag", compressed)
                        .withHeader("Content-Type", "application/json").withBody(body)));
                assertThat(router.reload().version()).as(compressed).isEqualTo("v2");
                registry.stubFor(get(urlEqualTo(DETAILS)).withHeader("If-None-Match", containing("\"v2\""))
                        .willReturn(aResponse().withStatus(304)));
                registry.resetRequests();
                assertThat(router.reload().version()).isEqualTo("v2");
                assertThat(registry.findAll(com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor(urlEqualTo(DETAILS))))
                        .singleElement().satisfies(request -> assertThat(request.getHeader("If-None-Match"))
                        .as("the tag as the server gave it, and the version it stands for")
                        .isEqualTo(compressed.equals("W/\"v2\"") ? compressed : compressed + ", \"v2\""));
                sameVersions++;
            }
            assertThat(applied).as("the same version is never applied again").isEmpty();

            registry.stubFor(get(urlEqualTo(DETAILS)).willReturn(aResponse().withHeader("ETag", "\"v3--gzip\"")
                    .withHeader("Content-Type", "application/json").withBody(details(primaryAndBackup().replace("\"priority\":2", "\"priority\":5")))));
            assertThat(router.reload().version()).as("a new version behind the proxy").isEqualTo("v3");
            assertThat(applied).hasSize(1);
            dev.backendrouter.router.reliability.Figures.record("hardening",
                    "registry etags: compressed or weakened tags of one answer read as the same version", sameVersions);
        } finally {
            registry.stop();
        }
    }
}

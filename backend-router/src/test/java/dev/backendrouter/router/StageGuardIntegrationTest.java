package dev.backendrouter.router;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backendrouter.api.BackendMember;
import dev.backendrouter.api.BackendRole;
import dev.backendrouter.api.Problem;
import dev.backendrouter.api.Topology;
import dev.backendrouter.api.TopologyException;
import dev.backendrouter.router.reliability.Figures;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A router of a test stage never sends a request to a backend labelled for prod, whichever way
 * the topology comes: a file, a stage overlay, the registry, a reload, a source of the
 * application's own. The prod backend is a real server; its request journal must stay empty.
 */
class StageGuardIntegrationTest {
    private static final AtomicInteger PATHS = new AtomicInteger();
    @TempDir
    Path dir;
    private final LoopbackBackend wip = new LoopbackBackend("wip");
    private final LoopbackBackend prod = new LoopbackBackend("prod");

    @AfterEach
    void stop() {
        int reachedProd = prod.requests().size();
        wip.close();
        prod.close();
        assertThat(reachedProd).as("requests that reached the prod-labelled backend").isZero();
    }

    @AfterAll
    static void figures() {
        Figures.record("stage-guard", "ways a prod-labelled member was offered to a wip router", PATHS.get());
        Figures.record("stage-guard", "requests that reached a prod-labelled backend", 0);
    }

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private String topology(String prodLabel) {
        return """
                service: file-service
                groups:
                  storage:
                    backends:
                      - { name: fs-wip, url: "%s" }
                      - { name: fs-prod, url: "%s", role: BACKUP, labels: { %s } }
                """.formatted(wip.url(), prod.url(), prodLabel);
    }

    private BackendRouter wipRouter(TopologySource source) {
        PATHS.incrementAndGet();
        return BackendRouter.builder().topology(source).stage("wip").build();
    }

    @Test
    void aFileWithAProdMemberIsRefused() throws IOException {
        Path file = write("topology.yaml", topology("stage: prod"));
        assertThatThrownBy(() -> wipRouter(TopologySource.file(file)))
                .isInstanceOfSatisfying(TopologyException.class, e -> assertThat(e.problems()).extracting(Problem::path)
                        .containsExactly("groups.storage.backends[1].labels.stage"))
                .hasMessageContaining("fs-prod is labelled for prod but this topology is for stage 'wip'");
    }

    @Test
    void theStageLabelCannotHideBehindAnotherSpellingOrCase() throws IOException {
        for (String label : new String[] {"Stage: prod", "STAGE: prod", "stage: PROD", "stage: \" prod\""}) {
            Path file = write("topology.yaml", topology(label));
            assertThatThrownBy(() -> wipRouter(TopologySource.file(file))).as(label)
                    .isInstanceOfSatisfying(TopologyException.class, e -> assertThat(e.problems()).extracting(Problem::path)
                            .singleElement().asString().startsWith("groups.storage.backends[1].labels."));
        }
    }

    @Test
    void aFileForProdIsRefusedByAWipRouter() throws IOException {
        Path file = write("topology.yaml", "stage: prod\n" + topology("zone: a"));
        assertThatThrownBy(() -> wipRouter(TopologySource.file(file)))
                .isInstanceOf(TopologyException.class)
                .hasMessageContaining("the file is for stage 'prod' but stage 'wip' was asked for");
    }

    @Test
    void anOverlayCannotBringInAProdMember() throws IOException {
        Path file = write("topology.yaml", topology("zone: a"));
        write("topology-wip.yaml", """
                groups:
                  storage:
                    backends:
                      - { name: fs-prod, labels: { stage: prod } }
                """);
        assertThatThrownBy(() -> wipRouter(TopologySource.file(file)))
                .isInstanceOfSatisfying(TopologyException.class, e -> assertThat(e.problems()).extracting(Problem::path)
                        .containsExactly("groups.storage.backends[1].labels.stage"));
        write("topology-wip.yaml", """
                groups:
                  storage:
                    backends:
                      - { name: fs-other, url: "%s", role: BACKUP, labels: { stage: prod } }
                """.formatted(prod.url()));
        assertThatThrownBy(() -> wipRouter(TopologySource.file(file))).isInstanceOf(TopologyException.class)
                .hasMessageContaining("fs-other is labelled for prod");
    }

    @Test
    void aReloadBringingAProdMemberIsRefusedAndTheOldTopologyServes() throws IOException {
        Path file = write("topology.yaml", """
                service: file-service
                groups:
                  storage:
                    backends:
                      - { name: fs-wip, url: "%s" }
                """.formatted(wip.url()));
        try (BackendRouter router = BackendRouter.builder().topology(TopologySource.file(file)).stage("wip").build()) {
            Topology before = router.topology();
            Files.writeString(file, topology("stage: prod"));
            PATHS.incrementAndGet();
            assertThatThrownBy(router::reload).isInstanceOf(TopologyException.class)
                    .hasMessageContaining("labelled for prod");
            assertThat(router.topology()).isEqualTo(before);
            router.probeHealthNow();
            try (Response response = router.httpClient().newCall(new Request.Builder().url("http://storage/files/1").build())
                    .execute()) {
                assertThat(response.body().string()).isEqualTo("wip");
            }
        }
    }

    @Test
    void theRegistryCannotOfferAProdBackendToAWipService() {
        try (LoopbackBackend registry = new LoopbackBackend("registry")) {
            String prodPort = prod.url().substring(prod.url().lastIndexOf(':') + 1);
            registry.stub(get(urlEqualTo("/api/backends/deployment/7/details")).willReturn(aResponse()
                    .withHeader("Content-Type", "application/json").withBody("""
                            {"deployment":{"id":7,"serviceName":"file-service","name":"file-service-wip","stage":"wip"},
                             "backends":[{"connection":{"id":1,"serviceDeploymentId":7,"backendDeploymentId":8,"role":"PRIMARY"},
                                          "deployment":{"id":8,"name":"fs-prod","host":"127.0.0.1","port":%s,"stage":"prod"}}]}
                            """.formatted(prodPort))));
            assertThatThrownBy(() -> wipRouter(TopologySource.registry(URI.create(registry.url()), 7)))
                    .isInstanceOfSatisfying(TopologyException.class, e -> assertThat(e.problems()).extracting(Problem::path)
                            .containsExactly("backends[0].deployment.stage"));
        }
    }

    @Test
    void aSourceOfTheApplicationsOwnThatIgnoresTheStageIsStillRefused() {
        Topology prodTopology = Topology.builder().service("file-service").stage("prod")
                .group("storage", BackendMember.builder("fs-prod", prod.url()).role(BackendRole.PRIMARY)
                        .label("stage", "prod").build())
                .build();
        TopologySource careless = new TopologySource() {
            @Override
            public Topology load() {
                return prodTopology;
            }

            @Override
            public TopologySource forStage(String stage) {
                return this;   // forgets the stage
            }
        };
        assertThatThrownBy(() -> wipRouter(careless)).isInstanceOf(TopologyException.class)
                .hasMessageContaining("the topology is for stage 'prod' but this router serves stage 'wip'");
    }

    /** A source of the application's own that gives no stage at all is refused, and told so (not "stage 'null'"). */
    @Test
    void aSourceThatGivesNoStageIsRefusedSayingSo() {
        Topology stageless = Topology.builder().service("file-service")
                .group("storage", BackendMember.builder("fs-wip", wip.url()).role(BackendRole.PRIMARY).build())
                .build();
        TopologySource careless = new TopologySource() {
            @Override
            public Topology load() {
                return stageless;
            }

            @Override
            public TopologySource forStage(String stage) {
                return this;
            }
        };
        assertThatThrownBy(() -> BackendRouter.builder().topology(careless).stage("wip").build())
                .isInstanceOf(TopologyException.class)
                .hasMessageContaining("the topology has no stage but this router serves stage 'wip'")
                .hasMessageNotContaining("'null'");
    }
}

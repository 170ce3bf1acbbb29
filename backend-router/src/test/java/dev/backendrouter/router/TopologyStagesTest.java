package dev.backendrouter.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.backendrouter.api.BackendMember;
import dev.backendrouter.api.Problem;
import dev.backendrouter.api.Topology;
import dev.backendrouter.api.TopologyException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stage overlays and the stage guard of file (and custom) sources. */
class TopologyStagesTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void stageOverlayMergesByGroupAndMemberName() throws IOException {
        Path base = write("topology.yaml", """
                service: file-service
                groups:
                  storage:
                    backends:
                      - { name: fs-1, url: "http://fs-1.prod:4001", priority: 1, labels: { zone: a } }
                      - { name: fs-2, url: "http://fs-2.prod:4002", role: BACKUP, priority: 2 }
                  users:
                    backends:
                      - { name: users-1, url: "http://users.prod:5001" }
                """);
        write("topology-prep.yaml", """
                groups:
                  storage:
                    backends:
                      - { name: fs-1, url: "http://fs-1.prep:4001" }
                      - { name: fs-3, url: "http://fs-3.prep:4003", role: BACKUP, priority: 3 }
                """);
        Topology prep = TopologySource.file(base).forStage("prep").load();
        assertThat(prep.stage()).isEqualTo("prep");
        // fs-3 is new in prep: it gives its role
        assertThat(prep.group("storage").orElseThrow().members())
                .extracting(BackendMember::name, m -> m.url().toString(), BackendMember::priority, BackendMember::labels)
                .containsExactly(tuple("fs-1", "http://fs-1.prep:4001", 1, Map.of("zone", "a")),
                        tuple("fs-2", "http://fs-2.prod:4002", 2, Map.of()),
                        tuple("fs-3", "http://fs-3.prep:4003", 3, Map.of()));
        assertThat(prep.group("users").orElseThrow().members().get(0).url()).isEqualTo(URI.create("http://users.prod:5001"));
        assertThat(TopologySource.file(base).forStage("prep").overlayName()).endsWith("topology-prep.yaml");

        Topology wip = TopologySource.file(base).forStage("wip").load();
        assertThat(wip.stage()).isEqualTo("wip");
        assertThat(wip.group("storage").orElseThrow().members()).hasSize(2);
    }

    @Test
    void anOverlayEntryUnderAnUnknownNameMustGiveItsRole() throws IOException {
        Path base = write("topology.yaml", """
                service: s
                groups:
                  storage:
                    backends:
                      - { name: fs-1, url: "http://fs-1.prod:4001" }
                """);
        write("topology-prep.yaml", """
                groups:
                  storage:
                    backends:
                      - { name: fs-01, url: "http://fs-1.prep:4001" }
                """);
        assertThatThrownBy(() -> TopologySource.file(base).forStage("prep").load())
                .isInstanceOfSatisfying(TopologyException.class, e -> assertThat(e.problems()).containsExactly(
                        new Problem("topology-prep.yaml groups.storage.backends[0].name", "'fs-01' is not a backend of the "
                                + "base (did you mean 'fs-1'?); to add a backend in this stage, give its role too")));
        write("topology-prep.yaml", """
                groups:
                  storage:
                    backends:
                      - { name: fs-9, url: "http://fs-9.prep:4001", role: BACKUP }
                """);
        assertThat(TopologySource.file(base).forStage("prep").load().group("storage").orElseThrow().members())
                .extracting(BackendMember::name).containsExactly("fs-1", "fs-9");
    }

    @Test
    void problemsInAnOverlayNameTheOverlay() throws IOException {
        Path base = write("topology.yaml", "service: s\nbackends: [ { name: a, url: \"http://h:1\" } ]\n");
        write("topology-prep.yaml", "backends: [ { name: a, url: \n");
        assertThatThrownBy(() -> TopologySource.file(base).forStage("prep").load())
                .isInstanceOfSatisfying(TopologyException.class, e -> assertThat(e.problems())
                        .singleElement().extracting(Problem::path).asString().startsWith("topology-prep.yaml line "));
    }

    @Test
    void prodMembersAreRefusedOutsideProd() throws IOException {
        Path base = write("topology.yaml", """
                service: vault
                groups:
                  vault:
                    backends:
                      - { name: vaultwarden-prod, url: "http://vault.prod:80", labels: { stage: prod } }
                """);
        assertThat(TopologySource.file(base).forStage("prod").load().stage()).isEqualTo("prod");
        assertThatThrownBy(() -> TopologySource.file(base).forStage("prep").load())
                .isInstanceOfSatisfying(TopologyException.class, e -> assertThat(e.problems()).containsExactly(
                        new Problem("groups.vault.backends[0].labels.stage", "vaultwarden-prod is labelled for prod but "
                                + "this topology is for stage 'prep': test stages never touch production backends")));
        write("topology-prep.yaml", """
                groups:
                  vault:
                    backends:
                      - { name: vaultwarden-prod, url: "http://vault.prep:80", labels: { stage: prep } }
                """);
        assertThat(TopologySource.file(base).forStage("prep").load().group("vault").orElseThrow().members().get(0).url())
                .isEqualTo(URI.create("http://vault.prep:80"));
    }

    @Test
    void aFileForOneStageIsRefusedForAnother() throws IOException {
        Path base = write("topology.yaml", "service: s\nstage: prod\nbackends: [ { name: a, url: \"http://h:1\" } ]\n");
        assertThatThrownBy(() -> TopologySource.file(base).forStage("wip").load())
                .isInstanceOfSatisfying(TopologyException.class, e -> assertThat(e.problems()).extracting(Problem::path)
                        .containsExactly("stage"));
    }

    @Test
    void customSourcesGetTheStageGuardToo() {
        Topology topology = Topology.builder().service("s").group("g", BackendMember.builder("a", "http://h:1")
                .label("stage", "prod").build()).build();
        TopologySource custom = () -> topology;
        assertThat(custom.forStage("prod").load().stage()).isEqualTo("prod");
        assertThatThrownBy(() -> custom.forStage("prep").load()).isInstanceOf(TopologyException.class)
                .hasMessageContaining("labelled for prod");
        assertThat(TopologySource.of(topology).load()).isSameAs(topology);
    }
}

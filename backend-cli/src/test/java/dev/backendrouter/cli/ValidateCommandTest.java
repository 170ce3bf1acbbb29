package dev.backendrouter.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.backendrouter.api.Problem;
import dev.backendrouter.api.TopologyException;
import dev.backendrouter.router.TopologySource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code validate}: files only, no network. */
class ValidateCommandTest {
    private static final String BASE = """
            service: file-service
            version: 7
            groups:
              storage:
                backends:
                  - name: fs-1
                    url: ${FS_1_URL:http://localhost:4001}
              users:
                backends:
                  - { name: users-a-m, url: http://localhost:5001, role: SHARD, routingKey: users-a-m }
                  - { name: users-n-z, url: http://localhost:5002, role: SHARD, routingKey: users-n-z }
                  - { name: users-a-m-replica, url: http://localhost:5003, role: READ_REPLICA, routingKey: users-a-m }
            """;

    private static final String INVALID = """
            service: file-service
            groups:
              users:
                backends:
                  - { name: u1, url: http://localhost:4001, role: SHARD, routingKey: users-a-m, prority: 2 }
                  - { name: u2, url: ftp://localhost:4002, role: MASTER }
                  - { name: u3, url: http://localhost:4003, role: SHARD, routingKey: users-k-z }
            """;

    @TempDir
    Path dir;

    private String write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text).toString();
    }

    @Test
    void aValidFileGivesASummaryAndExit0() throws IOException {
        String file = write("topology.yaml", BASE);

        CliRun run = CliRun.run("validate", file);

        assertThat(run.exit()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).isEqualTo(String.join(System.lineSeparator(),
                file + ": valid",
                "service file-service, version 7: 2 groups, 4 members",
                "  GROUP    MEMBERS  ROLES",
                "  storage  1        1 PRIMARY",
                "  users    3        2 SHARD, 1 READ_REPLICA (sharded)",
                ""));
    }

    @Test
    void anInvalidFileListsEveryProblemWithItsPathAndExits1() throws IOException {
        String file = write("topology.yaml", INVALID);

        CliRun run = CliRun.run("validate", file);

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains("Invalid topology " + file + " (4 problems):")
                .contains("  - groups.users.backends[0].prority: unknown field (did you mean 'priority'?)")
                .contains("  - groups.users.backends[1].role: unknown role 'MASTER': use one of PRIMARY, BACKUP, CACHE, SHARD, "
                        + "READ_REPLICA, ARCHIVE")
                .contains("  - groups.users.backends[1].url: scheme must be http or https, was 'ftp' in 'ftp://localhost:4002'")
                .contains("  - groups.users.backends[2].routingKey: range k-z overlaps users-a-m (backends[0])");
        for (Problem problem : libraryProblems(file, null)) {
            assertThat(run.out()).contains("  - " + problem.path() + ": " + problem.message());
        }
        assertThat(run.out()).doesNotContain(CliRun.ESC);
    }

    @Test
    void jsonHasEveryProblemOfTheLibrary() throws IOException {
        String file = write("topology.yaml", INVALID);

        CliRun run = CliRun.run("validate", file, "--json");

        assertThat(run.exit()).isEqualTo(1);
        JsonNode json = JsonMapper.builder().build().readTree(run.out());
        assertThat(json.path("file").asString()).isEqualTo(file);
        assertThat(json.path("stage").isNull()).isTrue();
        assertThat(json.path("valid").asBoolean()).isFalse();
        List<Problem> printed = new ArrayList<>();
        json.path("problems").forEach(p -> printed.add(new Problem(p.path("path").asString(), p.path("message").asString())));
        assertThat(printed).hasSize(4).isEqualTo(libraryProblems(file, null));
        assertThat(json.has("groups")).isFalse();
    }

    @Test
    void jsonOfAValidFileDescribesItsGroups() throws IOException {
        String file = write("topology.yaml", BASE);

        CliRun run = CliRun.run("validate", "--json", file);

        assertThat(run.exit()).isZero();
        JsonNode json = JsonMapper.builder().build().readTree(run.out());
        assertThat(json.path("valid").asBoolean()).isTrue();
        assertThat(json.path("problems").size()).isZero();
        assertThat(json.path("service").asString()).isEqualTo("file-service");
        assertThat(json.path("version").asString()).isEqualTo("7");
        JsonNode users = json.path("groups").get(1);
        assertThat(users.path("name").asString()).isEqualTo("users");
        assertThat(users.path("sharded").asBoolean()).isTrue();
        assertThat(users.path("members").asInt()).isEqualTo(3);
        assertThat(users.path("roles").path("SHARD").asInt()).isEqualTo(2);
        assertThat(users.path("roles").path("READ_REPLICA").asInt()).isEqualTo(1);
    }

    @Test
    void aStageMergesItsOverlayAsTheRouterDoes() throws IOException {
        String file = write("topology.yaml", BASE);
        write("topology-prep.yaml", """
                groups:
                  storage:
                    backends:
                      - { name: fs-1, url: http://fs-prep:4001, labels: { stage: prep } }
                      - { name: fs-2, url: http://fs-prep:4002, role: BACKUP, priority: 2 }
                """);

        CliRun prep = CliRun.run("validate", file, "--stage", "prep");
        CliRun base = CliRun.run("validate", file);

        assertThat(prep.exit()).isZero();
        assertThat(prep.out()).startsWith(file + " + topology-prep.yaml: valid")
                .contains("service file-service, stage prep, version 7: 2 groups, 5 members")
                .contains("  storage  2        1 PRIMARY, 1 BACKUP");
        assertThat(base.out()).startsWith(file + ": valid").contains("  storage  1        1 PRIMARY");
        JsonNode json = JsonMapper.builder().build().readTree(CliRun.run("validate", file, "--stage", "prep", "--json").out());
        assertThat(json.path("stage").asString()).isEqualTo("prep");
        assertThat(json.path("source").asString()).isEqualTo(file + " + topology-prep.yaml");
    }

    @Test
    void aStageWithoutOverlayIsTheBaseForThatStage() throws IOException {
        String file = write("topology.yaml", BASE);

        CliRun run = CliRun.run("validate", file, "--stage", "wip");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).startsWith(file + ": valid").contains("stage wip");
    }

    @Test
    void anOverlayThatBreaksTheStageRulesIsInvalidForThatStageOnly() throws IOException {
        String file = write("topology.yaml", BASE);
        write("topology-prep.yaml", """
                groups:
                  storage:
                    backends:
                      - { name: fs-1, url: http://fs:4001, labels: { stage: prod } }
                      - { name: fs-01, url: http://fs:4002 }
                """);

        CliRun run = CliRun.run("validate", file, "--stage", "prep");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains("Invalid topology " + file + " + topology-prep.yaml (2 problems):");
        for (Problem problem : libraryProblems(file, "prep")) {
            assertThat(run.out()).contains("  - " + problem.path() + ": " + problem.message());
        }
        assertThat(run.out()).contains("  - topology-prep.yaml groups.storage.backends[1].name: 'fs-01' is not a backend")
                .contains("  - groups.storage.backends[0].labels.stage: fs-1 is labelled for prod");
        assertThat(CliRun.run("validate", file).exit()).isZero();
    }

    @Test
    void placeholdersComeFromEnvOptionsBeforeTheEnvironment() throws IOException {
        String file = write("topology.yaml", BASE.replace("${FS_1_URL:http://localhost:4001}", "${CLI_TEST_UNSET_URL}"));

        CliRun unset = CliRun.run("validate", file);
        CliRun set = CliRun.run("validate", file, "--env", "CLI_TEST_UNSET_URL=http://fs:4001");

        assertThat(unset.exit()).isEqualTo(1);
        assertThat(unset.out()).contains("  - groups.storage.backends[0].url: environment variable CLI_TEST_UNSET_URL is not set");
        assertThat(set.exit()).isZero();
    }

    @Test
    void tlsFilesAreReadAsTheRouterReadsThem() throws IOException {
        String missing = dir.resolve("missing-ca.pem").toString();
        String file = write("topology.yaml", "service: file-service\nbackends:\n"
                + "  - { name: fs-1, url: 'https://localhost:4001', tls: { trustedCertificates: '" + missing + "' } }\n");

        CliRun run = CliRun.run("validate", file);

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains("Invalid topology " + file + " (1 problem):",
                "  - backends[0].tls.trustedCertificates: no such file: '" + missing + "'");
    }

    @Test
    void aTlsMemberWhoseUrlOkHttpCannotUseIsAProblemNotACrash() throws IOException {
        String file = write("topology.yaml", "service: file-service\nbackends:\n"
                + "  - { name: fs-1, url: 'https://[::1%25eth0]:4001', tls: { pins: ['sha256/" + "A".repeat(43) + "='] } }\n");

        CliRun run = CliRun.run("validate", file);

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains("  - backends[0].url: OkHttp cannot use this URL");
        assertThat(run.err()).doesNotContain("unexpected error");
    }

    @Test
    void aMissingFileIsAProblemToo() {
        String file = dir.resolve("nope.yaml").toString();

        CliRun run = CliRun.run("validate", file);

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains("  - not found: " + file + " (check the path and the working directory)");
    }

    @Test
    void colourOnlyOnATerminalAndNotWithNoColor() throws IOException {
        String file = write("topology.yaml", INVALID);

        assertThat(CliRun.run(true, "validate", file).out()).contains(CliRun.ESC + "[1mgroups.users.backends[1].role");
        assertThat(CliRun.run(true, "--no-color", "validate", file).out()).doesNotContain(CliRun.ESC);
        assertThat(CliRun.run(true, "validate", file, "--no-color").out()).doesNotContain(CliRun.ESC);
        assertThat(CliRun.run(true, "validate", file, "--json").out()).doesNotContain(CliRun.ESC);
    }

    private static List<Problem> libraryProblems(String file, String stage) {
        var source = TopologySource.file(Path.of(file));
        return catchThrowableOfType(TopologyException.class,
                () -> (stage == null ? source : source.forStage(stage)).load()).problems();
    }
}

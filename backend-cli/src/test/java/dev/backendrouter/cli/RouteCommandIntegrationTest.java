package dev.backendrouter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code route}: one call through a real router to servers on loopback. */
class RouteCommandIntegrationTest {
    private static final String TOKEN = "s3cret-bearer-token";

    @RegisterExtension
    final TestBackends backends = new TestBackends();

    @TempDir
    Path dir;


    private String topology(String groups) throws IOException {
        return Files.writeString(dir.resolve("topology.yaml"), "service: file-service\ngroups:\n" + groups).toString();
    }

    private String primaryAndBackup(String primaryUrl, String backupUrl) throws IOException {
        return topology("""
                  storage:
                    backends:
                      - { name: fs-1, url: %s }
                      - { name: fs-2, url: %s, role: BACKUP, priority: 2, auth: { bearer: "%s" } }
                """.formatted(primaryUrl, backupUrl, TOKEN));
    }

    private String shards(TestBackend am, TestBackend nz) throws IOException {
        return topology("""
                  users:
                    backends:
                      - { name: users-a-m, url: %s, role: SHARD, routingKey: users-a-m }
                      - { name: users-n-z, url: %s, role: SHARD, routingKey: users-n-z }
                """.formatted(am.url(), nz.url()));
    }

    @Test
    void withThePrimaryDownTheBackupAnswersAndEveryAttemptIsListed() throws IOException {
        TestBackend backup = backends.start("fs-2");
        String refused = TestBackend.refusedUrl();
        String file = primaryAndBackup(refused, backup.url());

        CliRun run = CliRun.run("route", file, "storage", "/files/42?x=1");

        assertThat(run.exit()).isZero();
        assertThat(run.err()).isEmpty();
        List<String> lines = run.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("GET http://storage/files/42?x=1");
        assertThat(lines.get(1)).matches("  request id   [0-9a-f-]{36}");
        assertThat(lines.get(2)).isEqualTo("  answered by  fs-2 (" + backup.url() + ") BACKUP");
        assertThat(lines.get(3)).isEqualTo("  status       200 OK");
        assertThat(lines.get(4)).matches("  total        \\d+ ms");
        assertThat(lines.get(5)).isEqualTo("  attempts     2");
        assertThat(lines.get(7)).matches("  # +MEMBER +ROLE +URL +OUTCOME +TIME +REASON");
        assertThat(lines.get(8)).matches("  1 +fs-1 +PRIMARY +" + refused + " +failed +\\d+ ms +connection refused: is fs-1 running.*");
        assertThat(lines.get(9)).matches("  2 +fs-2 +BACKUP +" + backup.url() + " +success +\\d+ ms");
        assertThat(lines.get(8).indexOf("failed")).isEqualTo(lines.get(9).indexOf("success"));
        assertThat(run.all()).doesNotContain(CliRun.ESC).doesNotContain(TOKEN);

        TestBackend.Recorded request = backup.requests().get(0);
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.path()).isEqualTo("/files/42");
        assertThat(request.header("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(request.header("X-Request-Id")).isEqualTo(lines.get(1).substring("  request id   ".length()));
    }

    @Test
    void onATerminalTheReportIsColouredUnlessNoColor() throws IOException {
        TestBackend primary = backends.start("fs-1");
        String file = primaryAndBackup(primary.url(), TestBackend.refusedUrl());

        assertThat(CliRun.run(true, "route", file, "storage", "/").out())
                .contains(CliRun.ESC + "[1mGET http://storage/" + CliRun.ESC + "[0m")
                .contains(CliRun.ESC + "[32m200 OK" + CliRun.ESC + "[0m");
        assertThat(CliRun.run(true, "route", file, "storage", "/", "--no-color").out()).doesNotContain(CliRun.ESC);
    }

    @Test
    void theKeyPicksTheShard() throws IOException {
        TestBackend am = backends.start("users-a-m");
        TestBackend nz = backends.start("users-n-z");
        String file = shards(am, nz);

        CliRun alice = CliRun.run("route", file, "users", "profile", "--key", "alice");
        CliRun zoe = CliRun.run("route", file, "users", "profile", "--key=zoe");

        assertThat(alice.exit()).isZero();
        assertThat(alice.out()).startsWith("GET http://users/profile  (routing key alice)")
                .contains("  answered by  users-a-m (" + am.url() + ") SHARD");
        assertThat(zoe.out()).contains("  answered by  users-n-z (" + nz.url() + ") SHARD");
        assertThat(am.requests()).hasSize(1);
        assertThat(nz.requests()).hasSize(1);
    }

    @Test
    void aShardedGroupWithoutKeyFailsBeforeAnyIo() throws IOException {
        TestBackend am = backends.start("users-a-m");
        TestBackend nz = backends.start("users-n-z");
        String file = shards(am, nz);

        CliRun run = CliRun.run("route", file, "users", "/profile");

        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.out()).contains("  failed after").contains("  attempts     0");
        assertThat(run.err()).contains("Group 'users' is sharded: the call needs a routing key")
                .contains("Pass the key with --key K.");
        assertThat(am.requests()).isEmpty();
        assertThat(nz.requests()).isEmpty();
    }

    @Test
    void aKeyOutsideEveryShardIsNamed() throws IOException {
        String file = shards(backends.start("users-a-m"), backends.start("users-n-z"));

        CliRun run = CliRun.run("route", file, "users", "/profile", "--key", "7");

        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.err()).contains("'7'").contains("users-a-m");
    }

    @Test
    void whenNoMemberAnswersTheRoutersMessageSaysWhatToCheck() throws IOException {
        String primary = TestBackend.refusedUrl();
        String backup = TestBackend.refusedUrl();
        String file = primaryAndBackup(primary, backup);

        CliRun run = CliRun.run("route", file, "storage", "/files/42");

        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.out()).contains("  attempts     ").containsPattern("fs-1 +PRIMARY +\\S+ +failed");
        assertThat(run.err()).contains("No backend of group 'storage'")
                .contains("fs-1 (" + primary + "): connection refused: is fs-1 running, and is the URL right?")
                .contains("fs-2 (" + backup + "): connection refused");
        assertThat(run.all()).doesNotContain(TOKEN);
    }

    @Test
    void aPostSendsAnEmptyBody() throws IOException {
        TestBackend primary = backends.start("fs-1").answer("/files", 201, "created");
        String file = primaryAndBackup(primary.url(), TestBackend.refusedUrl());

        CliRun run = CliRun.run("route", file, "storage", "/files", "--method", "post");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).startsWith("POST http://storage/files").contains("  status       201 Created");
        TestBackend.Recorded request = primary.requests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.body()).isEmpty();
    }

    @Test
    void anErrorStatusIsExit4() throws IOException {
        TestBackend primary = backends.start("fs-1").answer("/files/bad", 400, "{\"error\":{\"code\":\"bad\",\"message\":\"no\"}}");
        String file = primaryAndBackup(primary.url(), TestBackend.refusedUrl());

        CliRun run = CliRun.run("route", file, "storage", "/files/bad");

        assertThat(run.exit()).isEqualTo(4);
        assertThat(run.out()).contains("  answered by  fs-1 (" + primary.url() + ") PRIMARY")
                .contains("  status       400 Bad Request")
                .containsPattern("1 +fs-1 +PRIMARY +\\S+ +final");
    }

    @Test
    void anUnknownGroupIsAUsageError() throws IOException {
        String file = primaryAndBackup(TestBackend.refusedUrl(), TestBackend.refusedUrl());

        CliRun run = CliRun.run("route", file, "archive", "/files");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).startsWith("backend-router-cli: the topology has no group 'archive'; its groups: storage");
    }

    @Test
    void anInvalidTopologyIsExit1() throws IOException {
        String file = topology("""
                  storage:
                    backends:
                      - { name: fs-1, url: "${CLI_TEST_UNSET_URL}" }
                """);

        CliRun run = CliRun.run("route", file, "storage", "/files");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("  - groups.storage.backends[0].url: environment variable CLI_TEST_UNSET_URL is not set");
    }

    @Test
    void theStageOverlayIsUsed() throws IOException {
        TestBackend prep = backends.start("fs-prep");
        String file = primaryAndBackup(TestBackend.refusedUrl(), TestBackend.refusedUrl());
        Files.writeString(dir.resolve("topology-prep.yaml"), """
                groups:
                  storage:
                    backends:
                      - { name: fs-1, url: %s }
                """.formatted(prep.url()));

        CliRun run = CliRun.run("route", file, "storage", "/files", "--stage", "prep");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("  answered by  fs-1 (" + prep.url() + ") PRIMARY");
    }
}

package dev.backendrouter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code probe} against real servers on loopback. */
class ProbeCommandIntegrationTest {
    private static final String TOKEN = "s3cret-bearer-token";
    private static final String API_KEY = "s3cret-api-key";

    @RegisterExtension
    final TestBackends backends = new TestBackends();

    @TempDir
    Path dir;


    private String topology(String groups) throws IOException {
        return Files.writeString(dir.resolve("topology.yaml"), "service: file-service\ngroups:\n" + groups).toString();
    }

    @Test
    void oneMemberUpAndOneRefusingConnectionsGivesTheTableAndExit3WithoutSecrets() throws IOException {
        TestBackend up = backends.start("fs-2");
        String refused = TestBackend.refusedUrl();
        String file = topology("""
                  storage:
                    backends:
                      - { name: fs-1, url: %s, auth: { bearer: "%s" } }
                      - { name: fs-2, url: %s, role: BACKUP, priority: 2, auth: { bearer: "${FS_TOKEN}" } }
                      - { name: fs-3, url: %s, role: BACKUP, priority: 3, auth: { header: X-API-Key, value: "%s" } }
                """.formatted(refused, TOKEN, up.url(), up.url() + "/v2", API_KEY));

        CliRun run = CliRun.run("probe", file, "--env", "FS_TOKEN=" + TOKEN);

        assertThat(run.exit()).isEqualTo(3);
        List<String> lines = run.out().lines().toList();
        assertThat(lines.get(0)).matches("GROUP +MEMBER +ROLE +URL +STATUS +LATENCY +ERROR");
        assertThat(lines.get(1)).matches("storage +fs-1 +PRIMARY +" + refused + " +DOWN +\\d+ ms +connection refused");
        assertThat(lines.get(2)).matches("storage +fs-2 +BACKUP +" + up.url() + " +200 +\\d+ ms");
        assertThat(lines.get(3)).matches("storage +fs-3 +BACKUP +" + up.url() + "/v2 +200 +\\d+ ms");
        assertThat(lines.get(1).indexOf("DOWN")).isEqualTo(lines.get(0).indexOf("STATUS")).isEqualTo(lines.get(2).indexOf("200"));
        assertThat(lines.get(5)).isEqualTo("GET /health on 3 backends (3 members): 1 down");
        assertThat(run.all()).doesNotContain(TOKEN).doesNotContain(API_KEY).doesNotContain(CliRun.ESC);

        assertThat(up.requests()).extracting(TestBackend.Recorded::path).containsExactlyInAnyOrder("/health", "/v2/health");
        TestBackend.Recorded bearer = up.requests().stream().filter(r -> r.path().equals("/health")).findFirst().orElseThrow();
        TestBackend.Recorded apiKey = up.requests().stream().filter(r -> r.path().equals("/v2/health")).findFirst().orElseThrow();
        assertThat(bearer.method()).isEqualTo("GET");
        assertThat(bearer.header("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(apiKey.header("X-API-Key")).isEqualTo(API_KEY);
        assertThat(apiKey.header("Authorization")).isNull();
    }

    @Test
    void everyMemberUpIsExit0AndABackendInSeveralGroupsIsProbedOnce() throws IOException {
        TestBackend shared = backends.start("shared");
        TestBackend users = backends.start("users");
        String file = topology("""
                  storage:
                    backends:
                      - { name: shared-1, url: %s }
                  users:
                    backends:
                      - { name: users-1, url: %s }
                      - { name: shared-1, url: %s, role: BACKUP }
                """.formatted(shared.url(), users.url(), shared.url()));

        CliRun run = CliRun.run("probe", file);

        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("GET /health on 2 backends (3 members): all up");
        assertThat(run.out().lines().filter(l -> l.contains("shared-1"))).hasSize(2);
        assertThat(shared.requests()).hasSize(1);
        assertThat(users.requests()).hasSize(1);
    }

    @Test
    void theHealthBodyAndStatusCodeDecide() throws IOException {
        TestBackend degraded = backends.start("degraded").answer("/status", 200, "{\"status\":\"degraded\"}");
        TestBackend unhealthy = backends.start("unhealthy").answer("/status", 200, "{\"status\":\"unhealthy\"}");
        TestBackend failing = backends.start("failing").answer("/status", 503, "");
        TestBackend moved = backends.start("moved").answer("/status", 302, "");
        String file = topology("""
                  storage:
                    backends:
                      - { name: degraded, url: %s }
                      - { name: unhealthy, url: %s, role: BACKUP }
                      - { name: failing, url: %s, role: BACKUP, priority: 2 }
                      - { name: moved, url: %s, role: BACKUP, priority: 3 }
                """.formatted(degraded.url(), unhealthy.url(), failing.url(), moved.url()));

        CliRun run = CliRun.run("probe", file, "--path", "/status");

        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.out()).containsPattern("degraded +PRIMARY +\\S+ +200 degraded +\\d+ ms\\R")
                .containsPattern("unhealthy +BACKUP +\\S+ +200 unhealthy +\\d+ ms +the body says \"status\": \"unhealthy\"")
                .containsPattern("failing +BACKUP +\\S+ +503 +\\d+ ms +HTTP 503")
                .containsPattern("moved +BACKUP +\\S+ +302 +\\d+ ms +HTTP 302: a redirect, not followed")
                .contains("GET /status on 4 backends (4 members): 3 down");
    }

    @Test
    void aBackendThatNeverAnswersTimesOut() throws IOException {
        // accepted by the kernel's backlog, never answered
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String file = topology("""
                      storage:
                        backends:
                          - { name: silent, url: http://127.0.0.1:%d }
                    """.formatted(silent.getLocalPort()));

            CliRun run = CliRun.run("probe", file, "--timeout", "300ms");

            assertThat(run.exit()).isEqualTo(3);
            assertThat(run.out()).containsPattern("silent +PRIMARY +\\S+ +DOWN +\\d+ ms +timed out after 300ms");
        }
    }

    @Test
    void anInvalidTopologyIsExit1AndProbesNothing() throws IOException {
        TestBackend up = backends.start("up");
        String file = topology("""
                  storage:
                    backends:
                      - { name: fs-1, url: %s, role: MASTER }
                """.formatted(up.url()));

        CliRun run = CliRun.run("probe", file);

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("  - groups.storage.backends[0].role: unknown role 'MASTER'");
        assertThat(up.requests()).isEmpty();
    }

    @Test
    void statusesAreColouredOnATerminal() throws IOException {
        TestBackend up = backends.start("up");
        String file = topology("""
                  storage:
                    backends:
                      - { name: fs-1, url: %s }
                      - { name: fs-2, url: %s, role: BACKUP }
                """.formatted(up.url(), TestBackend.refusedUrl()));

        CliRun run = CliRun.run(true, "probe", file);

        assertThat(run.out()).contains(CliRun.ESC + "[32m200" + CliRun.ESC + "[0m")
                .contains(CliRun.ESC + "[31mDOWN" + CliRun.ESC + "[0m");
        assertThat(run.out().lines().map(l -> l.replaceAll(CliRun.ESC + "\\[\\d+m", "")))
                .contains("GET /health on 2 backends (2 members): 1 down");
    }
}

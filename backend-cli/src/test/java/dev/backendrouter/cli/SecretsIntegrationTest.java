package dev.backendrouter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code validate} (text and {@code --json}), {@code probe} and {@code route} on topologies whose
 * members hold secrets — an API key, a bearer token, a key given with {@code --env}, credentials in
 * a URL — valid and invalid, against servers on loopback that answer, answer 401 quoting the key,
 * or refuse the connection: neither stdout nor stderr (nor the library's log lines, on the
 * process's stderr) shows a secret, and every backend still gets its credential. Two runs go
 * through the shaded jar in a JVM of its own.
 */
class SecretsIntegrationTest {
    private static final String API_KEY = "sk-live-SECRET-4f9a1c7e2b";
    private static final String BEARER = "tok-SECRET-bearer-8d2e55a1";
    private static final String FROM_ENV = "env-SECRET-resolved-6a3d7b";
    private static final String USERINFO = "usr-SECRET-pass-2c81ff90";
    private static final List<String> SECRETS = List.of(API_KEY, BEARER, FROM_ENV, USERINFO);
    private static final String ECHOING_401 = "{\"error\":{\"code\":\"BAD_KEY\",\"message\":\"key " + API_KEY + " is revoked\"}}";

    private static int runs;
    private static int credentialChecks;
    private static int leaks;

    @RegisterExtension
    final TestBackends backends = new TestBackends();

    @TempDir
    Path dir;


    /** Writes the figures as backend-router's Figures does: {@code target/reliability/secrets.tsv}. */
    @AfterAll
    static void figures() throws IOException {
        Path figures = Files.createDirectories(Path.of("target", "reliability"));
        Files.write(figures.resolve("secrets.tsv"), List.of(
                "secret values planted\t" + SECRETS.size(),
                "command runs searched (stdout, stderr, log lines)\t" + runs,
                "backend requests checked for their credential\t" + credentialChecks,
                "leaks\t" + leaks));
    }

    private static synchronized void assertClean(String what, String text) {
        runs++;
        for (String secret : SECRETS) {
            for (String part : List.of(secret, secret.substring(0, 8), secret.substring(secret.length() - 8))) {
                if (text.contains(part)) {
                    leaks++;
                    throw new AssertionError(what + " shows a secret (" + part + "):\n" + text);
                }
            }
        }
    }

    /** Runs in-process with the process's stderr captured too, where slf4j-simple writes the library's log lines. */
    private static CliRun run(String... args) {
        PrintStream stderr = System.err;
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        CliRun run;
        synchronized (SecretsIntegrationTest.class) {
            System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
            try {
                run = CliRun.run(args);
            } finally {
                System.setErr(stderr);
            }
        }
        assertClean(String.join(" ", args), run.all() + logs.toString(StandardCharsets.UTF_8));
        return run;
    }

    private static synchronized void assertCredential(TestBackend backend, String path, String header, String value) {
        List<TestBackend.Recorded> requests = backend.requests().stream()
                .filter(r -> r.path().equals(path) && r.header(header) != null).toList();
        assertThat(requests).as("requests to %s with %s", path, header).isNotEmpty()
                .allSatisfy(request -> assertThat(request.header(header)).isEqualTo(value));
        credentialChecks++;
    }

    private String topology(String primaryUrl, String backupUrl) throws IOException {
        return topology("topology.yaml", primaryUrl, backupUrl);
    }

    private String topology(String name, String primaryUrl, String backupUrl) throws IOException {
        return Files.writeString(dir.resolve(name), """
                service: file-service
                groups:
                  storage:
                    backends:
                      - { name: fs-1, url: "%s", auth: { header: X-API-Key, value: "%s" } }
                      - { name: fs-2, url: "%s", role: BACKUP, priority: 2, auth: { bearer: "%s" } }
                  blobs:
                    backends:
                      - { name: blob-1, url: "%s", auth: { header: X-API-Key, value: "${BLOB_KEY}" } }
                """.formatted(primaryUrl, API_KEY, backupUrl, BEARER, backupUrl)).toString();
    }

    private String invalid() throws IOException {
        return Files.writeString(dir.resolve("invalid.yaml"), """
                service: file-service
                groups:
                  storage:
                    backends:
                      - { name: fs-1, url: "http://svc:%s@file_server:4001", auth: { header: X-API-Key, value: "%s\\n" } }
                      - { name: fs-2, url: "http://127.0.0.1:4002/?key=%s", role: MASTER, auth: { bearer: "%s" } }
                      - { name: fs-3, url: "http://127.0.0.1:4003", role: BACKUP, auth: { header: "X-API-Key: %s", value: "%s" } }
                """.formatted(USERINFO, API_KEY, FROM_ENV, BEARER, API_KEY, API_KEY)).toString();
    }

    @Test
    void validateShowsTheTopologyButNoCredential() throws IOException {
        String file = topology("http://127.0.0.1:4001", "http://127.0.0.1:4002");

        CliRun text = run("validate", file, "--env", "BLOB_KEY=" + FROM_ENV);
        CliRun json = run("validate", file, "--env", "BLOB_KEY=" + FROM_ENV, "--json");
        CliRun unset = run("validate", file);

        assertThat(text.exit()).isZero();
        assertThat(text.out()).contains("valid", "storage", "blobs");
        assertThat(json.exit()).isZero();
        assertThat(json.out()).contains("\"valid\" : true");
        assertThat(unset.exit()).isEqualTo(1);
        assertThat(unset.err() + unset.out()).contains("groups.blobs.backends[0].auth.value", "BLOB_KEY is not set");
    }

    @Test
    void validateListsEveryProblemOfAnInvalidTopologyButNoSecret() throws IOException {
        String file = invalid();
        Path json = Files.writeString(dir.resolve("unquoted.json"), """
                {"service": "file-service", "groups": {"storage": {"backends": [
                  {"name": "fs-1", "url": "http://127.0.0.1:4001", "auth": {"bearer": %s}}]}}}
                """.formatted(BEARER));

        CliRun text = run("validate", file);
        CliRun asJson = run("validate", file, "--json");
        CliRun syntax = run("validate", json.toString(), "--json");

        assertThat(text.exit()).isEqualTo(1);
        assertThat(text.all()).contains("groups.storage.backends[0].url", "groups.storage.backends[0].auth.value",
                "groups.storage.backends[1].url", "groups.storage.backends[1].role", "groups.storage.backends[2].auth.header");
        assertThat(asJson.exit()).isEqualTo(1);
        assertThat(asJson.out()).contains("\"valid\" : false", "****@file_server");
        assertThat(syntax.exit()).isEqualTo(1);
        assertThat(syntax.out()).contains("JSON syntax");
        assertThat(run("probe", file).exit()).isEqualTo(1);
        assertThat(run("route", file, "storage", "/files/1").exit()).isEqualTo(1);
    }

    @Test
    void probeSendsEachCredentialAndReportsA401OrARefusalWithoutOne() throws IOException {
        TestBackend primary = backends.start("fs-1").answer("/health", 401, "application/json", ECHOING_401);
        TestBackend backup = backends.start("fs-2");
        String refused = TestBackend.refusedUrl();
        Files.writeString(dir.resolve("refused.yaml"), "service: s\ngroups:\n  storage:\n    backends:\n"
                + "      - { name: fs-9, url: \"" + refused + "\", auth: { bearer: \"" + BEARER + "\" } }\n");

        CliRun probe = run("probe", topology(primary.url(), backup.url()), "--env", "BLOB_KEY=" + FROM_ENV);
        CliRun unreachable = run("probe", dir.resolve("refused.yaml").toString());

        assertThat(probe.exit()).isEqualTo(3);
        assertThat(probe.out()).contains("HTTP 401");
        assertThat(unreachable.exit()).isEqualTo(3);
        assertThat(unreachable.out()).contains("connection refused");
        assertCredential(primary, "/health", "X-API-Key", API_KEY);
        assertCredential(backup, "/health", "Authorization", "Bearer " + BEARER);
        assertCredential(backup, "/health", "X-API-Key", FROM_ENV);
    }

    @Test
    void routeShowsEveryAttemptAndFailureButNoCredential() throws IOException {
        TestBackend primary = backends.start("fs-1").answer("/files/1", 401, "application/json", ECHOING_401)
                .answer("/files/2", 503, "application/json", ECHOING_401.replace("BAD_KEY", "QUOTA"));
        TestBackend backup = backends.start("fs-2");
        String file = topology(primary.url(), backup.url());
        String refused = topology("refused.yaml", TestBackend.refusedUrl(), TestBackend.refusedUrl());

        CliRun unauthorized = run("route", file, "storage", "/files/1", "--env", "BLOB_KEY=x");
        CliRun failover = run("route", file, "storage", "/files/2", "--env", "BLOB_KEY=x");
        CliRun unreachable = run("route", refused, "storage", "/files/3", "--env", "BLOB_KEY=x");

        assertThat(unauthorized.exit()).isEqualTo(4);
        assertThat(unauthorized.out()).contains("401");
        assertThat(failover.exit()).isZero();
        assertThat(failover.out()).contains("answered by  fs-2", "HTTP 503 QUOTA: key **** is revoked");
        assertThat(unreachable.exit()).isEqualTo(3);
        assertThat(unreachable.err()).contains("No backend of group 'storage'", "connection refused");
        assertCredential(primary, "/files/1", "X-API-Key", API_KEY);
        assertCredential(backup, "/files/2", "Authorization", "Bearer " + BEARER);
    }

    @Test
    void theJarPrintsNoSecretEither() throws Exception {
        TestBackend primary = backends.start("fs-1").answer("/files/2", 503, "application/json", ECHOING_401);
        TestBackend backup = backends.start("fs-2");

        CliJar invalid = CliJar.java("validate", invalid());
        CliJar route = CliJar.java("route", topology(primary.url(), backup.url()), "storage", "/files/2", "--env",
                "BLOB_KEY=" + FROM_ENV, "--no-color");

        assertThat(invalid.exit()).isEqualTo(1);
        assertThat(route.exit()).isZero();
        assertClean("validate through the jar", invalid.out() + invalid.err());
        assertClean("route through the jar", route.out() + route.err());
        assertCredential(primary, "/files/2", "X-API-Key", API_KEY);
    }
}

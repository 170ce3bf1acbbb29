package dev.backendrouter.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executable jar as an operator runs it, in its own process: R1's {@code curl} flow on a
 * {@code --demo} start, data that survives {@code kill -9}, the first admin token printed once,
 * and the {@code token} and {@code import} commands.
 */
class RegistryJarIntegrationTest {
    private static final Path JAR = Path.of("target", "backend-registry.jar");
    private static final Pattern TOKEN = Pattern.compile("^(brt_[A-Za-z0-9_-]{43})$", Pattern.MULTILINE);

    @TempDir
    Path work;

    /** A running jar and what it printed. */
    record Server(Process process, Path log, int port) {
        String base() {
            return "http://127.0.0.1:" + port;
        }
    }

    @Test
    void r1sCurlFlowWorksOnTheDemoAndTheDataSurvivesKillMinus9() throws Exception {
        Server server = start("--demo");
        try {
            assertThat(curl(server, "GET", "/api/backends/deployment/123", null)).contains("\"role\":\"PRIMARY\"");
            String added = curl(server, "POST", "/api/backends",
                    "{ \"serviceDeploymentId\": 123, \"backendDeploymentId\": 456, \"role\": \"PRIMARY\" }");
            assertThat(added).contains("\"id\"").contains("\"backendDeploymentId\":456");
            assertThat(curl(server, "GET", "/api/backends/deployment/123/details", null)).contains("file-system-server-1");
            assertThat(curl(server, "GET", "/", null)).as("the jar serves the admin page").contains("<title>Backend Connections registry");
            assertThat(curl(server, "GET", "/app/pages/deployment-page.js", null)).contains("export function deploymentPage");
        } finally {
            server.process().destroyForcibly().waitFor();      // SIGKILL: no shutdown hook, no flush
        }
        Server again = start("--demo");
        try {
            String backends = curl(again, "GET", "/api/backends/deployment/123", null);
            assertThat(Instance.JSON.readTree(backends)).as("the connection added before the kill is there").hasSize(6);
            assertThat(Files.readString(again.log())).contains("file-service is registered already");
        } finally {
            stop(again);
        }
    }

    @Test
    void theFirstStartPrintsOneAdminTokenAndTheCommandsManageTokensAndImport() throws Exception {
        Server server = start();
        String token;
        try {
            Matcher printed = TOKEN.matcher(Files.readString(server.log()));
            assertThat(printed.find()).as("the admin token is printed").isTrue();
            token = printed.group(1);
            assertThat(call(server, "GET", "/api/deployments", null, null).code()).as("reads need a token").isEqualTo(401);
            try (Response created = call(server, "POST", "/api/deployments", "{\"id\": 1, \"serviceName\": \"a\", \"host\": \"h\", \"port\": 1}",
                    token)) {
                assertThat(created.code()).isEqualTo(201);
            }
        } finally {
            stop(server);
        }
        assertThat(Files.readString(server.log()).split(Pattern.quote(token), -1)).as("printed once").hasSize(2);
        assertThat(Files.readString(server.log())).as("structured logs, a change with its request id")
                .containsPattern("\\{\"@timestamp\".*\"message\":\"deployment.created deployment 1 of deployment 1 by admin\".*\"request_id\":\"");

        Command made = command("token", "create", "file-service-router", "--scope", "read");
        assertThat(made.exit()).as(made.err()).isZero();
        String read = made.out().strip();
        assertThat(read).matches(TOKEN);
        Command imported = command("import", Path.of("src/test/resources/sample-registry.json").toAbsolutePath().toString());
        assertThat(imported.exit()).as(imported.err()).isZero();
        assertThat(imported.out()).contains("Imported 4 deployments and 3 connections");
        Command again = command("import", Path.of("src/test/resources/sample-registry.json").toAbsolutePath().toString());
        assertThat(again.exit()).as("a second import is refused whole").isEqualTo(1);
        assertThat(again.err()).contains("deployment 300").contains("exists already");

        Server restarted = start();
        try {
            assertThat(Files.readString(restarted.log())).as("no second admin token").doesNotContainPattern(TOKEN.pattern());
            try (Response details = call(restarted, "GET", "/api/backends/deployment/300/details", null, read)) {
                assertThat(details.code()).isEqualTo(200);
                assertThat(details.body().string()).contains("ARCHIVE").contains("report-store-2");
            }
            try (Response write = call(restarted, "DELETE", "/api/deployments/1", null, read)) {
                assertThat(write.code()).as("a read token does not write").isEqualTo(403);
            }
        } finally {
            stop(restarted);
        }
        Command revoked = command("token", "revoke", "file-service-router");
        assertThat(revoked.exit()).as(revoked.err()).isZero();
        Command listed = command("token", "list");
        assertThat(listed.out()).contains("admin\twrite").contains("file-service-router\tread").contains("revoked");
        assertThat(listed.out()).doesNotContain(read).doesNotContain(token);
        Server last = start();
        try (Response refused = call(last, "GET", "/api/deployments", null, read)) {
            assertThat(refused.code()).as("a revoked token").isEqualTo(401);
        } finally {
            stop(last);
        }
    }

    private Server start(String... extra) throws IOException, InterruptedException {
        int port = Postgres.freePort();
        Path log = Files.createTempFile(work, "registry-", ".log");
        List<String> command = new ArrayList<>(List.of(java(), "-jar", JAR.toAbsolutePath().toString(), "--server.port=" + port,
                "--server.address=127.0.0.1", "--registry.data=" + work.resolve("data")));
        command.addAll(List.of(extra));
        Process process = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < until) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the registry exited: " + Files.readString(log));
            }
            try (Response health = Instance.HTTP.newCall(new Request.Builder().url("http://127.0.0.1:" + port + "/actuator/health")
                    .build()).execute()) {
                if (health.code() == 200) {
                    return new Server(process, log, port);
                }
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("the registry did not start: " + Files.readString(log));
    }

    /** A graceful stop (SIGTERM), as a platform's orchestrator does it. */
    private static void stop(Server server) throws InterruptedException {
        server.process().destroy();
        if (!server.process().waitFor(30, TimeUnit.SECONDS)) {
            server.process().destroyForcibly().waitFor();
        }
    }

    record Command(int exit, String out, String err) {
    }

    private Command command(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java(), "-jar", JAR.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        command.add("--registry.data=" + work.resolve("data"));
        Path out = Files.createTempFile(work, "out-", ".txt");
        Path err = Files.createTempFile(work, "err-", ".txt");
        Process process = new ProcessBuilder(command).directory(work.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Command(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** What {@code curl -s} prints: the body. */
    private static String curl(Server server, String method, String path, String body) throws IOException {
        try (Response response = call(server, method, path, body, null)) {
            assertThat(response.code()).as(method + " " + path).isBetween(200, 299);
            return response.body().string();
        }
    }

    private static Response call(Server server, String method, String path, String body, String token) throws IOException {
        Request.Builder request = new Request.Builder().url(server.base() + path)
                .method(method, body == null ? null : RequestBody.create(body.getBytes(StandardCharsets.UTF_8), MediaType.get("application/json")));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return Instance.HTTP.newCall(request.build()).execute();
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}

package dev.backendrouter.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Access control, history and hostile input on a registry with tokens (no {@code --demo}): the
 * matrix of callers and requests, the audit of who changed what, and bodies that must be refused
 * with a 4xx in the error shape, never a 500 and never a partial write.
 */
class RegistryAccessIntegrationTest {
    @TempDir
    static Path data;
    static Instance registry;
    static String read;
    static String write;
    static String revoked;

    @BeforeAll
    static void start() throws IOException {
        registry = Instance.start(Instance.h2(data), "--registry.max-body-bytes=65536");
        Tokens tokens = registry.bean(Tokens.class);
        assertThat(tokens.list()).extracting(Tokens.Listed::name).as("the first start made an admin token").containsExactly("admin");
        read = tokens.create("file-service-router", "read");
        write = tokens.create("ops-alice", "write");
        revoked = tokens.create("ops-bob", "write");
        assertThat(tokens.revoke("ops-bob")).isTrue();
        assertThat(registry.call("POST", "/api/deployments", "{\"id\": 1, \"serviceName\": \"orders\", \"host\": \"localhost\", \"port\": 80}",
                "Authorization", "Bearer " + write).status()).isEqualTo(201);
        assertThat(registry.call("POST", "/api/deployments", "{\"id\": 2, \"serviceName\": \"orders-db\", \"host\": \"localhost\", \"port\": 81}",
                "X-API-Key", write).status()).as("X-API-Key carries a token too").isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void everyCallerGetsWhatItsTokenAllows() throws IOException {
        record Caller(String name, String[] headers, int reads, int writes) {
        }
        List<Caller> callers = List.of(
                new Caller("no token", new String[0], 401, 401),
                new Caller("unknown token", new String[] {"Authorization", "Bearer brt_not-a-token"}, 401, 401),
                new Caller("not a bearer", new String[] {"Authorization", "Basic YWRtaW46YWRtaW4="}, 401, 401),
                new Caller("revoked", new String[] {"Authorization", "Bearer " + revoked}, 401, 401),
                new Caller("read", new String[] {"Authorization", "Bearer " + read}, 200, 403),
                new Caller("write", new String[] {"Authorization", "Bearer " + write}, 200, -1));
        for (Caller caller : callers) {
            for (String path : List.of("/api/backends/deployment/1", "/api/backends/deployment/1/details", "/api/backends/consumers/2",
                    "/api/deployments", "/api/deployments/1", "/api/audit?deploymentId=1")) {
                Instance.Answer answer = registry.call("GET", path, null, caller.headers());
                assertThat(answer.status()).as(caller.name() + " GET " + path).isEqualTo(caller.reads());
                if (answer.status() == 401) {
                    assertThat(answer.headers().get("WWW-Authenticate")).startsWith("Bearer");
                    assertThat(answer.body().get("error").get("request_id").asString()).isNotBlank();
                }
            }
            if (caller.writes() > 0) {
                List<Instance.Answer> writes = List.of(
                        registry.call("POST", "/api/backends", "{\"serviceDeploymentId\": 1, \"backendDeploymentId\": 2}", caller.headers()),
                        registry.call("PUT", "/api/backends/1", "{\"serviceDeploymentId\": 1, \"backendDeploymentId\": 2}", caller.headers()),
                        registry.call("DELETE", "/api/backends/1", null, caller.headers()),
                        registry.call("POST", "/api/deployments", "{\"id\": 3, \"serviceName\": \"x\", \"host\": \"h\", \"port\": 1}",
                                caller.headers()),
                        registry.call("DELETE", "/api/deployments/2", null, caller.headers()));
                for (Instance.Answer answer : writes) {
                    assertThat(answer.status()).as(caller.name() + " writes").isEqualTo(caller.writes());
                    assertThat(answer.body().get("error").get("code").asString()).isIn("UNAUTHORIZED", "FORBIDDEN");
                }
            }
        }
        assertThat(registry.call("GET", "/api/deployments/3", null, "Authorization", "Bearer " + write).status())
                .as("no refused write was made").isEqualTo(404);
        try (Response health = Instance.HTTP.newCall(new Request.Builder().url(registry.base + "/actuator/health").build()).execute()) {
            assertThat(health.code()).as("health needs no token").isEqualTo(200);
            assertThat(health.body().string()).contains("\"db\"");
        }
        try (Response metrics = Instance.HTTP.newCall(new Request.Builder().url(registry.base + "/actuator/prometheus").build()).execute()) {
            assertThat(metrics.body().string()).contains("registry_watches_waiting").contains("http_server_requests_seconds");
        }
        for (String token : List.of(read, write, revoked)) {
            assertThat(registry.bean(Tokens.class).list().toString()).doesNotContain(token);
        }
    }

    @Test
    void everyChangeIsInTheHistoryWithWhoMadeItAndWhatItWas() throws IOException {
        registry.call("POST", "/api/deployments", "{\"id\": 10, \"serviceName\": \"billing\", \"host\": \"localhost\", \"port\": 90}",
                "Authorization", "Bearer " + write);
        registry.call("POST", "/api/deployments", "{\"id\": 11, \"serviceName\": \"billing-db\", \"host\": \"localhost\", \"port\": 91}",
                "Authorization", "Bearer " + write);
        Instance.Answer added = registry.call("POST", "/api/backends", "{\"serviceDeploymentId\": 10, \"backendDeploymentId\": 11}",
                "Authorization", "Bearer " + write, "X-Request-Id", "change-42");
        long id = added.body().get("id").asLong();
        registry.call("PUT", "/api/backends/" + id, "{\"serviceDeploymentId\": 10, \"backendDeploymentId\": 11, \"priority\": 3}",
                "Authorization", "Bearer " + write);
        registry.call("DELETE", "/api/backends/" + id, null, "Authorization", "Bearer " + write);
        JsonNode history = registry.call("GET", "/api/audit?deploymentId=10", null, "Authorization", "Bearer " + read).body();
        assertThat(history.findValuesAsString("action")).containsExactly("connection.removed", "connection.updated", "connection.added",
                "deployment.created");
        assertThat(history.findValuesAsString("actor")).containsOnly("ops-alice");
        JsonNode updated = history.get(1);
        assertThat(updated.get("before").get("priority").isNull()).isTrue();
        assertThat(updated.get("after").get("priority").asInt()).isEqualTo(3);
        assertThat(history.get(2).get("requestId").asString()).isEqualTo("change-42");
        assertThat(history.get(0).get("after").isNull()).isTrue();
        assertThat(history.get(0).get("at").asString()).isNotBlank();
    }

    @Test
    void hostileInputIsRefusedWithA4xxAndWritesNothing() throws Exception {
        String[] auth = {"Authorization", "Bearer " + write};
        registry.call("POST", "/api/deployments", "{\"id\": 20, \"serviceName\": \"search\", \"host\": \"localhost\", \"port\": 70}", auth);
        registry.call("POST", "/api/deployments", "{\"id\": 21, \"serviceName\": \"search-index\", \"host\": \"localhost\", \"port\": 71}", auth);
        Instance.Answer connection = registry.call("POST", "/api/backends", "{\"serviceDeploymentId\": 20, \"backendDeploymentId\": 21}", auth);
        String before = registry.call("GET", "/api/backends/deployment/20/details", null, auth).etag();
        String huge = "{\"id\": 22, \"serviceName\": \"" + "x".repeat(70_000) + "\", \"host\": \"h\", \"port\": 1}";
        Map<String, Instance.Answer> answers = new java.util.LinkedHashMap<>();
        answers.put("malformed", registry.call("POST", "/api/backends", "{\"serviceDeploymentId\": 20,", auth));
        answers.put("unknown field", registry.call("POST", "/api/deployments", "{\"id\": 23, \"name\": \"a\", \"host\": \"h\", \"port\": 1,"
                + " \"admin\": true}", auth));
        answers.put("wrong type", registry.call("POST", "/api/deployments", "{\"id\": \"23\", \"name\": \"a\", \"host\": \"h\", \"port\": 1}", auth));
        answers.put("over the size limit", registry.call("POST", "/api/deployments", huge, auth));
        answers.put("over the size limit, chunked", chunked("/api/deployments", huge));
        answers.put("unknown id", registry.call("GET", "/api/deployments/999999", null, auth));
        answers.put("huge id", registry.call("GET", "/api/backends/99999999999999999999999", null, auth));
        answers.put("SQL in a number", registry.call("PUT", "/api/backends/1 OR 1=1", "{}", auth));
        answers.put("not JSON", registry.call("POST", "/api/backends", "<backend role='PRIMARY'/>", auth));
        answers.put("XML asked for", registry.call("GET", "/api/deployments/20", null, "Authorization", "Bearer " + write,
                "Accept", "application/xml"));
        answers.put("a parameter missing", registry.call("GET", "/api/audit", null, auth));
        answers.put("no such endpoint", registry.call("GET", "/api/nothing-here", null, auth));
        answers.put("no such method", registry.call("PATCH", "/api/deployments/20", "{}", auth));
        for (Map.Entry<String, Instance.Answer> answer : answers.entrySet()) {
            assertThat(answer.getValue().status()).as(answer.getKey()).isBetween(400, 499);
            assertThat(answer.getValue().body().get("error").get("message").asString()).as(answer.getKey()).isNotBlank();
            assertThat(answer.getValue().body().get("error").get("request_id").asString()).as(answer.getKey()).isNotBlank();
        }
        assertThat(answers.get("over the size limit").status()).isEqualTo(413);
        assertThat(answers.get("over the size limit, chunked").status()).isEqualTo(413);
        assertThat(answers.get("XML asked for").status()).isEqualTo(406);
        assertThat(answers.get("a parameter missing").status()).isEqualTo(400);

        String quoted = "search \\\"east\\\" <script>alert(1)</script>'; DROP TABLE deployment; --";
        Instance.Answer odd = registry.call("POST", "/api/deployments", "{\"id\": 24, \"serviceName\": \"" + quoted + "\", \"host\": "
                + "\"localhost\", \"port\": 72}", auth);
        assertThat(odd.status()).isEqualTo(201);
        assertThat(registry.call("GET", "/api/deployments/24", null, auth).body().get("serviceName").asString())
                .as("kept as given, as data").isEqualTo("search \"east\" <script>alert(1)</script>'; DROP TABLE deployment; --");

        String body = "{\"serviceDeploymentId\": 20, \"backendDeploymentId\": 21, \"priority\": %d}";
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> racing = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int priority = i;
                racing.add(() -> registry.call("PUT", "/api/backends/" + connection.body().get("id").asLong(), body.formatted(priority),
                        "Authorization", "Bearer " + write, "If-Match", connection.etag()).status());
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> status : pool.invokeAll(racing)) {
                statuses.add(status.get());
            }
            assertThat(statuses).as("one conflicting write wins, the others are told it went stale")
                    .containsOnly(200, 412).filteredOn(s -> s == 200).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(registry.call("GET", "/api/backends/deployment/20/details", null, auth).etag()).as("one change, the winner's")
                .isNotEqualTo(before);
        assertThat(registry.call("GET", "/api/deployments/22", null, auth).status()).isEqualTo(404);
    }

    private static Instance.Answer chunked(String path, String body) throws IOException {
        okhttp3.RequestBody streamed = new okhttp3.RequestBody() {
            @Override
            public okhttp3.MediaType contentType() {
                return Instance.JSON_TYPE;
            }

            @Override
            public void writeTo(okio.BufferedSink sink) throws IOException {     // no contentLength: sent chunked
                sink.writeUtf8(body);
            }
        };
        Request request = new Request.Builder().url(registry.base + path).post(streamed).header("Authorization", "Bearer " + write).build();
        try (Response response = Instance.HTTP.newCall(request).execute()) {
            return new Instance.Answer(response.code(), Instance.JSON.readTree(response.body().string()), null, response.headers());
        }
    }
}

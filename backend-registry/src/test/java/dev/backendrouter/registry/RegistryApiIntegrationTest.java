package dev.backendrouter.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.backendrouter.api.Topology;
import dev.backendrouter.router.BackendRouter;
import dev.backendrouter.router.HealthCheckSettings;
import dev.backendrouter.router.TopologySource;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The registry over real HTTP on a free loopback port, on its embedded H2 database in a
 * temporary folder, started with {@code --demo}: R1's flow, the shapes of docs/registry-api.md,
 * the checks with the router's validator, ETags, and a real {@link BackendRouter} reading it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistryApiIntegrationTest {
    @TempDir
    static Path data;
    Instance registry;

    /** The database this class runs on: the embedded H2 here, PostgreSQL in a subclass. */
    List<String> database() {
        return Instance.h2(data);
    }

    @BeforeAll
    void start() {
        registry = Instance.start(database(), "--demo");
    }

    @AfterAll
    void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    private Instance.Answer call(String method, String path, String body, String... headers) throws IOException {
        return registry.call(method, path, body, headers);
    }

    @Test
    void theDemoAnswersR1sRequests() throws IOException {
        Instance.Answer backends = call("GET", "/api/backends/deployment/123", null);
        assertThat(backends.status()).isEqualTo(200);
        assertThat(backends.body().findValuesAsString("role")).containsExactly("PRIMARY", "BACKUP", "CACHE", "SHARD", "SHARD");
        Instance.Answer consumers = call("GET", "/api/backends/consumers/456", null);
        assertThat(consumers.body().get(0).get("id").asLong()).isEqualTo(123);
        Instance.Answer details = call("GET", "/api/backends/deployment/123/details", null);
        assertThat(details.status()).isEqualTo(200);
        assertThat(details.etag()).isNotBlank();
        assertThat(details.body().get("backends")).hasSize(5);
        assertThat(call("GET", "/api/backends/deployment/123/details", null, "If-None-Match", details.etag()).status())
                .as("unchanged: 304").isEqualTo(304);
    }

    @Test
    void deploymentsAreListedByServiceAndStageAPageAtATime() throws IOException {
        call("POST", "/api/deployments", "{\"id\": 930, \"serviceName\": \"ledger\", \"host\": \"localhost\", \"port\": 9301, \"stage\": \"prod\"}");
        call("POST", "/api/deployments", "{\"id\": 931, \"serviceName\": \"ledger\", \"host\": \"localhost\", \"port\": 9302, \"stage\": \"prep\"}");
        call("POST", "/api/deployments", "{\"id\": 932, \"serviceName\": \"ledger\", \"host\": \"localhost\", \"port\": 9303, \"stage\": \"prod\"}");
        assertThat(call("GET", "/api/deployments?serviceName=ledger", null).body()).extracting(d -> d.get("id").asLong())
                .containsExactly(930L, 931L, 932L);
        assertThat(call("GET", "/api/deployments?serviceName=ledger&stage=prod", null).body()).extracting(d -> d.get("id").asLong())
                .containsExactly(930L, 932L);
        assertThat(call("GET", "/api/deployments?serviceName=ledger&size=2&page=1", null).body()).extracting(d -> d.get("id").asLong())
                .containsExactly(932L);
        assertThat(call("GET", "/api/deployments?serviceName=ledger&size=2&page=2", null).body()).isEmpty();
        assertThat(call("GET", "/api/deployments?size=0", null).status()).isEqualTo(400);
        assertThat(call("GET", "/api/deployments?page=-1", null).status()).isEqualTo(400);
        Instance.Answer one = call("GET", "/api/deployments/931", null);
        assertThat(one.etag()).isNotBlank();
        assertThat(call("PUT", "/api/deployments/931", "{\"id\": 931, \"serviceName\": \"ledger\", \"host\": \"localhost\", \"port\": 9312}",
                "If-Match", "\"d931-0\"").status()).as("a stale If-Match").isEqualTo(412);
        assertThat(call("PUT", "/api/deployments/931", "{\"id\": 931, \"serviceName\": \"ledger\", \"host\": \"localhost\", \"port\": 9312}",
                "If-Match", one.etag()).body().get("port").asInt()).isEqualTo(9312);
        assertThat(call("POST", "/api/deployments", "{\"id\": 931, \"serviceName\": \"ledger\", \"host\": \"h\", \"port\": 1}").status())
                .as("a duplicate id").isEqualTo(409);
    }

    /** The admin page's search: the same on H2 and PostgreSQL, with LIKE's wildcards taken as characters. */
    @Test
    void deploymentsAreFoundByAnyPartOfTheirNameInAnyCase() throws IOException {
        call("POST", "/api/deployments", "{\"id\": 940, \"serviceName\": \"search\", \"name\": \"Search_One\", \"host\": \"h\", \"port\": 1}");
        call("POST", "/api/deployments", "{\"id\": 941, \"serviceName\": \"search\", \"name\": \"search-100%\", \"host\": \"h\", \"port\": 1}");
        call("POST", "/api/deployments", "{\"id\": 942, \"serviceName\": \"search\", \"name\": \"back\\\\slash\", \"host\": \"h\", \"port\": 1}");
        assertThat(ids("?serviceName=search&name=SEARCH")).containsExactly(940L, 941L);
        assertThat(ids("?serviceName=search&name=_")).containsExactly(940L);
        assertThat(ids("?serviceName=search&name=%25")).containsExactly(941L);
        assertThat(ids("?serviceName=search&name=%5C")).as("a backslash").containsExactly(942L);
        assertThat(ids("?serviceName=search&name=h_o")).as("_ matches only itself").containsExactly(940L);
        assertThat(ids("?serviceName=search&name=ch-1")).containsExactly(941L);
    }

    private List<Long> ids(String query) throws IOException {
        List<Long> ids = new java.util.ArrayList<>();
        call("GET", "/api/deployments" + query, null).body().forEach(d -> ids.add(d.get("id").asLong()));
        return ids;
    }

    @Test
    void aConnectionIsAddedReadUpdatedUnderIfMatchAndDeleted() throws IOException {
        call("POST", "/api/deployments", "{\"id\": 900, \"serviceName\": \"report-service\", \"host\": \"localhost\", \"port\": 8090}");
        call("POST", "/api/deployments", "{\"id\": 901, \"serviceName\": \"report-db\", \"host\": \"localhost\", \"port\": 5901}");
        Instance.Answer added = call("POST", "/api/backends", "{ \"serviceDeploymentId\": 900, \"backendDeploymentId\": 901, \"role\": \"PRIMARY\" }");
        assertThat(added.status()).isEqualTo(201);
        long id = added.body().get("id").asLong();
        assertThat(added.body().get("role").asString()).isEqualTo("PRIMARY");
        String body = "{ \"serviceDeploymentId\": 900, \"backendDeploymentId\": 901, \"role\": \"PRIMARY\", \"priority\": 2 }";
        assertThat(call("PUT", "/api/backends/" + id, body, "If-Match", "\"c" + id + "-0\"").status()).as("a stale If-Match").isEqualTo(412);
        Instance.Answer updated = call("PUT", "/api/backends/" + id, body, "If-Match", added.etag());
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.body().get("priority").asInt()).isEqualTo(2);
        assertThat(call("DELETE", "/api/backends/" + id, null, "If-Match", added.etag()).status()).as("the old tag").isEqualTo(412);
        assertThat(call("DELETE", "/api/deployments/901", null).body().get("error").get("details").get("consumers").get(0).asLong())
                .as("a deployment with consumers is not deleted").isEqualTo(900);
        assertThat(call("DELETE", "/api/backends/" + id, null, "If-Match", updated.etag()).status()).isEqualTo(204);
        assertThat(call("GET", "/api/backends/" + id, null).status()).isEqualTo(404);
        assertThat(call("DELETE", "/api/deployments/901", null).status()).isEqualTo(204);
    }

    @Test
    void badInputGetsAClearErrorAndWritesNothing() throws IOException {
        String before = call("GET", "/api/backends/deployment/123/details", null).etag();
        record Bad(String body, int status, String field, String says) {
        }
        List<Bad> cases = List.of(
                new Bad("{ \"serviceDeploymentId\": 123, \"backendDeploymentId\": 456, \"role\": \"MASTER\" }", 400, "role", "unknown role"),
                new Bad("{ \"serviceDeploymentId\": 123, \"backendDeploymentId\": 123 }", 400, "backendDeploymentId", "its own backend"),
                new Bad("{ \"serviceDeploymentId\": 123, \"backendDeploymentId\": 999999999999 }", 404, "backendDeploymentId", "no deployment"),
                new Bad("{ \"serviceDeploymentId\": 123, \"backendDeploymentId\": 456, \"group\": \"storage\" }", 409, "backendDeploymentId", "already uses"),
                new Bad("{ \"serviceDeploymentId\": 123, \"backendDeploymentId\": 457, \"role\": \"SHARD\", \"group\": \"users\" }", 400, "routingKey", "required"),
                new Bad("{ \"serviceDeploymentId\": 123, \"backendDeploymentId\": 457, \"role\": \"SHARD\", \"routingKey\": \"users-k-p\", \"group\": \"users\" }",
                        400, "routingKey", "overlap"),
                new Bad("{ \"serviceDeploymentId\": 123, \"backendDeploymentId\": 457, \"priority\": -1 }", 400, "priority", "0 or more"),
                new Bad("{ \"serviceDeploymentId\": \"123'; DROP TABLE connection; --\", \"backendDeploymentId\": 457 }", 400,
                        "serviceDeploymentId", "deployment id"),
                new Bad("{ \"serviceDeploymentId\": 123, \"backendDeploymentId\": 457, \"colour\": \"<script>\" }", 400, "colour", "unknown field"),
                new Bad("{ \"serviceDeploymentId\": 123, ", 400, "body", "JSON"),
                new Bad("[1, 2]", 400, "[0].body", "JSON object"),
                new Bad("[{ \"serviceDeploymentId\": 123, \"backendDeploymentId\": 457, \"role\": \"SHARD\", \"routingKey\": \"users-a-c\", \"group\": \"shelf\" }]",
                        400, "[0].routingKey", "gap"));
        for (Bad bad : cases) {
            Instance.Answer answer = call("POST", "/api/backends", bad.body());
            assertThat(answer.status()).as(bad.body()).isEqualTo(bad.status());
            JsonNode error = answer.body().get("error");
            assertThat(error.get("details").get("field").asString()).as(bad.body()).isEqualTo(bad.field());
            assertThat(error.get("message").asString()).as(bad.body()).containsIgnoringCase(bad.says());
            assertThat(error.get("request_id").asString()).isNotBlank();
            assertThat(error.get("timestamp").asString()).isNotBlank();
        }
        assertThat(call("GET", "/api/backends/deployment/123/details", null).etag()).as("nothing was written").isEqualTo(before);
        assertThat(call("GET", "/api/backends/deployment/99999999999999999999", null).status()).as("a huge id").isEqualTo(400);
    }

    @Test
    void aRouterReadsTheRegistryAndPicksUpAChange() throws IOException {
        HttpServer backend = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        backend.createContext("/", exchange -> {
            byte[] answer = "report".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        backend.start();
        try {
            call("POST", "/api/deployments", "{\"id\": 910, \"serviceName\": \"audit-service\", \"host\": \"localhost\", \"port\": 8091}");
            call("POST", "/api/deployments", "{\"id\": 911, \"serviceName\": \"audit-store\", \"host\": \"127.0.0.1\", \"port\": "
                    + backend.getAddress().getPort() + "}");
            call("POST", "/api/deployments", "{\"id\": 912, \"serviceName\": \"audit-store\", \"host\": \"127.0.0.1\", \"port\": 1}");
            call("POST", "/api/backends", "{ \"serviceDeploymentId\": 910, \"backendDeploymentId\": 911, \"group\": \"audit\" }");
            try (BackendRouter router = BackendRouter.builder().healthChecks(HealthCheckSettings.disabled())
                    .topology(TopologySource.registry(URI.create(registry.base), 910)).build()) {
                try (Response response = router.httpClient().newCall(new Request.Builder().url("http://audit/records/1").build()).execute()) {
                    assertThat(response.body().string()).isEqualTo("report");
                }
                call("POST", "/api/backends", "{ \"serviceDeploymentId\": 910, \"backendDeploymentId\": 912, \"role\": \"BACKUP\","
                        + " \"priority\": 2, \"group\": \"audit\" }");
                Topology reloaded = router.reload();
                assertThat(reloaded.group("audit").orElseThrow().members()).hasSize(2);
            }
        } finally {
            backend.stop(0);
        }
    }
}

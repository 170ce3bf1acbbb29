package dev.backendrouter.samples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The simulated backends behave like the services the tour stands in for, over real HTTP. */
class SimulatedBackendTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final OkHttpClient http = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
    private SimulatedBackend backend;

    @AfterEach
    void stop() {
        if (backend != null) {
            backend.close();
        }
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    @Test
    void healthAnswersWithStatusServiceAndUptime() throws IOException {
        backend = SimulatedBackend.start("backend-1", 0, 0);
        JsonNode health = json(get("/health"));
        assertThat(health.path("status").asString()).isEqualTo("healthy");
        assertThat(health.path("service").asString()).isEqualTo("backend-1");
        assertThat(health.path("uptime").isNumber()).isTrue();
        assertThat(backend.requests()).as("health checks are not data requests").isZero();
    }

    @Test
    void storesAndServesItemsAndAnswersMissingOnesWithTheErrorBody() throws IOException {
        backend = SimulatedBackend.start("store", 0, 0);
        try (Response put = http.newCall(new Request.Builder().url(backend.url() + "/items/1")
                .put(RequestBody.create("{\"v\":1}", MediaType.get("application/json"))).build()).execute()) {
            assertThat(put.code()).isEqualTo(200);
        }
        assertThat(get("/items/1").body().string()).isEqualTo("{\"v\":1}");
        try (Response missing = http.newCall(new Request.Builder().url(backend.url() + "/items/2")
                .header("X-Request-Id", "req-7").build()).execute()) {
            assertThat(missing.code()).isEqualTo(404);
            JsonNode error = JSON.readTree(missing.body().string()).path("error");
            assertThat(error.path("code").asString()).isEqualTo("NOT_FOUND");
            assertThat(error.path("message").asString()).isEqualTo("No item at /items/2");
            assertThat(error.path("request_id").asString()).isEqualTo("req-7");
        }
        try (Response delete = http.newCall(new Request.Builder().url(backend.url() + "/items/1").delete().build()).execute()) {
            assertThat(delete.code()).isEqualTo(204);
        }
        assertThat(backend.get("/items/1")).isNull();
    }

    @Test
    void failsAboutItsErrorRateWithServerErrors() throws IOException {
        backend = SimulatedBackend.start("backend-2", 0, 0.20);
        backend.put("/data", "{}");
        int failed = 0;
        for (int i = 0; i < 1_000; i++) {
            try (Response response = get("/data")) {
                if (response.code() != 200) {
                    assertThat(response.code()).isIn(500, 502, 503);
                    assertThat(JSON.readTree(response.body().string()).path("error").path("code").asString()).isNotEmpty();
                    failed++;
                }
            }
        }
        assertThat(failed).isBetween(150, 250);
        assertThat(backend.errors()).isEqualTo(failed);
    }

    @Test
    void aKilledBackendRefusesConnectionsAndComesBackOnItsPort() throws IOException {
        backend = SimulatedBackend.start("primary", 0, 0);
        backend.put("/f", "{}");
        int port = backend.port();
        backend.kill();
        assertThatThrownBy(() -> get("/f").close()).isInstanceOf(ConnectException.class);
        backend.restart();
        assertThat(backend.port()).isEqualTo(port);
        assertThat(get("/f").code()).as("its data survives, like a restarted process with its disk").isEqualTo(200);
    }

    @Test
    void aFailingBackendAnswers503ToDataButStaysHealthyForProbes() throws IOException {
        backend = SimulatedBackend.start("search-1", 0, 0);
        backend.put("/q", "{}");
        backend.failing(true);
        try (Response response = get("/q")) {
            assertThat(response.code()).isEqualTo(503);
            assertThat(response.body().string()).contains("\"code\":\"SERVICE_UNAVAILABLE\"");
        }
        assertThat(get("/health").code()).isEqualTo(200);
        backend.failing(false);
        assertThat(get("/q").code()).isEqualTo(200);
    }

    private Response get(String path) throws IOException {
        return http.newCall(new Request.Builder().url(backend.url() + path).build()).execute();
    }

    private static JsonNode json(Response response) throws IOException {
        try (response) {
            return JSON.readTree(response.body().string());
        }
    }
}

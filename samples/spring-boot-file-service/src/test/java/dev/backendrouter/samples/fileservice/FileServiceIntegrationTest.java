package dev.backendrouter.samples.fileservice;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The file service through its real HTTP stack, with its storage backends as WireMock servers on loopback. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class FileServiceIntegrationTest {
    static final WireMockServer CACHE = start("redis-cache");
    static final WireMockServer PRIMARY = start("file-system-server-1");
    static final WireMockServer BACKUP = start("file-system-server-2");
    private final HttpClient http = HttpClient.newHttpClient();

    @Value("${local.server.port}")
    int port;

    private static WireMockServer start(String name) {
        WireMockServer server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        server.stubFor(any(anyUrl()).willReturn(aResponse().withBody("content from " + name)));
        return server;
    }

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        registry.add("CACHE_URL", CACHE::baseUrl);
        registry.add("STORAGE_1_URL", PRIMARY::baseUrl);
        registry.add("STORAGE_2_URL", BACKUP::baseUrl);
        registry.add("STORAGE_API_KEY", () -> "backup-secret");
        registry.add("backend-router.health.enabled", () -> "false");
    }

    @AfterAll
    static void stop() {
        CACHE.stop();
        PRIMARY.stop();
        BACKUP.stop();
    }

    private HttpResponse<String> call(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Content-Type", "text/plain");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void filesComeFromTheCacheFirstThenStorageWithFailoverAndTheActuatorShowsIt() throws Exception {
        CACHE.stubFor(get(anyUrl()).willReturn(aResponse().withStatus(404)));   // an empty cache: every GET a miss
        CACHE.stubFor(put(anyUrl()).willReturn(aResponse().withStatus(204)));
        assertThat(call("GET", "/files/1", null).body()).as("a cache miss: the primary").isEqualTo("content from file-system-server-1");
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (CACHE.findAll(putRequestedFor(urlPathEqualTo("/files/1"))).isEmpty() && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertThat(CACHE.findAll(putRequestedFor(urlPathEqualTo("/files/1")))).as("the answer went to the cache").hasSize(1);

        CACHE.stubFor(get(urlPathEqualTo("/files/2")).willReturn(aResponse().withBody("cached two")));
        assertThat(call("GET", "/files/2", null).body()).as("a cache hit").isEqualTo("cached two");

        PRIMARY.stubFor(get(urlPathEqualTo("/files/missing")).willReturn(aResponse().withStatus(404).withBody("no such file")));
        BACKUP.stubFor(get(urlPathEqualTo("/files/missing")).willReturn(aResponse().withStatus(404).withBody("no such file")));
        HttpResponse<String> missing = call("GET", "/files/missing", null);
        assertThat(missing.statusCode()).as("missing on every storage backend: a 404").isEqualTo(404);
        assertThat(missing.headers().firstValue("Matched-Stub-Id")).as("storage headers stay behind").isEmpty();

        PRIMARY.stop();
        assertThat(call("GET", "/files/3", null).body()).as("the primary is down: the backup").isEqualTo("content from file-system-server-2");
        assertThat(BACKUP.findAll(anyRequestedFor(urlPathEqualTo("/files/3"))).get(0).getHeader("X-API-Key")).isEqualTo("backup-secret");

        assertThat(call("PUT", "/files/4", "hello").statusCode()).isEqualTo(204);
        assertThat(BACKUP.findAll(putRequestedFor(urlPathEqualTo("/files/4"))).get(0).getBodyAsString()).isEqualTo("hello");
        assertThat(CACHE.findAll(anyRequestedFor(urlPathEqualTo("/files/4")))).as("a write invalidates the cache")
                .anySatisfy(r -> assertThat(r.getMethod().toString()).isEqualTo("DELETE"));

        assertThat(call("DELETE", "/files/5", null).statusCode()).isEqualTo(204);
        assertThat(BACKUP.findAll(deleteRequestedFor(urlPathEqualTo("/files/5")))).as("the delete reached the backup").hasSize(1);
        assertThat(CACHE.findAll(deleteRequestedFor(urlPathEqualTo("/files/5")))).as("and left the cache").isNotEmpty();

        BACKUP.stop();
        HttpResponse<String> down = call("GET", "/files/6", null);
        assertThat(down.statusCode()).as("no storage left").isEqualTo(503);
        assertThat(down.body()).as("the router's message names every member and what happened")
                .startsWith("storage unavailable: No backend of group 'storage'")
                .contains("file-system-server-1", "file-system-server-2", "connection refused");

        HttpResponse<String> health = call("GET", "/actuator/health", null);
        assertThat(health.body()).contains("\"backendRouter\"").contains("\"writable\":true");
        HttpResponse<String> backends = call("GET", "/actuator/backends", null);
        assertThat(backends.statusCode()).isEqualTo(200);
        assertThat(backends.body()).contains("file-system-server-2", "X-API-Key: ****").doesNotContain("backup-secret");
    }
}

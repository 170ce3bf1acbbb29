package dev.backendrouter.samples.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.backendrouter.api.BackendMember;
import dev.backendrouter.router.BackendRouter;
import dev.backendrouter.router.HealthCheckSettings;
import dev.backendrouter.router.TopologySource;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sample registry on loopback, and a router sourcing deployment 123 from it while calls run. */
class RegistryServerIntegrationTest {
    private static final Duration POLL = Duration.ofMillis(200);
    @TempDir
    Path data;
    private final OkHttpClient http = new OkHttpClient();
    private final List<HttpServer> backends = new ArrayList<>();
    private final Map<String, AtomicInteger> served = new ConcurrentHashMap<>();
    private RegistryServer registry;

    @AfterEach
    void stop() {
        if (registry != null) {
            registry.close();
        }
        backends.forEach(server -> server.stop(0));
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    /** A backend answering its own name, counting what it serves. */
    private int backend(String name) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            served.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
            byte[] body = name.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        backends.add(server);
        return server.getAddress().getPort();
    }

    private Response call(String method, String path, String json) throws IOException {
        RequestBody body = json == null ? null : RequestBody.create(json, MediaType.get("application/json"));
        return http.newCall(new Request.Builder().url(registry.url() + path).method(method, body).build()).execute();
    }

    private String send(String method, String path, String json) throws IOException {
        try (Response response = call(method, path, json)) {
            return response.code() + " " + response.body().string();
        }
    }

    private void deployment(long id, String service, String name, int port) throws IOException {
        assertThat(send("PUT", "/api/deployments/" + id, "{\"id\":" + id + ",\"serviceName\":\"" + service + "\",\"name\":\""
                + name + "\",\"host\":\"127.0.0.1\",\"port\":" + port + ",\"status\":\"running\",\"stage\":\"prod\"}"))
                .startsWith("200");
    }

    @Test
    void aRouterFollowsTheRegistryWithNoFailedCall() throws Exception {
        registry = new RegistryServer(0, data);
        deployment(123, "file-service", "file-service-1", 8080);
        deployment(456, "file-system-server", "fs-1", backend("fs-1"));
        deployment(457, "file-system-server", "fs-2", backend("fs-2"));
        String first = send("POST", "/api/backends",
                "{\"serviceDeploymentId\":123,\"backendDeploymentId\":456,\"role\":\"PRIMARY\",\"group\":\"storage\"}");
        assertThat(first).startsWith("201 ");
        long firstId = Long.parseLong(first.replaceAll(".*\"id\":(\\d+).*", "$1"));

        ExecutorService callers = Executors.newFixedThreadPool(4);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger calls = new AtomicInteger();
        try (BackendRouter router = BackendRouter.builder()
                .topology(TopologySource.registry(URI.create(registry.url()), 123))
                .reloadEvery(POLL).healthChecks(HealthCheckSettings.disabled()).build()) {
            List<Future<?>> running4 = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                running4.add(callers.submit(() -> {
                    while (running.get()) {
                        try (Response response = router.httpClient().newCall(
                                new Request.Builder().url("http://storage/files/1").build()).execute()) {
                            if (response.code() != 200) {
                                failed.incrementAndGet();
                            }
                        } catch (IOException e) {
                            failed.incrementAndGet();
                        }
                        calls.incrementAndGet();
                    }
                    return null;
                }));
            }
            String second = send("POST", "/api/backends",
                    "{\"serviceDeploymentId\":123,\"backendDeploymentId\":457,\"role\":\"PRIMARY\",\"group\":\"storage\"}");
            assertThat(second).startsWith("201 ");
            awaitMembers(router, List.of("fs-1", "fs-2"));
            awaitServed("fs-2");

            assertThat(send("DELETE", "/api/backends/" + firstId, null)).isEqualTo("204 ");
            awaitMembers(router, List.of("fs-2"));
            int fs1AfterRemoval = served.get("fs-1").get();
            Thread.sleep(POLL.toMillis() * 2);
            assertThat(served.get("fs-1").get()).as("a removed backend gets no new calls").isLessThanOrEqualTo(fs1AfterRemoval + 4);

            running.set(false);
            for (Future<?> caller : running4) {
                caller.get(30, TimeUnit.SECONDS);
            }
        } finally {
            callers.shutdownNow();
        }
        assertThat(calls.get()).isPositive();
        assertThat(failed.get()).as("no call failed while the topology changed").isZero();
    }

    private static void awaitMembers(BackendRouter router, List<String> names) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < until && !names.equals(router.topology().group("storage").orElseThrow().members().stream()
                .map(BackendMember::name).toList())) {
            Thread.sleep(POLL.toMillis() / 4);
        }
        assertThat(router.topology().group("storage").orElseThrow().members()).extracting(BackendMember::name)
                .containsExactlyElementsOf(names);
    }

    private void awaitServed(String name) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < until && served.getOrDefault(name, new AtomicInteger()).get() == 0) {
            Thread.sleep(10);
        }
        assertThat(served.getOrDefault(name, new AtomicInteger()).get()).as("%s serves calls", name).isPositive();
    }

    @Test
    void validationErrorsNameTheField() throws IOException {
        registry = new RegistryServer(0, data);
        deployment(123, "file-service", "file-service-1", 8080);
        deployment(456, "file-system-server", "fs-1", 4001);
        assertThat(send("POST", "/api/backends", "{\"serviceDeploymentId\":123,\"backendDeploymentId\":456,\"role\":\"MASTER\"}"))
                .startsWith("400 ").contains("\"code\":\"VALIDATION_FAILED\"").contains("\"field\":\"role\"")
                .contains("unknown role 'MASTER'");
        assertThat(send("POST", "/api/backends", "{\"serviceDeploymentId\":123,\"backendDeploymentId\":456,\"role\":\"SHARD\"}"))
                .startsWith("400 ").contains("\"field\":\"routingKey\"");
        assertThat(send("POST", "/api/backends", "{\"serviceDeploymentId\":123,\"backendDeploymentId\":999}"))
                .startsWith("404 ").contains("\"field\":\"backendDeploymentId\"");
        assertThat(send("POST", "/api/backends", "{\"backendDeploymentId\":456}")).startsWith("400 ")
                .contains("\"field\":\"serviceDeploymentId\"");
        assertThat(send("POST", "/api/backends", "not json")).startsWith("400 ").contains("\"field\":\"body\"");
        assertThat(send("POST", "/api/backends", "{\"serviceDeploymentId\":123,\"backendDeploymentId\":456}")).startsWith("201 ");
        assertThat(send("POST", "/api/backends", "{\"serviceDeploymentId\":123,\"backendDeploymentId\":456}")).startsWith("409 ");
        assertThat(send("PUT", "/api/backends/77", "{\"serviceDeploymentId\":123,\"backendDeploymentId\":456}")).startsWith("404 ");
        assertThat(send("DELETE", "/api/backends/77", null)).startsWith("404 ").contains("\"request_id\"");
        assertThat(send("GET", "/api/backends/deployment/999/details", null)).startsWith("404 ");
        assertThat(send("POST", "/api/backends", "{\"serviceDeploymentId\":123,\"backendDeploymentId\":456,\"group\":\"Bad Group!\"}"))
                .startsWith("400 ").contains("\"field\":\"group\"");
        assertThat(send("PUT", "/api/deployments/9", "{\"id\":9,\"name\":\"x\",\"url\":\"ftp://x\"}")).startsWith("400 ")
                .contains("\"field\":\"url\"");
        assertThat(send("PUT", "/api/deployments/9", "{\"id\":9,\"name\":\"x\"}")).startsWith("400 ").contains("\"field\":\"host\"");
        assertThat(send("PUT", "/api/deployments/9", "not json")).startsWith("400 ").contains("\"field\":\"body\"");
    }

    @Test
    void endpointsAnswerAndTheStoreSurvivesARestart() throws IOException {
        registry = new RegistryServer(0, data);
        deployment(123, "file-service", "file-service-1", 8080);
        deployment(456, "file-system-server", "fs-1", 4001);
        assertThat(send("POST", "/api/backends",
                "{\"serviceDeploymentId\":123,\"backendDeploymentId\":456,\"role\":\"backup\",\"priority\":2}")).startsWith("201 ");
        registry.close();
        registry = new RegistryServer(0, data);
        assertThat(send("GET", "/api/backends/deployment/123", null)).startsWith("200 ")
                .contains("\"backendDeploymentId\":456").contains("\"role\":\"BACKUP\"").contains("\"priority\":2");
        assertThat(send("GET", "/api/backends/consumers/456", null)).startsWith("200 ").contains("\"name\":\"file-service-1\"");
        try (Response details = call("GET", "/api/backends/deployment/123/details", null)) {
            assertThat(details.code()).isEqualTo(200);
            String etag = details.header("ETag");
            try (Response again = http.newCall(new Request.Builder().url(registry.url() + "/api/backends/deployment/123/details")
                    .header("If-None-Match", etag).build()).execute()) {
                assertThat(again.code()).isEqualTo(304);
            }
        }
        assertThat(send("PUT", "/api/backends/1",
                "{\"serviceDeploymentId\":123,\"backendDeploymentId\":456,\"role\":\"PRIMARY\"}")).startsWith("200 ")
                .contains("\"role\":\"PRIMARY\"");
    }
}

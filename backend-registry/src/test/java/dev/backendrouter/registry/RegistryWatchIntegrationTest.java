package dev.backendrouter.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Waiting requests: {@code ?wait=} with {@code If-None-Match} answers when the topology changes,
 * or 304 when the wait ends; they hold no thread, so 1,000 wait on a registry with 20 request
 * threads while others are served; and on PostgreSQL a change through one instance wakes a
 * request waiting on another.
 */
class RegistryWatchIntegrationTest {
    private static final String DETAILS = "/api/backends/deployment/123/details";

    @TempDir
    Path data;

    @Test
    void aWaitingRequestWakesWhenTheTopologyChangesAndGets304WhenTheWaitEnds() throws Exception {
        try (Instance registry = Instance.start(Instance.h2(data), "--demo")) {
            Instance.Answer first = registry.call("GET", DETAILS, null);
            assertThat(first.headers().get(BackendsController.WAIT_HEADER)).as("the registry offers waiting").isEqualTo("60s");

            long started = System.nanoTime();
            Instance.Answer unchanged = registry.call("GET", DETAILS + "?wait=1s", null, "If-None-Match", first.etag());
            assertThat(unchanged.status()).isEqualTo(304);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("it waited").isGreaterThanOrEqualTo(Duration.ofMillis(900));

            CompletableFuture<Instance.Answer> waiting = CompletableFuture.supplyAsync(() -> call(registry, DETAILS + "?wait=30s",
                    first.etag()));
            awaitWaiting(registry, 1);
            long changed = System.nanoTime();
            registry.call("PUT", "/api/deployments/457", "{\"id\": 457, \"serviceName\": \"file-system-server\", \"name\": "
                    + "\"file-system-server-2\", \"host\": \"localhost\", \"port\": 4012, \"status\": \"running\"}");
            Instance.Answer woken = waiting.get(10, TimeUnit.SECONDS);
            assertThat(woken.status()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - changed)).as("woken within a second").isLessThan(Duration.ofSeconds(1));
            assertThat(woken.etag()).isNotEqualTo(first.etag());
            assertThat(woken.body().toString()).contains("4012");

            Instance.Answer stale = registry.call("GET", DETAILS + "?wait=30s", null, "If-None-Match", first.etag());
            assertThat(stale.status()).as("an old tag is answered at once").isEqualTo(200);
            assertThat(registry.call("GET", DETAILS + "?wait=soon", null).body().get("error").get("details").get("field").asString())
                    .isEqualTo("wait");
        }
    }

    @Test
    void aThousandWaitingRequestsHoldNoThread() throws Exception {
        try (Instance registry = Instance.start(Instance.h2(data), "--demo", "--server.tomcat.threads.max=20",
                "--server.tomcat.max-connections=2000", "--server.tomcat.accept-count=2000")) {
            String etag = registry.call("GET", DETAILS, null).etag();
            int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
            List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                waiting.add(client.sendAsync(HttpRequest.newBuilder(URI.create(registry.base + DETAILS + "?wait=60s"))
                        .header("If-None-Match", etag).timeout(Duration.ofSeconds(90)).build(), HttpResponse.BodyHandlers.ofString()));
            }
            awaitWaiting(registry, 1000);
            assertThat(registry.call("GET", "/api/backends/deployment/123", null).status()).as("served meanwhile").isEqualTo(200);
            int registryThreads = (int) Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("http-nio-")
                    && t.getName().contains("exec")).count();
            assertThat(registryThreads).as("request threads").isLessThanOrEqualTo(20);

            registry.call("POST", "/api/deployments", "{\"id\": 470, \"serviceName\": \"archive\", \"host\": \"localhost\", \"port\": 4700}");
            registry.call("POST", "/api/backends", "{\"serviceDeploymentId\": 123, \"backendDeploymentId\": 470, \"role\": \"PRIMARY\","
                    + " \"group\": \"archive\"}");
            CompletableFuture.allOf(waiting.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            for (CompletableFuture<HttpResponse<String>> answer : waiting) {
                assertThat(answer.get().statusCode()).isEqualTo(200);
                assertThat(answer.get().body()).contains("archive");
            }
            System.out.println("1000 waiting requests: threads in this JVM before " + threadsBefore + ", registry request threads "
                    + registryThreads);
        }
    }

    @Test
    void onPostgresAChangeThroughOneInstanceWakesARequestWaitingOnAnother() throws Exception {
        try (Postgres postgres = Postgres.start()) {
            List<String> database = Instance.postgres(postgres.createDatabase("registry_watch"));
            try (Instance a = Instance.start(database, "--demo"); Instance b = Instance.start(database)) {
                String etag = a.call("GET", DETAILS, null).etag();
                CompletableFuture<Instance.Answer> waiting = CompletableFuture.supplyAsync(() -> call(a, DETAILS + "?wait=30s", etag));
                awaitWaiting(a, 1);
                String token = b.bean(Tokens.class).create("operator", "write");
                long changed = System.nanoTime();
                Instance.Answer put = b.call("PUT", "/api/deployments/456", "{\"id\": 456, \"serviceName\": \"file-system-server\", "
                        + "\"name\": \"file-system-server-1\", \"host\": \"localhost\", \"port\": 4011, \"status\": \"running\"}",
                        "Authorization", "Bearer " + token);
                assertThat(put.status()).isEqualTo(200);
                Instance.Answer woken = waiting.get(10, TimeUnit.SECONDS);
                assertThat(woken.status()).isEqualTo(200);
                assertThat(Duration.ofNanos(System.nanoTime() - changed)).as("woken within a second").isLessThan(Duration.ofSeconds(1));
                assertThat(woken.body().toString()).contains("4011");
                assertThat(woken.etag()).as("both instances tag the same answer alike")
                        .isEqualTo(b.call("GET", DETAILS, null, "Authorization", "Bearer " + token).etag());
            }
        }
    }

    private static Instance.Answer call(Instance registry, String path, String etag) {
        try {
            return registry.call("GET", path, null, "If-None-Match", etag);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static void awaitWaiting(Instance registry, int count) throws InterruptedException {
        Watches watches = registry.bean(Watches.class);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (watches.waiting() < count && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertThat(watches.waiting()).as("waiting requests").isEqualTo(count);
    }
}

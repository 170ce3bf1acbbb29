package dev.backendrouter.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.backendrouter.api.BackendAuth;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@link BackendRouter} reading the registry with a read token while 4 threads call
 * through it: a connection added, changed and removed reaches it through a waiting request — long
 * before its 30-second poll would — with no failed call, and a refused change leaves its topology
 * as it was.
 */
class RegistryRouterIntegrationTest {
    @TempDir
    Path data;

    @Test
    void theRouterFollowsAddedChangedAndRemovedConnectionsWithNoFailedCall() throws Exception {
        List<HttpServer> backends = new ArrayList<>();
        for (String name : List.of("a", "b", "c")) {
            backends.add(backend(name));
        }
        try (Instance registry = Instance.start(Instance.h2(data))) {
            Tokens tokens = registry.bean(Tokens.class);
            String[] ops = {"Authorization", "Bearer " + tokens.create("ops", "write")};
            String routerToken = tokens.create("report-service-router", "read");
            registry.call("POST", "/api/deployments", "{\"id\": 700, \"serviceName\": \"report-service\", \"host\": \"localhost\", \"port\": 1}", ops);
            for (int i = 0; i < 3; i++) {
                registry.call("POST", "/api/deployments", "{\"id\": " + (701 + i) + ", \"serviceName\": \"report-store\", \"name\": \""
                        + "abc".charAt(i) + "\", \"host\": \"127.0.0.1\", \"port\": " + backends.get(i).getAddress().getPort() + "}", ops);
            }
            Instance.Answer primary = registry.call("POST", "/api/backends", "{\"serviceDeploymentId\": 700, \"backendDeploymentId\": 701,"
                    + " \"role\": \"PRIMARY\", \"priority\": 1, \"group\": \"store\"}", ops);

            TopologySource source = TopologySource.registry(URI.create(registry.base), 700).withAuth(BackendAuth.bearer(routerToken));
            try (BackendRouter router = BackendRouter.builder().topology(source).reloadEvery(Duration.ofSeconds(30))
                    .healthChecks(HealthCheckSettings.disabled()).build()) {
                assertThat(source.toString()).doesNotContain(routerToken);
                Set<String> answered = ConcurrentHashMap.newKeySet();
                ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
                AtomicInteger calls = new AtomicInteger();
                AtomicBoolean running = new AtomicBoolean(true);
                List<Thread> callers = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    Thread caller = new Thread(() -> {
                        while (running.get()) {
                            try (Response response = router.httpClient().newCall(new Request.Builder().url("http://store/report").build())
                                    .execute()) {
                                String body = response.body().string();
                                if (response.code() == 200) {
                                    answered.add(body);
                                } else {
                                    failures.add(response.code() + " " + body);
                                }
                            } catch (IOException | RuntimeException e) {
                                failures.add(e.toString());
                            }
                            calls.incrementAndGet();
                        }
                    }, "caller-" + t);
                    caller.start();
                    callers.add(caller);
                }
                try {
                    awaitTopology(router, t -> members(t).equals(List.of("a")), "one primary");

                    Instance.Answer backup = registry.call("POST", "/api/backends", "{\"serviceDeploymentId\": 700, \"backendDeploymentId\": 702,"
                            + " \"role\": \"BACKUP\", \"priority\": 2, \"group\": \"store\"}", ops);
                    assertThat(backup.status()).isEqualTo(201);
                    awaitTopology(router, t -> members(t).equals(List.of("a", "b")), "the backup added");

                    Instance.Answer moved = registry.call("PUT", "/api/backends/" + primary.body().get("id").asLong(),
                            "{\"serviceDeploymentId\": 700, \"backendDeploymentId\": 703, \"role\": \"PRIMARY\", \"priority\": 1,"
                                    + " \"group\": \"store\"}", ops);
                    assertThat(moved.status()).isEqualTo(200);
                    awaitTopology(router, t -> members(t).equals(List.of("b", "c")), "the primary changed to c");
                    awaitAnswer(answered, "c");
                    answered.clear();       // after calls routed before the change have come back
                    awaitCalls(calls, calls.get() + 100);
                    assertThat(answered).as("a is gone").doesNotContain("a");

                    Topology before = router.topology();
                    Instance.Answer refused = registry.call("PUT", "/api/backends/" + backup.body().get("id").asLong(),
                            "{\"serviceDeploymentId\": 700, \"backendDeploymentId\": 702, \"role\": \"SHARD\", \"group\": \"store\"}", ops);
                    assertThat(refused.status()).as("a change the router would refuse").isEqualTo(400);
                    Thread.sleep(1000);
                    assertThat(router.topology()).as("the refused change left the topology as it was").isEqualTo(before);

                    assertThat(registry.call("DELETE", "/api/backends/" + backup.body().get("id").asLong(), null, ops).status())
                            .isEqualTo(204);
                    awaitTopology(router, t -> members(t).equals(List.of("c")), "the backup removed");
                    Thread.sleep(500);      // the reloader waits again
                    long asked = System.nanoTime();
                    assertThat(router.reload()).isEqualTo(router.topology());
                    assertThat(Duration.ofNanos(System.nanoTime() - asked)).as("a reload asked for does not wait for the reloader's wait")
                            .isLessThan(Duration.ofSeconds(5));
                    int sofar = calls.get();
                    awaitCalls(calls, sofar + 200);
                } finally {
                    running.set(false);
                    for (Thread caller : callers) {
                        caller.join(10_000);
                    }
                }
                assertThat(failures).as("no failed call among " + calls.get()).isEmpty();
                assertThat(calls.get()).isGreaterThan(200);
            }
        } finally {
            backends.forEach(server -> server.stop(0));
        }
    }

    private static List<String> members(Topology topology) {
        return topology.group("store").map(g -> g.members().stream().map(m -> PORTS.get(String.valueOf(m.url().getPort()))).sorted()
                .toList()).orElse(List.of());
    }

    private static final java.util.Map<String, String> PORTS = new ConcurrentHashMap<>();

    private static HttpServer backend(String name) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] answer = name.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.start();
        PORTS.put(String.valueOf(server.getAddress().getPort()), name);
        return server;
    }

    /** Well within the 30-second poll: only a waiting request brings the change this soon. */
    private static void awaitTopology(BackendRouter router, Predicate<Topology> expected, String what) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!expected.test(router.topology()) && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertThat(expected.test(router.topology())).as(what + ": " + members(router.topology())).isTrue();
    }

    private static void awaitAnswer(Set<String> answered, String name) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!answered.contains(name) && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertThat(answered).contains(name);
    }

    private static void awaitCalls(AtomicInteger calls, int count) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (calls.get() < count && System.nanoTime() < until) {
            Thread.sleep(10);
        }
    }
}

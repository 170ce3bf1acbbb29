package dev.backendrouter.kubernetes;

import static dev.backendrouter.kubernetes.KubernetesDiscoveryIntegrationTest.await;
import static dev.backendrouter.kubernetes.KubernetesDiscoveryIntegrationTest.members;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backendrouter.api.TopologyException;
import dev.backendrouter.router.BackendRouter;
import dev.backendrouter.router.HealthCheckSettings;
import dev.backendrouter.router.RouterListener;
import dev.backendrouter.router.TopologySource;
import dev.backendrouter.router.metrics.BackendRouterMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rollout of 100 endpoints under load, and the API server going away — at start and later.
 */
class KubernetesRolloutIntegrationTest {
    private final Cluster cluster = new Cluster();
    private final Pods pods = new Pods();
    private final List<String> events = new CopyOnWriteArrayList<>();
    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        pods.close();
        cluster.close();
    }

    private BackendRouter router(KubernetesMembers.Builder discovery) throws IOException {
        Path file = Files.writeString(dir.resolve("topology.yaml"), """
                service: file-service
                groups:
                  files:
                    backends:
                      - { name: fss, kubernetes: { service: file-system-server, namespace: storage, port: http } }
                """);
        return BackendRouter.builder().topology(TopologySource.file(file))
                .memberDiscovery(discovery.client(cluster.client).startTimeout(Duration.ofSeconds(2)).build())
                .healthChecks(HealthCheckSettings.disabled())
                .listener(new RouterListener() {
                    @Override
                    public void discoveryChanged(String source, boolean connected, int endpoints, String problem) {
                        events.add("connected=" + connected + " endpoints=" + endpoints);
                    }

                    @Override
                    public void topologyFromLastKnownGood(String source, String reason) {
                        events.add("from last known good: " + reason);
                    }
                }).build();
    }

    @Test
    void aRolloutReplacingAHundredEndpointsInBatchesFailsNoIdempotentCall() throws Exception {
        List<Cluster.Pod> old = new ArrayList<>();
        List<Cluster.Pod> fresh = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            old.add(pods.start("fss-old-" + i, "127.0." + (10 + i / 50) + "." + (1 + i % 50), "zone-a"));
            fresh.add(pods.start("fss-new-" + i, "127.0." + (20 + i / 50) + "." + (1 + i % 50), "zone-b"));
        }
        List<Cluster.Pod> sliceA = new ArrayList<>(old.subList(0, 50));
        List<Cluster.Pod> sliceB = new ArrayList<>(old.subList(50, 100));
        cluster.slice("storage", "file-system-server", "fss-a", "http", pods.port, sliceA);
        cluster.slice("storage", "file-system-server", "fss-b", "http", pods.port, sliceB);
        try (BackendRouter router = router(KubernetesMembers.builder())) {
            assertThat(members(router)).hasSize(100);
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger calls = new AtomicInteger();
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            List<Thread> callers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Thread caller = new Thread(() -> {
                    while (running.get()) {
                        try (Response response = router.httpClient().newCall(new Request.Builder().url("http://files/f").build()).execute()) {
                            String body = response.body().string();
                            if (response.code() != 200) {
                                failures.add(response.code() + " " + body);
                            }
                        } catch (IOException | RuntimeException e) {
                            failures.add(e.toString());
                        }
                        calls.incrementAndGet();
                    }
                });
                caller.start();
                callers.add(caller);
            }
            try {
                // 10 at a time: the new pods become ready, the old ones terminate, then leave their slice and stop
                for (int batch = 0; batch < 10; batch++) {
                    List<Cluster.Pod> slice = batch < 5 ? sliceA : sliceB;
                    String name = batch < 5 ? "fss-a" : "fss-b";
                    int at = 0;     // the old ones are first: each batch's leave the slice, the new ones are added after
                    List<Cluster.Pod> leaving = new ArrayList<>(slice.subList(at, at + 10));
                    for (int i = 0; i < 10; i++) {
                        slice.set(at + i, leaving.get(i).terminating(false));
                        slice.add(fresh.get(batch * 10 + i));
                    }
                    cluster.slice("storage", "file-system-server", name, "http", pods.port, slice);
                    int expected = 100;
                    await(() -> members(router).size() == expected && members(router).stream().noneMatch(
                            m -> leaving.stream().anyMatch(p -> m.equals("fss-" + p.name()))), "batch of 10 replaced");
                    slice.removeIf(pod -> leaving.stream().anyMatch(p -> p.name().equals(pod.name())));
                    cluster.slice("storage", "file-system-server", name, "http", pods.port, slice);
                    leaving.forEach(pod -> pods.stop(pod.name()));
                    int sofar = calls.get();
                    await(() -> calls.get() > sofar + 20, "calls in between");
                }
                await(() -> members(router).stream().allMatch(m -> m.startsWith("fss-fss-new-")), "all new");
            } finally {
                running.set(false);
                for (Thread caller : callers) {
                    caller.join(10_000);
                }
            }
            assertThat(failures).as("no failed call among " + calls.get()).isEmpty();
            assertThat(calls.get()).isGreaterThan(200);
        }
    }

    @Test
    void theApiServerGoesAwayAndComesBackMembersKeptThenUpdated() throws Exception {
        cluster.slice("storage", "file-system-server", "fss-a", "http", pods.port,
                List.of(pods.start("fss-1", "127.0.1.1", "zone-a"), pods.start("fss-2", "127.0.1.2", "zone-a")));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (BackendRouter router = router(KubernetesMembers.builder().lastKnownGood(dir.resolve("kept")))) {
            BackendRouterMetrics.bind(router, meters);
            cluster.stop();
            await(() -> events.stream().anyMatch(e -> e.startsWith("connected=false")), "the lost watch reported");
            // the metrics hear the event after the test's listener
            await(() -> gauge(meters) == 0, "the gauge at 0");
            assertThat(meters.get("backend.router.discovery.disconnects").counter().count()).isEqualTo(1);
            assertThat(members(router)).as("members kept").containsExactly("fss-fss-1", "fss-fss-2");
            try (Response response = router.httpClient().newCall(new Request.Builder().url("http://files/f").build()).execute()) {
                assertThat(response.code()).isEqualTo(200);
            }

            cluster.start();        // back, with what the EndpointSlice controller writes now
            cluster.slice("storage", "file-system-server", "fss-a", "http", pods.port, List.of(pods.start("fss-3", "127.0.1.3", "zone-b")));
            await(() -> members(router).equals(List.of("fss-fss-3")), "members updated from the API server");
            await(() -> gauge(meters) == 1, "connected again");
        }
        assertThat(Files.readString(dir.resolve("kept").resolve("file-system-server.storage-http.json"))).contains("fss-3");

        // the API server away at start: with the kept endpoints the router starts, and says so
        cluster.stop();
        try (BackendRouter router = router(KubernetesMembers.builder().lastKnownGood(dir.resolve("kept")))) {
            assertThat(members(router)).containsExactly("fss-fss-3");
            assertThat(events).anyMatch(e -> e.startsWith("from last known good: 1 endpoints kept in"));
            try (Response response = router.httpClient().newCall(new Request.Builder().url("http://files/f").build()).execute()) {
                assertThat(response.body().string()).isEqualTo("fss-3");
            }
        }
        // and without them it does not start, saying where it looked and what to check
        assertThatThrownBy(() -> router(KubernetesMembers.builder())).isInstanceOf(TopologyException.class)
                .hasMessageContaining("groups.files.backends[0].kubernetes: could not list the EndpointSlices of Service"
                        + " storage/file-system-server:http from http://127.0.0.1:" + cluster.port)
                .hasMessageContaining("may get, list and watch endpointslices in namespace storage");
        cluster.start();        // for close()
    }

    private static double gauge(SimpleMeterRegistry meters) {
        io.micrometer.core.instrument.Gauge gauge = meters.find("backend.router.discovery.connected").gauge();
        return gauge == null ? Double.NaN : gauge.value();
    }
}

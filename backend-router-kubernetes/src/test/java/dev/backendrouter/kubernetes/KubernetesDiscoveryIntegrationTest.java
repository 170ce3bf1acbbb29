package dev.backendrouter.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backendrouter.api.TopologyException;
import dev.backendrouter.router.BackendRouter;
import dev.backendrouter.router.HealthCheckSettings;
import dev.backendrouter.router.RouterListener;
import dev.backendrouter.router.RouterSnapshot;
import dev.backendrouter.router.TopologySource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The router following EndpointSlices on fabric8's mock API server (CRUD mode), with real HTTP
 * members on loopback: scaling, a terminating endpoint, a Service with no ready endpoint, bad
 * entries, and an API server that goes away and comes back.
 */
class KubernetesDiscoveryIntegrationTest {
    static final String TOPOLOGY = """
            service: file-service
            groups:
              files:
                backends:
                  - { name: fss, role: PRIMARY, priority: 1,
                      kubernetes: { service: file-system-server, namespace: storage, port: http } }
                  - { name: fss-dr, role: BACKUP, priority: 2,
                      kubernetes: { service: file-system-server, namespace: storage-dr, port: http } }
            """;
    private final Cluster cluster = new Cluster();
    private final Pods pods = new Pods();
    private final List<String> changes = new CopyOnWriteArrayList<>();
    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        pods.close();
        cluster.close();
    }

    BackendRouter router(String topology, KubernetesMembers.Builder discovery) throws IOException {
        return BackendRouter.builder().topology(TopologySource.file(Files.writeString(dir.resolve("topology.yaml"), topology)))
                .memberDiscovery(discovery.client(cluster.client).startTimeout(Duration.ofSeconds(3)).build())
                .healthChecks(HealthCheckSettings.disabled())
                .listener(new RouterListener() {
                    @Override
                    public void discoveryChanged(String source, boolean connected, int endpoints, String problem) {
                        changes.add(source + " connected=" + connected + " endpoints=" + endpoints);
                    }
                }).build();
    }

    private List<Cluster.Pod> start(String prefix, String subnet, int count) {
        List<Cluster.Pod> started = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            started.add(pods.start(prefix + "-" + i, "127.0." + subnet + "." + i, "zone-" + (char) ('a' + i % 3)));
        }
        return started;
    }

    @Test
    void membersFollowTheServiceScaledUpAndDownAndKeepTheirState() throws Exception {
        List<Cluster.Pod> first = start("fss", "1", 3);
        cluster.slice("storage", "file-system-server", "fss-abc", "http", pods.port, first);
        cluster.slice("storage-dr", "file-system-server", "fss-dr-abc", "http", pods.port, start("dr", "2", 1));
        try (BackendRouter router = router(TOPOLOGY, KubernetesMembers.builder())) {
            assertThat(members(router)).containsExactly("fss-fss-1", "fss-fss-2", "fss-fss-3", "fss-dr-dr-1");
            RouterSnapshot.MemberSnapshot one = member(router, "fss-fss-1");
            assertThat(one.url()).isEqualTo("http://127.0.1.1:" + pods.port);
            assertThat(one.labels()).containsEntry("zone", "zone-b").containsEntry("pod", "fss-1").containsEntry("ready", "true");
            for (int i = 0; i < 30; i++) {
                assertThat(call(router)).startsWith("fss-");
            }
            long attempts = member(router, "fss-fss-1").attempts();

            List<Cluster.Pod> more = new ArrayList<>(first);
            more.addAll(start("fss-more", "3", 2));
            cluster.slice("storage", "file-system-server", "fss-abc", "http", pods.port, more);     // scaled up: one slice change
            await(() -> members(router).size() == 6, "scaled up to 5 + 1");
            assertThat(member(router, "fss-fss-1").attempts()).as("a member that stays keeps its state").isEqualTo(attempts);
            await(() -> changes.contains("kubernetes://file-system-server.storage/http connected=true endpoints=5"), "one event");
            assertThat(changes).as("one change, one new snapshot").containsExactly(
                    "kubernetes://file-system-server.storage/http connected=true endpoints=5");

            cluster.slice("storage", "file-system-server", "fss-abc", "http", pods.port, more.subList(3, 5));   // scaled down
            await(() -> members(router).equals(List.of("fss-fss-more-1", "fss-fss-more-2", "fss-dr-dr-1")), "scaled down to 2 + 1");
            for (int i = 0; i < 20; i++) {
                assertThat(call(router)).startsWith("fss-more-");
            }
        }
    }

    @Test
    void aTerminatingEndpointFinishesItsCallAndGetsNoNewOne() throws Exception {
        Cluster.Pod slow = pods.start("fss-old", "127.0.1.1", "zone-a");
        cluster.slice("storage", "file-system-server", "fss-abc", "http", pods.port, List.of(slow));
        cluster.slice("storage-dr", "file-system-server", "fss-dr-abc", "http", pods.port, start("dr", "2", 1));
        try (BackendRouter router = router(TOPOLOGY, KubernetesMembers.builder())) {
            pods.hold("fss-old");
            CompletableFuture<String> inFlight = CompletableFuture.supplyAsync(() -> {
                try {
                    return call(router);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            await(() -> member(router, "fss-fss-old").inFlight() == 1, "the call under way");
            Cluster.Pod fresh = pods.start("fss-new", "127.0.1.2", "zone-b");
            cluster.slice("storage", "file-system-server", "fss-abc", "http", pods.port, List.of(slow.terminating(false), fresh));
            await(() -> members(router).equals(List.of("fss-fss-new", "fss-dr-dr-1")), "the terminating endpoint left");
            pods.release("fss-old");
            assertThat(inFlight.get()).as("its call under way finished").isEqualTo("fss-old");
            for (int i = 0; i < 20; i++) {
                assertThat(call(router)).isEqualTo("fss-new");
            }
            assertThat(pods.served("fss-old")).as("no new call").isEqualTo(1);

            // terminating but still serving: kept, and called only when nothing else is left
            cluster.slice("storage", "file-system-server", "fss-abc", "http", pods.port, List.of(slow.terminating(true)));
            await(() -> members(router).equals(List.of("fss-fss-old", "fss-dr-dr-1")), "the serving endpoint kept");
            assertThat(member(router, "fss-fss-old").labels()).containsEntry("ready", "false");
            assertThat(call(router)).as("the backup first").isEqualTo("dr-1");
            pods.stop("dr-1");
            await(() -> {
                try {
                    return call(router).equals("fss-old");
                } catch (IOException e) {
                    return false;
                }
            }, "the serving endpoint, last");
        }
    }

    @Test
    void aServiceWithNoReadyEndpointFailsOverToTheBackupTier() throws Exception {
        Cluster.Pod down = pods.start("fss-1", "127.0.1.1", "zone-a");
        cluster.emptySlice("storage", "file-system-server", "fss-abc");      // scaled to zero
        cluster.slice("storage-dr", "file-system-server", "fss-dr-abc", "http", pods.port, start("dr", "2", 2));
        try (BackendRouter router = router(TOPOLOGY, KubernetesMembers.builder())) {
            assertThat(members(router)).containsExactly("fss-dr-dr-1", "fss-dr-dr-2");
            for (int i = 0; i < 10; i++) {
                assertThat(call(router)).startsWith("dr-");
            }
            cluster.slice("storage", "file-system-server", "fss-abc", "http", pods.port,       // scaled up, not ready yet
                    List.of(new Cluster.Pod(down.name(), down.address(), false, false, false, "zone-a")));
            Thread.sleep(300);
            assertThat(members(router)).containsExactly("fss-dr-dr-1", "fss-dr-dr-2");
            assertThat(call(router)).startsWith("dr-");
            cluster.slice("storage", "file-system-server", "fss-abc", "http", pods.port, List.of(down));     // ready again
            await(() -> members(router).contains("fss-fss-1"), "the primary back");
            assertThat(call(router)).isEqualTo("fss-1");
        }
    }

    @Test
    void badEntriesAreRefusedWithTheirPaths() throws IOException {
        cluster.slice("storage", "file-system-server", "fss-abc", "http", pods.port, start("fss", "1", 1));
        assertThatThrownBy(() -> router("""
                service: file-service
                backends:
                  - { name: fss, kubernetes: { service: file-system-server, namespace: storage, port: grpc } }
                """, KubernetesMembers.builder())).isInstanceOf(TopologyException.class)
                .hasMessageContaining("backends[0].kubernetes.port: unknown port 'grpc' of Service storage/file-system-server:grpc:"
                        + " its endpoints have [http (" + pods.port + ")]");
        assertThatThrownBy(() -> router("""
                service: file-service
                backends:
                  - { name: fss, kubernetes: { service: file-sytem-server, namespace: storage, port: http } }
                """, KubernetesMembers.builder())).isInstanceOf(TopologyException.class)
                .hasMessageContaining("backends[0].kubernetes.service: no EndpointSlice of Service file-sytem-server in namespace storage");
        assertThatThrownBy(() -> router("""
                service: file-service
                backends:
                  - { name: fss, kubernetes: { namespace: storage, port: http } }
                """, KubernetesMembers.builder())).isInstanceOf(TopologyException.class)
                .hasMessageContaining("backends[0].kubernetes.service: required");
    }

    private static String call(BackendRouter router) throws IOException {
        try (Response response = router.httpClient().newCall(new Request.Builder().url("http://files/file").build()).execute()) {
            return response.body().string();
        }
    }

    static List<String> members(BackendRouter router) {
        return router.snapshot().groups().get(0).members().stream().map(RouterSnapshot.MemberSnapshot::name).toList();
    }

    static RouterSnapshot.MemberSnapshot member(BackendRouter router, String name) {
        return router.snapshot().groups().get(0).members().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited 10 s for " + what);
            }
            Thread.sleep(20);
        }
    }
}

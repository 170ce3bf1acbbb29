package dev.backendrouter.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backendrouter.api.Problem;
import dev.backendrouter.api.TopologyException;
import dev.backendrouter.router.spi.DiscoveredEndpoint;
import dev.backendrouter.router.spi.DiscoveryException;
import dev.backendrouter.router.spi.DiscoveryTarget;
import dev.backendrouter.router.spi.EndpointWatch;
import dev.backendrouter.router.spi.MemberDiscovery;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tiers filled by a {@link MemberDiscovery} (the SPI the Kubernetes module implements), with real
 * backends on loopback: an entry stands for one member per endpoint with its settings, a change is
 * one new table, state stays with endpoints that stay, an empty tier fails over, endpoints that only
 * still serve go last, and without a discovery the entry is refused naming the module.
 */
class DiscoveredMembersIntegrationTest {
    private final List<LoopbackBackend> backends = new ArrayList<>();
    @TempDir
    Path dir;

    /** Endpoints the test sets, as a watch of a Service would hold them. */
    static final class SetEndpoints implements MemberDiscovery {
        final List<DiscoveryTarget> watched = new CopyOnWriteArrayList<>();
        final List<String> closed = new CopyOnWriteArrayList<>();
        final Map<String, List<DiscoveredEndpoint>> endpoints = new java.util.concurrent.ConcurrentHashMap<>();
        final Map<String, Runnable> listeners = new java.util.concurrent.ConcurrentHashMap<>();
        volatile boolean connected = true;

        @Override
        public Set<String> schemes() {
            return Set.of("kubernetes");
        }

        @Override
        public EndpointWatch watch(DiscoveryTarget target, Runnable onChange) {
            String service = target.url().getHost();
            if (service.startsWith("missing")) {
                throw new DiscoveryException("service", "no Service " + service);
            }
            watched.add(target);
            listeners.put(service, onChange);
            return new EndpointWatch() {
                @Override
                public List<DiscoveredEndpoint> endpoints() {
                    return endpoints.getOrDefault(service, List.of());
                }

                @Override
                public boolean connected() {
                    return connected;
                }

                @Override
                public String problem() {
                    return connected ? null : "the API server does not answer";
                }

                @Override
                public void close() {
                    closed.add(service);
                }
            };
        }

        void set(String service, DiscoveredEndpoint... now) {
            endpoints.put(service, List.of(now));
            Runnable listener = listeners.get(service);
            if (listener != null) {
                listener.run();
            }
        }
    }

    @AfterEach
    void stop() {
        backends.forEach(LoopbackBackend::close);
    }

    private DiscoveredEndpoint endpoint(String pod, boolean ready) {
        LoopbackBackend backend = new LoopbackBackend(pod);
        backends.add(backend);
        return new DiscoveredEndpoint(pod, URI.create(backend.url()), ready, Map.of("zone", "zone-a", "pod", pod));
    }

    private Path topology() throws IOException {
        return Files.writeString(dir.resolve("topology.yaml"), """
                service: file-service
                groups:
                  files:
                    backends:
                      - { name: storage, role: PRIMARY, priority: 1, labels: { tier: main },
                          kubernetes: { service: storage, namespace: prod, port: http } }
                      - { name: storage-dr, role: BACKUP, priority: 2,
                          kubernetes: { service: storage-dr, namespace: dr, port: 8080 } }
                """);
    }

    @Test
    void eachEndpointIsAMemberOfTheEntrysTierAndAChangeIsOneNewTable() throws Exception {
        SetEndpoints discovery = new SetEndpoints();
        discovery.endpoints.put("storage.prod", List.of(endpoint("storage-a", true), endpoint("storage-b", true)));
        discovery.endpoints.put("storage-dr.dr", List.of(endpoint("storage-dr-a", true)));
        List<String> changes = new CopyOnWriteArrayList<>();
        try (BackendRouter router = BackendRouter.builder().topology(TopologySource.file(topology())).memberDiscovery(discovery)
                .healthChecks(HealthCheckSettings.disabled()).listener(new RouterListener() {
                    @Override
                    public void discoveryChanged(String source, boolean connected, int endpoints, String problem) {
                        changes.add(source + " " + connected + " " + endpoints);
                    }
                }).build()) {
            RouterSnapshot.GroupSnapshot files = files(router);
            assertThat(files.members()).extracting(RouterSnapshot.MemberSnapshot::name)
                    .containsExactly("storage-storage-a", "storage-storage-b", "storage-dr-storage-dr-a");
            RouterSnapshot.MemberSnapshot a = files.members().get(0);
            assertThat(a.role()).isEqualTo(dev.backendrouter.api.BackendRole.PRIMARY);
            assertThat(a.labels()).containsEntry("zone", "zone-a").containsEntry("tier", "main");
            assertThat(discovery.watched).extracting(t -> t.url().toString())
                    .containsExactly("kubernetes://storage.prod/http", "kubernetes://storage-dr.dr/8080");
            assertThat(discovery.watched.get(0).path()).isEqualTo("groups.files.backends[0]");

            for (int i = 0; i < 20; i++) {
                assertThat(call(router)).isIn("storage-a", "storage-b");
            }
            long attemptsOfA = attempts(router, "storage-storage-a");
            DiscoveredEndpoint c = endpoint("storage-c", true);
            discovery.set("storage.prod", discovery.endpoints.get("storage.prod").get(0), c);    // b leaves, c comes
            awaitMembers(router, List.of("storage-storage-a", "storage-storage-c", "storage-dr-storage-dr-a"));
            assertThat(attempts(router, "storage-storage-a")).as("a's state stays with it").isEqualTo(attemptsOfA);
            awaitTrue(() -> !changes.isEmpty());     // the event follows the swap
            assertThat(changes).containsExactly("kubernetes://storage.prod/http true 2");
            assertThat(router.topology().group("files").orElseThrow().members()).as("the topology is the file's")
                    .extracting(m -> m.url().toString()).containsExactly("kubernetes://storage.prod/http", "kubernetes://storage-dr.dr/8080");

            discovery.set("storage.prod");       // scaled to zero: the BACKUP tier serves
            awaitMembers(router, List.of("storage-dr-storage-dr-a"));
            assertThat(call(router)).isEqualTo("storage-dr-a");

            discovery.set("storage.prod", endpoint("storage-old", false));   // only still serving: after the backup
            awaitMembers(router, List.of("storage-storage-old", "storage-dr-storage-dr-a"));
            assertThat(call(router)).isEqualTo("storage-dr-a");
            backends.get(2).stop();       // storage-dr-a gone too: the last resort serves
            assertThat(call(router)).isEqualTo("storage-old");
        }
        assertThat(discovery.closed).as("the watches close with the router").containsExactlyInAnyOrder("storage.prod", "storage-dr.dr");
    }

    @Test
    void aLostWatchKeepsItsMembersAndSaysSo() throws Exception {
        SetEndpoints discovery = new SetEndpoints();
        discovery.endpoints.put("storage.prod", List.of(endpoint("storage-a", true)));
        discovery.endpoints.put("storage-dr.dr", List.of(endpoint("storage-dr-a", true)));
        List<String> changes = new CopyOnWriteArrayList<>();
        try (BackendRouter router = BackendRouter.builder().topology(TopologySource.file(topology())).memberDiscovery(discovery)
                .healthChecks(HealthCheckSettings.disabled()).listener(new RouterListener() {
                    @Override
                    public void discoveryChanged(String source, boolean connected, int endpoints, String problem) {
                        changes.add(connected + " " + endpoints + " " + problem);
                    }
                }).build()) {
            discovery.connected = false;
            discovery.listeners.get("storage.prod").run();
            awaitTrue(() -> changes.stream().anyMatch(c -> c.startsWith("false")));
            assertThat(changes).contains("false 1 the API server does not answer");
            assertThat(call(router)).isEqualTo("storage-a");
        }
    }

    @Test
    void withoutADiscoveryTheEntryIsRefusedNamingTheModule() throws IOException {
        assertThatThrownBy(() -> BackendRouter.builder().topology(TopologySource.file(topology())).build())
                .isInstanceOf(TopologyException.class)
                .satisfies(e -> assertThat(((TopologyException) e).problems()).contains(new Problem("groups.files.backends[0].kubernetes",
                        "backend storage (kubernetes://storage.prod/http) needs the module dev.backendrouter:backend-router-kubernetes"
                                + " on the class path: add that dependency, or give the backend a url")));
    }

    @Test
    void aServiceTheDiscoveryCannotFollowIsRefusedAtItsField() throws IOException {
        Path file = Files.writeString(dir.resolve("missing.yaml"), """
                service: file-service
                backends:
                  - { name: storage, kubernetes: { service: missing-storage, port: http } }
                """);
        assertThatThrownBy(() -> BackendRouter.builder().topology(TopologySource.file(file)).memberDiscovery(new SetEndpoints()).build())
                .isInstanceOf(TopologyException.class)
                .satisfies(e -> assertThat(((TopologyException) e).problems())
                        .contains(new Problem("backends[0].kubernetes.service", "no Service missing-storage")));
    }

    private static RouterSnapshot.GroupSnapshot files(BackendRouter router) {
        return router.snapshot().groups().stream().filter(g -> g.name().equals("files")).findFirst().orElseThrow();
    }

    private static String call(BackendRouter router) throws IOException {
        try (Response response = router.httpClient().newCall(new Request.Builder().url("http://files/x").build()).execute()) {
            return response.body().string();
        }
    }

    private static long attempts(BackendRouter router, String member) {
        return files(router).members().stream().filter(m -> m.name().equals(member))
                .findFirst().orElseThrow().attempts();
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited 5 s");
            }
            Thread.sleep(10);
        }
    }

    private static void awaitMembers(BackendRouter router, List<String> expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        List<String> members = null;
        while (System.nanoTime() < deadline) {
            members = files(router).members().stream().map(RouterSnapshot.MemberSnapshot::name).toList();
            if (members.equals(expected)) {
                return;
            }
            Thread.sleep(10);
        }
        assertThat(members).isEqualTo(expected);
    }
}

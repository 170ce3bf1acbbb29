package dev.backendrouter.router.reliability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backendrouter.api.Problem;
import dev.backendrouter.api.Topology;
import dev.backendrouter.api.TopologyException;
import dev.backendrouter.router.BackendRouter;
import dev.backendrouter.router.HealthCheckSettings;
import dev.backendrouter.router.RegistryTopologySource;
import dev.backendrouter.router.RouterListener;
import dev.backendrouter.router.TopologySource;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Backend Connections registry down at start and in the middle of a run, served by WireMock
 * (docs/registry-api.md). Down at start without a last-known-good file, the start fails naming the
 * registry; with one, the router starts from it. Down mid-run, every reload is refused and the
 * serving topology keeps answering the readers; back again, the next reload applies its changes.
 * No read is lost, the pool is idle again and no thread outlives {@code close()}.
 */
class RegistryDownIntegrationTest {
    private static final String DETAILS = "/api/backends/deployment/123/details";
    private static final int READERS = 4;
    private static final int READS = 400;
    private static final int REFUSED_RELOADS = 5;
    private static final AtomicLong READS_MADE = new AtomicLong();
    private static final AtomicLong READS_ANSWERED = new AtomicLong();
    private static final AtomicLong STARTS_REFUSED = new AtomicLong();
    private static final AtomicLong STARTS_FROM_FILE = new AtomicLong();

    @TempDir
    Path dir;
    private final Backend registry = Backend.stopped("registry");
    private final Backend fs1 = new Backend("fs-1");
    private final Backend fs2 = new Backend("fs-2");
    private final Set<Thread> before = Leaks.threads();
    private final Map<String, AtomicLong> heard = new ConcurrentHashMap<>();

    @AfterEach
    void stop() {
        registry.close();
        fs1.close();
        fs2.close();
    }

    @AfterAll
    static void record() {
        if (READS_MADE.get() == 2L * READS + 2 && STARTS_REFUSED.get() == 2) {
            Figures.record("registry", "starts refused (registry down or failing, no last-known-good file)", STARTS_REFUSED.get());
            Figures.record("registry", "starts from the last-known-good file", STARTS_FROM_FILE.get());
            Figures.record("registry", "explicit reloads refused while the registry was down", REFUSED_RELOADS);
            Figures.record("registry", "reads made across the registry's outage", READS_MADE.get());
            Figures.record("registry", "reads answered", READS_ANSWERED.get());
            Figures.record("registry", "reads lost", READS_MADE.get() - READS_ANSWERED.get());
            Figures.record("registry", "connections leaked", 0);
            Figures.record("registry", "threads left after close", 0);
        }
    }

    private static String deployment(long id, Backend backend) {
        return "{\"id\":" + id + ",\"serviceName\":\"file-system-server\",\"name\":\"" + backend.name()
                + "\",\"host\":\"127.0.0.1\",\"port\":" + backend.port() + ",\"status\":\"running\",\"stage\":\"prod\"}";
    }

    private static String connection(long id, Backend backend, String role, int priority) {
        return "{\"connection\":{\"id\":" + id + ",\"serviceDeploymentId\":123,\"backendDeploymentId\":" + (455 + id)
                + ",\"role\":\"" + role + "\",\"priority\":" + priority + ",\"group\":\"storage\"},\"deployment\":"
                + deployment(455 + id, backend) + "}";
    }

    /**
     * The registry answers with {@code primary} as PRIMARY and {@code backup} as BACKUP, under ETag
     * {@code version}; set while the registry is stopped, it is what the registry answers when it starts.
     */
    private void serve(Backend primary, Backend backup, String version) {
        String body = "{\"deployment\":{\"id\":123,\"serviceName\":\"file-service\",\"name\":\"file-service-1\",\"host\":\"127.0.0.1\","
                + "\"port\":8080,\"status\":\"running\",\"stage\":\"prod\"},\"backends\":[" + connection(1, primary, "PRIMARY", 1) + ","
                + connection(2, backup, "BACKUP", 2) + "]}";
        registry.reset();
        registry.stub(get(urlEqualTo(DETAILS)).willReturn(aResponse().withHeader("ETag", "\"" + version + "\"")
                .withHeader("Content-Type", "application/json").withBody(body)));
        registry.stub(get(urlEqualTo(DETAILS)).withHeader("If-None-Match", equalTo("\"" + version + "\""))
                .willReturn(aResponse().withStatus(304)));
    }

    private RegistryTopologySource source() {
        return TopologySource.registry(URI.create(registry.url()), 123);
    }

    private final RouterListener listener = new RouterListener() {
        @Override
        public void topologyApplied(Topology previous, Topology current) {
            heard.computeIfAbsent("applied", k -> new AtomicLong()).incrementAndGet();
        }

        @Override
        public void topologyRejected(String source, List<Problem> problems) {
            heard.computeIfAbsent("rejected", k -> new AtomicLong()).incrementAndGet();
        }

        @Override
        public void topologyFromLastKnownGood(String source, String reason) {
            heard.computeIfAbsent("last-known-good", k -> new AtomicLong()).incrementAndGet();
        }
    };

    private long heard(String what) {
        AtomicLong count = heard.get(what);
        return count == null ? 0 : count.get();
    }

    @Test
    void downAtStartWithoutALastKnownGoodFileTheStartFailsNamingTheRegistry() {
        assertThatThrownBy(() -> BackendRouter.builder().topology(source()).build())
                .isInstanceOf(TopologyException.class)
                .hasMessageContaining("the registry at " + registry.url() + DETAILS)
                .hasMessageContaining("no last-known-good file is configured")
                .hasMessageContaining("Is the registry running, and is its URL right?");
        STARTS_REFUSED.incrementAndGet();
        registry.start();       // up, but failing
        registry.stub(get(urlEqualTo(DETAILS)).willReturn(aResponse().withStatus(503)));
        assertThatThrownBy(() -> BackendRouter.builder().topology(source().withLastKnownGood(dir.resolve("none.json"))).build())
                .isInstanceOf(TopologyException.class)
                .hasMessageContaining("the registry at " + registry.url() + DETAILS)
                .hasMessageContaining("it answered HTTP 503")
                .hasMessageContaining("there is no last-known-good file at " + dir.resolve("none.json"));
        STARTS_REFUSED.incrementAndGet();
        Leaks.assertNoThreadLeft(before);
    }

    @Test
    void downAtStartTheRouterStartsFromTheLastKnownGoodFileAndPicksUpTheRegistryWhenItIsBack() throws Exception {
        Path lastGood = dir.resolve("state/topology-last-good.json");
        registry.start();
        serve(fs1, fs2, "v1");
        source().withLastKnownGood(lastGood).load();
        registry.stop();

        BackendRouter router = BackendRouter.builder().topology(source().withLastKnownGood(lastGood))
                .reloadEvery(Duration.ofMillis(100)).listener(listener)
                .healthChecks(HealthCheckSettings.defaults().withInterval(Duration.ofHours(1))).build();
        STARTS_FROM_FILE.incrementAndGet();
        assertThat(heard("last-known-good")).isEqualTo(1);
        assertThat(router.topology().group("storage").orElseThrow().members().get(0).name()).isEqualTo("fs-1");
        Readers readers = new Readers(READERS, READS, n -> Calls.http(router.httpClient(), Calls.get("storage", "/files/" + n, null)));
        readers.awaitDone(READS / 3);
        serve(fs2, fs1, "v2");      // back, with the primaries swapped
        registry.start();
        awaitTopology(router, "v2");
        List<String> outcomes = readers.outcomes();
        count(outcomes, "200 fs-1", "200 fs-2");
        String after = Calls.http(router.httpClient(), Calls.get("storage", "/files/after", null));
        assertThat(after).as("read after the registry's change was applied").isEqualTo("200 fs-2");
        count(List.of(after), "200 fs-2");
        assertThat(heard("applied")).as("topologies applied").isEqualTo(1);
        closeAndCheck(router);
    }

    @Test
    void downMidRunTheTopologyKeepsServingAndTheNextReloadAfterItsReturnApplies() throws Exception {
        registry.start();
        serve(fs1, fs2, "v1");
        BackendRouter router = BackendRouter.builder().topology(source()).listener(listener)
                .healthChecks(HealthCheckSettings.defaults().withInterval(Duration.ofHours(1))).build();
        Readers readers = new Readers(READERS, READS, n -> Calls.http(router.httpClient(), Calls.get("storage", "/files/" + n, null)));
        readers.awaitDone(READS / 4);
        registry.stop();
        for (int i = 1; i <= REFUSED_RELOADS; i++) {
            readers.awaitDone(READS / 4 + i * READS / (2 * REFUSED_RELOADS));
            assertThatThrownBy(router::reload).isInstanceOf(TopologyException.class)
                    .hasMessageContaining("the registry at " + registry.url() + DETAILS)
                    .hasMessageContaining("the current topology keeps serving");
        }
        assertThat(heard("rejected")).isEqualTo(REFUSED_RELOADS);
        List<String> outcomes = readers.outcomes();
        count(outcomes, "200 fs-1");
        serve(fs2, fs1, "v2");
        registry.start();
        assertThat(router.reload().version()).isEqualTo("v2");
        String after = Calls.http(router.httpClient(), Calls.get("storage", "/files/after", null));
        assertThat(after).isEqualTo("200 fs-2");
        count(List.of(after), "200 fs-2");
        assertThat(heard("applied")).isEqualTo(1);
        closeAndCheck(router);
    }

    /** Waits (bounded) until the periodic reload has applied the registry's version. */
    private static void awaitTopology(BackendRouter router, String version) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!version.equals(router.topology().version()) && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertThat(router.topology().version()).as("the topology after the registry came back").isEqualTo(version);
    }

    /** Every read answered by one of {@code answers}. */
    private static void count(List<String> outcomes, String... answers) {
        List<String> allowed = List.of(answers);
        assertThat(outcomes.stream().filter(o -> !allowed.contains(o)).distinct().toList()).as("reads not answered").isEmpty();
        READS_MADE.addAndGet(outcomes.size());
        READS_ANSWERED.addAndGet(outcomes.stream().filter(allowed::contains).count());
    }

    private void closeAndCheck(BackendRouter router) {
        Leaks.assertPoolIdle(router.httpClient());
        router.close();
        Leaks.assertNoThreadLeft(before);
    }
}

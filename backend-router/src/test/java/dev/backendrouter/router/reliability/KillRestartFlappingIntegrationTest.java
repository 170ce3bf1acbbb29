package dev.backendrouter.router.reliability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backendrouter.api.BackendMember;
import dev.backendrouter.api.BackendRole;
import dev.backendrouter.api.Topology;
import dev.backendrouter.router.BackendRouter;
import dev.backendrouter.router.HealthCheckSettings;
import dev.backendrouter.router.RouterSnapshot;
import dev.backendrouter.router.TopologySource;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Members that die and come back under load: a primary stopped and started again on its port
 * while readers run, a primary that flaps, a topology swapped while readers run, and every member
 * down. Reads go through both front doors (HTTP and generic) on the real clock, with breakers that
 * open and half-open within the run. Asserted: while one member is up, every read is answered;
 * with none up, each fails with {@code NoBackendAvailableException}; no call is lost; calls under
 * way when the topology changes finish on the member they started on; the pool is idle again and
 * no thread of the router outlives {@code close()}.
 */
class KillRestartFlappingIntegrationTest {
    private static final int READERS = 8;
    private static final int READS = 1_200;
    private static final int FLAPS = 5;
    private static final int RELOADS = 20;
    private static final int ALL_DOWN_READS = 20;
    private static long readsMade;
    private static long readsAnswered;
    private static long readsFailedAsDocumented;

    private final Backend primary = new Backend("primary");
    private final Backend backup = new Backend("backup");
    private final OkHttpClient app = Calls.appClient();
    private Set<Thread> before;

    @BeforeEach
    void threadsBefore() {
        before = Leaks.threads();
    }

    @AfterEach
    void stop() {
        primary.close();
        backup.close();
        Leaks.assertPoolIdle(app);
        app.dispatcher().executorService().shutdown();
        app.connectionPool().evictAll();
    }

    @AfterAll
    static void record() {
        if (readsMade == 3L * READS + 2 + ALL_DOWN_READS) {
            Figures.record("kill-restart", "reads made", readsMade);
            Figures.record("kill-restart", "reads answered while a member was up", readsAnswered);
            Figures.record("kill-restart", "reads failed with the documented exception (every member down)", readsFailedAsDocumented);
            Figures.record("kill-restart", "reads lost", readsMade - readsAnswered - readsFailedAsDocumented);
            Figures.record("kill-restart", "restarts of a member under load", 1 + FLAPS);
            Figures.record("kill-restart", "topology swaps under load", RELOADS);
            Figures.record("kill-restart", "connections leaked", 0);
            Figures.record("kill-restart", "threads left after close", 0);
        }
    }

    private static Topology topology(Backend first, Backend second) {
        return Topology.builder().service("kill-restart").group("storage",
                BackendMember.builder(first.name(), first.url()).build(),
                BackendMember.builder(second.name(), second.url()).role(BackendRole.BACKUP).priority(2).build()).build();
    }

    /** On the real clock, with breakers that open after a few failures and try again 50 ms later. */
    private BackendRouter router(TopologySource source) {
        return BackendRouter.builder().topology(source)
                .circuitBreakerConfig(CircuitBreakerConfig.custom().slidingWindowSize(10).minimumNumberOfCalls(5)
                        .waitDurationInOpenState(Duration.ofMillis(50)).permittedNumberOfCallsInHalfOpenState(2)
                        .automaticTransitionFromOpenToHalfOpenEnabled(false).build())
                .healthChecks(HealthCheckSettings.defaults().withInterval(Duration.ofHours(1)))
                .build();
    }

    /** Read {@code n}: an HTTP GET for even {@code n}, a generic read for odd ones. */
    private String read(BackendRouter router, int n) {
        String path = "/files/" + n;
        return n % 2 == 0 ? Calls.http(router.httpClient(), Calls.get("storage", path, null))
                : Calls.generic(() -> router.group("storage").read(null, Calls.fetch(app, "GET", path, Duration.ofSeconds(10))));
    }

    /** Every read answered by a member that was up. */
    private static void assertAllAnswered(List<String> outcomes, String... members) {
        List<String> answers = new ArrayList<>();
        for (String member : members) {
            answers.add("200 " + member);
        }
        assertThat(outcomes).hasSize(READS);
        Map<String, Long> unexpected = new TreeMap<>();
        outcomes.stream().filter(o -> !answers.contains(o)).forEach(o -> unexpected.merge(o, 1L, Long::sum));
        assertThat(unexpected).as("reads not answered by a member that was up").isEmpty();
        count(outcomes);
    }

    private static void count(List<String> outcomes) {
        Calls.Tally tally = new Calls.Tally();
        outcomes.forEach(o -> tally.count(true, o));
        readsMade += tally.calls.get();
        readsAnswered += tally.readsAnswered.get();
        readsFailedAsDocumented += tally.readsFailedAsDocumented.get();
    }

    private void closeAndCheck(BackendRouter router) {
        Leaks.assertPoolIdle(router.httpClient());
        RouterSnapshot snapshot = router.snapshot();
        assertThat(snapshot.groups().get(0).members()).allSatisfy(m -> assertThat(m.inFlight()).as("in flight").isZero());
        router.close();
        Leaks.assertNoThreadLeft(before);
    }

    @Test
    void aPrimaryKilledAndRestartedMidLoadThenEveryMemberDown() throws Exception {
        BackendRouter router = router(TopologySource.of(topology(primary, backup)));
        Readers readers = new Readers(READERS, READS, n -> read(router, n));
        readers.awaitDone(READS / 4);
        primary.stop();
        readers.awaitDone(READS / 2);
        primary.start();
        assertAllAnswered(readers.outcomes(), "primary", "backup");
        // failback: the restarted primary gets calls again once its breaker lets one through
        String failback = awaitAnswerFrom(router, "primary");
        assertThat(failback).isEqualTo("200 primary");
        count(List.of(failback));

        primary.stop();
        backup.stop();
        List<String> down = new ArrayList<>();
        for (int n = 0; n < ALL_DOWN_READS; n++) {
            down.add(read(router, n));
        }
        assertThat(down).containsOnly("failed NoBackendAvailableException");
        count(down);
        closeAndCheck(router);
    }

    /** Reads until one is answered by {@code member} (a bounded number of tries). */
    private String awaitAnswerFrom(BackendRouter router, String member) {
        String outcome = null;
        for (int i = 0; i < 10_000 && !("200 " + member).equals(outcome); i++) {
            outcome = Calls.http(router.httpClient(), Calls.get("storage", "/files/failback", null));
            if (!("200 " + member).equals(outcome)) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return "interrupted";
                }
            }
        }
        return outcome;
    }

    @Test
    void aFlappingPrimaryNeverCostsARead() throws Exception {
        BackendRouter router = router(TopologySource.of(topology(primary, backup)));
        Readers readers = new Readers(READERS, READS, n -> read(router, n));
        int step = READS / (2 * FLAPS + 2);
        for (int flap = 0; flap < FLAPS; flap++) {
            readers.awaitDone((2 * flap + 1) * step);
            primary.stop();
            readers.awaitDone((2 * flap + 2) * step);
            primary.start();
        }
        assertAllAnswered(readers.outcomes(), "primary", "backup");
        closeAndCheck(router);
    }

    @Test
    void aReloadUnderLoadLosesNoCallAndLetsCallsUnderWayFinish() throws Exception {
        try (Backend other = new Backend("other")) {
            AtomicReference<Topology> serving = new AtomicReference<>(topology(primary, backup));
            BackendRouter router = router(serving::get);
            Readers readers = new Readers(READERS, READS, n -> read(router, n));
            for (int swap = 1; swap <= RELOADS; swap++) {
                readers.awaitDone(swap * READS / (RELOADS + 2));
                serving.set(swap % 2 == 1 ? topology(other, backup) : topology(primary, backup));
                assertThat(router.reload().group("storage").orElseThrow().members().get(0).name())
                        .isEqualTo(swap % 2 == 1 ? "other" : "primary");
            }
            assertAllAnswered(readers.outcomes(), "primary", "other", "backup");

            // a call under way on a member that a reload removes finishes there
            primary.stub(get(urlPathEqualTo("/files/slow")).atPriority(1).willReturn(aResponse().withBody("primary").withFixedDelay(1_500)));
            CompletableFuture<String> slow = CompletableFuture.supplyAsync(
                    () -> Calls.http(router.httpClient(), Calls.get("storage", "/files/slow", null)));
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (primary.count(getRequestedFor(urlPathEqualTo("/files/slow"))) == 0
                    && System.nanoTime() < until) {
                Thread.sleep(1);
            }
            assertThat(primary.count(getRequestedFor(urlPathEqualTo("/files/slow"))))
                    .as("the slow call reached the primary before the swap").isEqualTo(1);
            serving.set(topology(other, backup));
            router.reload();
            int primaryRequests = primary.requests();
            assertThat(Calls.http(router.httpClient(), Calls.get("storage", "/files/after", null))).isEqualTo("200 other");
            assertThat(slow.get(30, TimeUnit.SECONDS)).as("the call under way when its member was removed").isEqualTo("200 primary");
            assertThat(primary.requests()).as("requests to the removed member after the swap").isEqualTo(primaryRequests);
            count(List.of("200 primary"));
            closeAndCheck(router);
        }
    }
}

package dev.backendrouter.router.reliability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.backendrouter.api.BackendMember;
import dev.backendrouter.api.BackendRole;
import dev.backendrouter.api.Topology;
import dev.backendrouter.router.BackendRouter;
import dev.backendrouter.router.BackendRoutingIOException;
import dev.backendrouter.router.HealthCheckSettings;
import dev.backendrouter.router.RouterSnapshot;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/**
 * 10,000 calls through one router from a bounded pool of 64 threads, 64 at a time (a fifth of them
 * through OkHttp's async dispatcher), against a primary that fails a third of the requests and a
 * backup that fails a sixth. Which requests fail is fixed by their path, so every call's outcome
 * is known in advance: no call may be lost or end otherwise, and the router's counts (snapshot,
 * listener) must add up exactly to what the backends' request journals saw.
 */
class LoadIntegrationTest {
    private static final int CALLS = 10_000;
    private static final int THREADS = 64;
    private static final String KINDS = "GET (sync), GET (async), PUT, POST, generic read";

    /** The path of call {@code i}: "-x" when the primary fails it, "-xx" when the backup fails it too. */
    private static String path(int i) {
        String base = (i % 5 == 3 ? "/orders/" : "/items/") + i;
        return i % 6 == 0 ? base + "-xx" : i % 3 == 0 ? base + "-x" : base;
    }

    /** What call {@code i} ends in, and how many attempts it takes, by the rules of routing.md and resilience.md. */
    private static String expected(int i) {
        boolean post = i % 5 == 3;
        if (i % 3 != 0) {
            return "200 primary";
        }
        if (post) {
            return "503 busy";              // a POST answered 503 is not sent again: the caller gets the 503
        }
        if (i % 6 == 0) {                   // primary, backup, and a new round on the primary: 3 failed attempts
            return i % 5 == 4 ? "failed NoBackendAvailableException" : "503 busy";
        }
        return "200 backup";
    }

    private static int attempts(int i) {
        return i % 3 != 0 || i % 5 == 3 ? 1 : i % 6 == 0 ? 3 : 2;
    }

    @Test
    void tenThousandConcurrentCallsAreAllAccountedFor() throws Exception {
        Set<Thread> before = Leaks.threads();
        Counting counting = new Counting();
        OkHttpClient app = Calls.appClient();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS, r -> new Thread(r, "test-caller"));
        try (Backend primary = new Backend("primary"); Backend backup = new Backend("backup")) {
            primary.stub(any(urlPathMatching(".*-x+")).atPriority(1).willReturn(aResponse().withStatus(503).withBody("busy")));
            backup.stub(any(urlPathMatching(".*-xx")).atPriority(1).willReturn(aResponse().withStatus(503).withBody("busy")));
            BackendRouter router = BackendRouter.builder()
                    .topology(Topology.builder().service("load").group("storage",
                            BackendMember.builder("primary", primary.url()).build(),
                            BackendMember.builder("backup", backup.url()).role(BackendRole.BACKUP).priority(2).build()).build())
                    .ticker(new ManualTicker())
                    // outcomes must not depend on the interleaving: no breaker opens, the budget never runs out
                    .circuitBreakerConfig(CircuitBreakerConfig.custom().slidingWindowSize(100_000).minimumNumberOfCalls(100_000).build())
                    .retryBudget(1.0, 1_000)
                    .healthChecks(HealthCheckSettings.defaults().withInterval(Duration.ofHours(1)))
                    .listener(counting)
                    .build();
            String[] outcomes = new String[CALLS];
            try (router) {
                List<Future<?>> futures = new ArrayList<>();
                for (int n = 0; n < CALLS; n++) {
                    int i = n;
                    futures.add(pool.submit(() -> outcomes[i] = call(router, app, i)));
                }
                pool.shutdown();
                if (!pool.awaitTermination(120, TimeUnit.SECONDS)) {
                    fail("calls still running after 120 s (deadlock?):\n" + Readers.threadDump());
                }
                for (Future<?> future : futures) {
                    future.get();
                }
                Calls.Tally tally = new Calls.Tally();
                Map<String, Long> mismatches = new TreeMap<>();
                for (int i = 0; i < CALLS; i++) {
                    assertThat(outcomes[i]).as("call %d ended", i).isNotNull();
                    if (!outcomes[i].equals(expected(i))) {
                        mismatches.merge((i % 5) + ": expected " + expected(i) + ", was " + outcomes[i], 1L, Long::sum);
                    }
                    tally.count(i % 5 != 2 && i % 5 != 3, outcomes[i]);
                }
                assertThat(mismatches).as("calls that ended otherwise than the rules say (kind: " + KINDS + ")").isEmpty();
                assertThat(tally.calls.get()).isEqualTo(CALLS);
                long expectedAttempts = IntStream.range(0, CALLS).map(LoadIntegrationTest::attempts).sum();
                assertCountsAddUp(router.snapshot(), counting, outcomes, expectedAttempts, primary, backup);
                Leaks.assertPoolIdle(router.httpClient());
                Leaks.assertPoolIdle(app);
                record(tally, expectedAttempts);
            }
        } finally {
            pool.shutdownNow();
            app.dispatcher().executorService().shutdown();
            app.connectionPool().evictAll();
        }
        Leaks.assertNoThreadLeft(before);
        Figures.record("load", "threads left after close", 0);
    }

    private static String call(BackendRouter router, OkHttpClient app, int i) throws Exception {
        OkHttpClient http = router.httpClient();
        String path = path(i);
        return switch (i % 5) {
            case 0 -> Calls.http(http, Calls.get("storage", path, null));
            case 1 -> async(http, Calls.get("storage", path, null));
            case 2 -> Calls.http(http, Calls.put("storage", path, null));
            case 3 -> Calls.http(http, Calls.post("storage", path, null));
            default -> Calls.generic(() -> router.group("storage").read(null, Calls.fetch(app, "GET", path, Duration.ofSeconds(30))));
        };
    }

    /** A call run by the router client's own dispatcher; the caller waits for it. */
    private static String async(OkHttpClient http, Request request) throws Exception {
        CompletableFuture<String> outcome = new CompletableFuture<>();
        http.newCall(request).enqueue(new Callback() {
            @Override
            public void onResponse(Call call, Response response) {
                try (response) {
                    outcome.complete(response.code() + " " + response.body().string());
                } catch (IOException e) {
                    outcome.complete("broken " + response.code());
                }
            }

            @Override
            public void onFailure(Call call, IOException e) {
                outcome.complete(e instanceof BackendRoutingIOException routing
                        ? "failed " + routing.routerException().getClass().getSimpleName() : "undocumented " + e);
            }
        });
        return outcome.get(60, TimeUnit.SECONDS);
    }

    /** The snapshot's and the listener's counts against the journals and the callers. */
    private static void assertCountsAddUp(RouterSnapshot snapshot, Counting counting, String[] outcomes, long expectedAttempts,
            Backend... backends) {
        Map<String, RouterSnapshot.MemberSnapshot> members = snapshot.groups().get(0).members().stream()
                .collect(Collectors.toMap(RouterSnapshot.MemberSnapshot::name, Function.identity()));
        long attempts = 0;
        for (Backend backend : backends) {
            RouterSnapshot.MemberSnapshot member = members.get(backend.name());
            int failedRequests = backend.count(anyRequestedFor(urlPathMatching(backend.name().equals("primary") ? ".*-x+" : ".*-xx")));
            assertThat(member.attempts()).as("attempts on %s: its journal", backend.name()).isEqualTo(backend.requests());
            assertThat(member.failures()).as("failures of %s: the 503s it sent", backend.name()).isEqualTo(failedRequests);
            assertThat(member.inFlight()).as("in flight on %s", backend.name()).isZero();
            assertThat(counting.count("attempts " + backend.name())).as("attempts heard on %s", backend.name())
                    .isEqualTo(member.attempts());
            attempts += member.attempts();
        }
        assertThat(attempts).as("attempts of all members").isEqualTo(expectedAttempts);
        long answered = Arrays.stream(outcomes).filter(o -> o.startsWith("2")).count();
        assertThat(counting.count("calls")).as("calls heard").isEqualTo(CALLS);
        assertThat(counting.count("call success")).as("calls heard as successes: the callers' answers").isEqualTo(answered);
        assertThat(counting.count("call failed") + counting.count("call not_found")).as("calls heard as failed")
                .isEqualTo(CALLS - answered);
    }

    private static void record(Calls.Tally tally, long attempts) {
        Figures.record("load", "calls made (64 at a time)", CALLS);
        Figures.record("load", "caller threads", THREADS);
        Figures.record("load", "calls completed", tally.calls.get());
        Figures.record("load", "calls lost", CALLS - tally.calls.get());
        Figures.record("load", "reads answered", tally.readsAnswered.get());
        Figures.record("load", "reads failed as documented", tally.readsFailedAsDocumented.get());
        Figures.record("load", "writes answered", tally.writesAnswered.get());
        Figures.record("load", "writes failed as documented", tally.writesFailedAsDocumented.get());
        Figures.record("load", "attempts (snapshot = request journals = listener)", attempts);
        Figures.record("load", "connections leaked", 0);
    }
}

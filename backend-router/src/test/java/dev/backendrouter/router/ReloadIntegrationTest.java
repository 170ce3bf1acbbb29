package dev.backendrouter.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backendrouter.api.Problem;
import dev.backendrouter.api.Topology;
import dev.backendrouter.api.TopologyException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hot reload from a file: applied, refused (the old topology keeps serving), state kept, no call failing meanwhile. */
class ReloadIntegrationTest {
    @TempDir
    Path dir;
    private final LoopbackBackend one = new LoopbackBackend("one");
    private final LoopbackBackend two = new LoopbackBackend("two");
    private final List<String> heard = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void stop() {
        one.close();
        two.close();
    }

    private final RouterListener listener = new RouterListener() {
        @Override
        public void topologyApplied(Topology previous, Topology current) {
            heard.add("applied " + previous.version() + " -> " + current.version());
        }

        @Override
        public void topologyRejected(String source, List<Problem> problems) {
            heard.add("rejected " + problems.get(0));
        }
    };

    private Path topology(int version, String members) throws IOException {
        Path file = dir.resolve("topology.yaml");
        Files.writeString(file, "service: reloads\nversion: " + version + "\ngroups:\n  storage:\n    backends:\n" + members);
        return file;
    }

    private static String member(LoopbackBackend backend, String role) {
        return "      - { name: " + backend.name() + ", url: \"" + backend.url() + "\", role: " + role + " }\n";
    }

    private static String read(BackendRouter router) throws IOException {
        try (Response response = router.httpClient().newCall(new Request.Builder().url("http://storage/x").build()).execute()) {
            return response.body().string();
        }
    }

    private BackendRouterBuilder router(Path file) {
        return BackendRouter.builder().topology(TopologySource.file(file)).listener(listener)
                .healthChecks(HealthCheckSettings.disabled());
    }

    @Test
    void aValidChangeIsAppliedAndAnInvalidOneRefused() throws IOException {
        Path file = topology(1, member(one, "PRIMARY"));
        try (BackendRouter router = router(file).build()) {
            assertThat(read(router)).isEqualTo("one");
            assertThat(router.reload().version()).as("unchanged: nothing to apply").isEqualTo("1");
            assertThat(heard).isEmpty();

            topology(2, member(two, "PRIMARY") + member(one, "BACKUP"));
            assertThat(router.reload().version()).isEqualTo("2");
            assertThat(read(router)).isEqualTo("two");
            assertThat(heard).containsExactly("applied 1 -> 2");

            topology(3, member(two, "MASTER"));
            assertThatThrownBy(router::reload).isInstanceOf(TopologyException.class).hasMessageContaining("unknown role 'MASTER'");
            assertThat(router.topology().version()).as("the old topology keeps serving").isEqualTo("2");
            assertThat(read(router)).isEqualTo("two");
            assertThat(heard).last().asString().startsWith("rejected groups.storage.backends[0].role: unknown role 'MASTER'");
        }
    }

    @Test
    void aBackendThatStaysKeepsItsBreaker() throws IOException {
        Path file = topology(1, member(one, "PRIMARY") + member(two, "BACKUP"));
        try (BackendRouter router = router(file).build()) {
            CircuitBreaker breaker = router.circuitBreakerRegistry().circuitBreaker("one");
            breaker.transitionToOpenState();
            topology(2, member(one, "PRIMARY") + member(two, "BACKUP") + "      - { name: three, url: \"http://127.0.0.1:9\", role: BACKUP, priority: 3 }\n");
            router.reload();
            assertThat(router.circuitBreakerRegistry().circuitBreaker("one").getState()).isEqualTo(CircuitBreaker.State.OPEN);
            assertThat(read(router)).as("the open breaker still keeps one out").isEqualTo("two");
        }
    }

    @Test
    void aRemovedMemberFinishesItsCallsAndGetsNoNewOnes() throws Exception {
        one.stub(com.github.tomakehurst.wiremock.client.WireMock.any(com.github.tomakehurst.wiremock.client.WireMock.anyUrl())
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withBody("one, slowly").withFixedDelay(500)));
        Path file = topology(1, member(one, "PRIMARY"));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (BackendRouter router = router(file).build()) {
            Future<String> inFlight = pool.submit(() -> read(router));
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (router.snapshot().groups().get(0).members().get(0).inFlight() == 0 && System.nanoTime() < until) {
                Thread.sleep(5);
            }
            topology(2, member(two, "PRIMARY"));
            router.reload();
            assertThat(read(router)).as("new calls go to the new member").isEqualTo("two");
            assertThat(inFlight.get(10, TimeUnit.SECONDS)).as("the call under way finished on the removed member")
                    .isEqualTo("one, slowly");
            assertThat(one.requests()).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aMemberThatMovesToAnotherUrlStartsWithAFreshBreaker() throws IOException {
        Path file = topology(1, "      - { name: fs, url: \"" + one.url() + "\" }\n");
        try (BackendRouter router = router(file).build()) {
            router.circuitBreakerRegistry().circuitBreaker("fs").transitionToOpenState();
            topology(2, "      - { name: fs, url: \"" + two.url() + "\" }\n");
            router.reload();
            assertThat(router.circuitBreakerRegistry().circuitBreaker("fs").getState()).isEqualTo(CircuitBreaker.State.CLOSED);
            assertThat(read(router)).isEqualTo("two");
        }
    }

    @Test
    void noCallFailsWhileTheTopologyChangesUnderIt() throws Exception {
        Path file = topology(1, member(one, "PRIMARY") + member(two, "BACKUP"));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger calls = new AtomicInteger();
        try (BackendRouter router = router(file).build()) {
            List<Future<?>> callers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                callers.add(pool.submit(() -> {
                    while (running.get()) {
                        assertThat(read(router)).isIn("one", "two");
                        calls.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (int version = 2; version < 40; version++) {
                topology(version, version % 2 == 0 ? member(two, "PRIMARY") + member(one, "BACKUP")
                        : member(one, "PRIMARY") + member(two, "BACKUP"));
                router.reload();
            }
            running.set(false);
            for (Future<?> caller : callers) {
                caller.get(30, TimeUnit.SECONDS);
            }
            assertThat(calls.get()).isPositive();
            assertThat(heard).hasSize(38).allMatch(line -> line.startsWith("applied"));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void reloadEveryPicksUpAChangedFile() throws Exception {
        Path file = topology(1, member(one, "PRIMARY"));
        try (BackendRouter router = router(file).reloadEvery(Duration.ofMillis(20)).build()) {
            topology(2, member(two, "PRIMARY"));
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!"2".equals(router.topology().version()) && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            assertThat(router.topology().version()).isEqualTo("2");
            assertThat(read(router)).isEqualTo("two");
        }
        assertThat(Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(name -> name.startsWith("backend-router-reload-reloads"))).isEmpty();
    }
}

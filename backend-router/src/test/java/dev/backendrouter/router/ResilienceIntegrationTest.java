package dev.backendrouter.router;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.backendrouter.api.BackendCallException;
import dev.backendrouter.api.BackendMember;
import dev.backendrouter.api.BackendRole;
import dev.backendrouter.api.DeadlineExceededException;
import dev.backendrouter.api.Topology;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Breakers, retries, Retry-After, deadlines and faults against real servers on loopback. */
class ResilienceIntegrationTest {
    private final List<LoopbackBackend> backends = new ArrayList<>();
    private final OkHttpClient base = new OkHttpClient();
    private final FakeTicker ticker = new FakeTicker();

    private LoopbackBackend backend(String name) {
        LoopbackBackend backend = new LoopbackBackend(name);
        backends.add(backend);
        return backend;
    }

    @AfterEach
    void stop() {
        backends.forEach(LoopbackBackend::close);
        assertThat(base.connectionPool().idleConnectionCount()).as("every response body was closed")
                .isEqualTo(base.connectionPool().connectionCount());
        base.dispatcher().executorService().shutdown();
        base.connectionPool().evictAll();
    }

    private BackendRouterBuilder router(LoopbackBackend primary, LoopbackBackend backup) {
        List<BackendMember> members = new ArrayList<>();
        members.add(BackendMember.builder(primary.name(), primary.url()).build());
        if (backup != null) {
            members.add(BackendMember.builder(backup.name(), backup.url()).role(BackendRole.BACKUP).priority(2).build());
        }
        return BackendRouter.builder().httpClient(base).ticker(ticker).healthChecks(HealthCheckSettings.disabled())
                .topology(Topology.builder().service("s").group("storage", members.toArray(BackendMember[]::new)).build());
    }

    private static String send(OkHttpClient http, Request request) throws IOException {
        try (Response response = http.newCall(request).execute()) {
            return response.code() + " " + response.body().string();
        }
    }

    private static Request get(String path) {
        return new Request.Builder().url("http://storage" + path).build();
    }

    private static Request post(String path) {
        return new Request.Builder().url("http://storage" + path).post(RequestBody.create("{}", MediaType.get("application/json"))).build();
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = {"CONNECTION_RESET_BY_PEER", "EMPTY_RESPONSE", "RANDOM_DATA_THEN_CLOSE"})
    void faultsMoveReadsOnButNeverResendAPost(Fault fault) throws IOException {
        LoopbackBackend primary = backend("primary").stub(any(anyUrl()).willReturn(aResponse().withFault(fault)));
        LoopbackBackend backup = backend("backup");
        try (BackendRouter router = router(primary, backup).build()) {
            assertThat(send(router.httpClient(), get("/files/1"))).isEqualTo("200 backup");
            assertThatThrownBy(() -> send(router.httpClient(), post("/files")))
                    .isInstanceOfSatisfying(BackendRoutingIOException.class, e -> {
                        assertThat(e.routerException()).isInstanceOf(BackendCallException.class)
                                .hasMessageContaining("so it was not sent again");
                    });
            assertThat(primary.requests()).extracting(r -> r.getMethod().toString()).containsExactly("GET", "POST");
            assertThat(backup.requests()).extracting(r -> r.getMethod().toString()).containsExactly("GET");
        }
    }

    /**
     * A streamed (chunked) body that breaks after a good status line reaches the caller: the router
     * does not hold back bodies of unknown length.
     */
    @Test
    void aStreamedBodyThatBreaksAfterTheHeadersIsTheCallersToRead() throws IOException {
        LoopbackBackend primary = backend("primary").stub(any(anyUrl()).willReturn(aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK)));
        LoopbackBackend backup = backend("backup");
        try (BackendRouter router = router(primary, backup).build()) {
            try (Response response = router.httpClient().newCall(get("/files/1")).execute()) {
                assertThat(response.code()).isEqualTo(200);
                assertThatThrownBy(() -> response.body().string()).isInstanceOf(IOException.class);
            }
            assertThat(backup.requests()).isEmpty();
        }
    }

    /** A backend that dies in the middle of a small body of known length fails the attempt, and the read moves on. */
    @Test
    void aReadWhoseSmallBodyBreaksOffMovesToTheNextMember() throws Exception {
        LoopbackBackend backup = backend("backup");
        try (java.net.ServerSocket dying = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> {
                while (!dying.isClosed()) {
                    try (java.net.Socket socket = dying.accept()) {
                        socket.getInputStream().read(new byte[4096]);
                        socket.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\n"
                                + "only part of it").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "dying-backend");
            server.setDaemon(true);
            server.start();
            Topology topology = Topology.builder().service("s").group("storage",
                    BackendMember.builder("primary", "http://127.0.0.1:" + dying.getLocalPort()).build(),
                    BackendMember.builder(backup.name(), backup.url()).role(BackendRole.BACKUP).priority(2).build()).build();
            try (BackendRouter router = BackendRouter.builder().httpClient(base).ticker(ticker)
                    .healthChecks(HealthCheckSettings.disabled()).topology(topology).build()) {
                assertThat(send(router.httpClient(), get("/files/1"))).isEqualTo("200 backup");
                assertThat(router.snapshot().groups().get(0).members().get(0).lastError()).contains("end of stream");
            }
        }
    }

    @Test
    void aSlowMemberTimesOutAndReadsMoveOnButPostsDoNot() throws IOException {
        LoopbackBackend primary = backend("primary").stub(any(anyUrl()).willReturn(aResponse().withBody("late").withFixedDelay(1_500)));
        LoopbackBackend backup = backend("backup");
        try (BackendRouter router = router(primary, backup).attemptTimeout(Duration.ofMillis(200)).build()) {
            assertThat(send(router.httpClient(), get("/files/1"))).isEqualTo("200 backup");
            assertThatThrownBy(() -> send(router.httpClient(), post("/files")))
                    .hasMessageContaining("timed out: is primary overloaded?");
            assertThat(backup.requests()).hasSize(1);
        }
        try (BackendRouter router = router(primary, backup).attemptTimeout(Duration.ofMillis(200)).retryOnTimeout(false).build()) {
            assertThatThrownBy(() -> send(router.httpClient(), get("/files/2"))).isInstanceOf(BackendRoutingIOException.class)
                    .hasMessageContaining("cannot be retried");
            assertThat(backup.requests()).as("no retry on timeout when turned off").hasSize(1);
        }
    }

    @Test
    void retryableAndFinalStatuses() throws IOException {
        LoopbackBackend primary = backend("primary")
                .stub(any(urlPathEqualTo("/busy")).willReturn(aResponse().withStatus(429)))
                .stub(any(urlPathEqualTo("/bad")).willReturn(aResponse().withStatus(400).withBody("bad request")))
                .stub(any(urlPathEqualTo("/boom")).willReturn(aResponse().withStatus(500).withBody("boom")));
        LoopbackBackend backup = backend("backup");
        try (BackendRouter router = router(primary, backup).build()) {
            assertThat(send(router.httpClient(), get("/busy"))).as("429 moves on").isEqualTo("200 backup");
            assertThat(send(router.httpClient(), get("/bad"))).as("other 4xx are answers").isEqualTo("400 bad request");
            assertThat(send(router.httpClient(), get("/boom"))).as("500 moves an idempotent call on").isEqualTo("200 backup");
            assertThat(send(router.httpClient(), post("/boom"))).as("but not a POST").isEqualTo("500 boom");
            assertThat(backup.requests()).extracting(r -> r.getUrl()).containsExactly("/busy", "/boom");
        }
        try (BackendRouter router = router(primary, backup).retryOnServerError(false).build()) {
            assertThat(send(router.httpClient(), get("/boom"))).isEqualTo("500 boom");
        }
    }

    @Test
    void retryAfterIsHonouredBeforeTryingTheSameMemberAgain() throws IOException {
        LoopbackBackend only = backend("only")
                .stub(any(anyUrl()).inScenario("busy").whenScenarioStateIs(Scenario.STARTED)
                        .willReturn(aResponse().withStatus(503).withHeader("Retry-After", "2")).willSetStateTo("ready"))
                .stub(any(anyUrl()).inScenario("busy").whenScenarioStateIs("ready").willReturn(aResponse().withBody("ok")));
        try (BackendRouter router = router(only, null).build()) {
            long before = ticker.nanoTime();
            assertThat(send(router.httpClient(), get("/files/1"))).isEqualTo("200 ok");
            assertThat(Duration.ofNanos(ticker.nanoTime() - before)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
            assertThat(only.requests()).hasSize(2);
        }
    }

    @Test
    void aRetryAfterBeyondTheDeadlineEndsTheCallWithTheAnswer() throws IOException {
        LoopbackBackend only = backend("only").stub(any(anyUrl()).willReturn(aResponse().withStatus(503)
                .withHeader("Retry-After", "30").withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"code\":\"DB_DOWN\",\"message\":\"Database unavailable\",\"request_id\":\"r-17\"}}")));
        try (BackendRouter router = router(only, null).deadline(Duration.ofSeconds(5)).build()) {
            try (Response response = router.httpClient().newCall(get("/files/1")).execute()) {
                assertThat(response.code()).isEqualTo(503);
                assertThat(response.body().string()).contains("DB_DOWN");
            }
            assertThat(only.requests()).hasSize(1);
            assertThat(router.snapshot().groups().get(0).members().get(0).lastError())
                    .isEqualTo("HTTP 503 DB_DOWN: Database unavailable (request r-17)");
        }
    }

    @Test
    void aRetryAfterLongerThanTheRouterWaitsEndsTheCall() throws IOException {
        LoopbackBackend only = backend("only").stub(any(anyUrl()).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "3600").withBody("slow down")));
        try (BackendRouter router = router(only, null).build()) {
            long before = ticker.nanoTime();
            assertThat(send(router.httpClient(), get("/files/1"))).isEqualTo("429 slow down");
            assertThat(ticker.nanoTime() - before).as("no hour-long wait").isLessThan(Duration.ofSeconds(1).toNanos());
            assertThat(only.requests()).hasSize(1);
        }
    }

    @Test
    void aDeadlineBeforeAHalfOpenProbeGivesThePermitBack() {
        try (BackendRouter router = BackendRouter.builder().ticker(ticker).healthChecks(HealthCheckSettings.disabled())
                .topology(Topology.builder().service("s").group("g",
                        BackendMember.builder("p", "http://localhost:1").build(),
                        BackendMember.builder("b", "http://localhost:2").role(BackendRole.BACKUP).priority(2).build()).build())
                .build()) {
            CircuitBreaker backup = router.circuitBreakerRegistry().circuitBreaker("b");
            backup.transitionToOpenState();
            ticker.advance(Duration.ofSeconds(11));
            for (int i = 0; i < 5; i++) {
                assertThatThrownBy(() -> router.group("g").read(null,
                        CallOptions.defaults().withDeadline(Duration.ofMillis(100)), member -> {
                            ticker.advance(Duration.ofMillis(200));
                            throw new IOException("slow and broken");
                        })).isInstanceOf(DeadlineExceededException.class);
            }
            assertThat(backup.getState()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
            MemberCall<String> call = member -> member.name().equals("b") ? "backup" : failing();
            String value = router.group("g").read(null, call);
            assertThat(value).as("the backup's half-open probes are still there to take").isEqualTo("backup");
        }
    }

    private static String failing() throws IOException {
        throw new IOException("down");
    }

    @Test
    void theDeadlineCutsTheLastAttempt() {
        LoopbackBackend primary = backend("primary").stub(any(anyUrl()).willReturn(aResponse().withFixedDelay(3_000)));
        LoopbackBackend backup = backend("backup").stub(any(anyUrl()).willReturn(aResponse().withFixedDelay(3_000)));
        try (BackendRouter router = router(primary, backup).ticker(Ticker.system()).deadline(Duration.ofMillis(400)).build()) {
            assertThatThrownBy(() -> send(router.httpClient(), get("/files/1")))
                    .isInstanceOfSatisfying(BackendRoutingIOException.class, e -> assertThat(e.routerException())
                            .isInstanceOf(DeadlineExceededException.class)
                            .hasMessageStartingWith("Deadline of 400 ms for a call to group 'storage' passed"));
        }
    }

    @Test
    void theBreakerOpensHalfOpensAndCloses() throws IOException {
        LoopbackBackend primary = backend("primary").stub(any(anyUrl()).willReturn(aResponse().withStatus(503)));
        LoopbackBackend backup = backend("backup");
        try (BackendRouter router = router(primary, backup).build()) {
            CircuitBreaker breaker = router.circuitBreakerRegistry().circuitBreaker("primary");
            for (int i = 0; i < 20; i++) {   // the default minimum of 20 attempts
                assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
                assertThat(send(router.httpClient(), get("/f/" + i))).isEqualTo("200 backup");
            }
            assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
            assertThat(router.snapshot().groups().get(0).members().get(0).breaker()).isEqualTo("OPEN");
            for (int i = 0; i < 20; i++) {
                assertThat(send(router.httpClient(), get("/g/" + i))).isEqualTo("200 backup");
            }
            assertThat(primary.requests()).as("an open breaker sends nothing").hasSize(20);

            primary.stub(any(anyUrl()).willReturn(aResponse().withBody("primary")));
            ticker.advance(Duration.ofSeconds(9));
            assertThat(send(router.httpClient(), get("/g/x"))).as("still open after 9 s").isEqualTo("200 backup");
            ticker.advance(Duration.ofSeconds(2));
            for (int i = 0; i < 3; i++) {
                assertThat(send(router.httpClient(), get("/h/" + i))).isEqualTo("200 primary");
            }
            assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        }
    }

    @Test
    void everyBreakerOpenFailsFastNamingEachMember() throws IOException {
        LoopbackBackend primary = backend("primary").stub(any(anyUrl()).willReturn(aResponse().withStatus(503)));
        LoopbackBackend backup = backend("backup").stub(any(anyUrl()).willReturn(aResponse().withStatus(503)));
        try (BackendRouter router = router(primary, backup).build()) {
            router.circuitBreakerRegistry().circuitBreaker("primary").transitionToOpenState();
            router.circuitBreakerRegistry().circuitBreaker("backup").transitionToOpenState();
            assertThatThrownBy(() -> send(router.httpClient(), get("/x")))
                    .isInstanceOfSatisfying(BackendRoutingIOException.class, e -> assertThat(e.getMessage())
                            .contains("primary (" + primary.url() + "): skipped: circuit breaker OPEN",
                                    "backup (" + backup.url() + "): skipped: circuit breaker OPEN"));
            assertThat(primary.requests()).isEmpty();
            assertThat(backup.requests()).isEmpty();
        }
    }
}

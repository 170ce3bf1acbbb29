package dev.backendrouter.router;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backendrouter.api.BackendMember;
import dev.backendrouter.api.BackendRole;
import dev.backendrouter.api.Topology;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An HTTP call whose caller gets the last error response (every member failed, or a POST that is
 * not sent again) is heard as {@code failed}, and one that gets the last 404 as {@code not_found}:
 * listeners and the {@code backend.router.calls} meter count what the caller got, not that a
 * response came back.
 */
class CallOutcomeEventsIntegrationTest {
    private final LoopbackBackend primary = new LoopbackBackend("primary")
            .stub(any(urlPathMatching("/busy/.*")).willReturn(aResponse().withStatus(503)))
            .stub(any(urlPathMatching("/gone/.*")).willReturn(aResponse().withStatus(404)))
            .stub(any(urlPathMatching("/broken/.*")).willReturn(aResponse().withStatus(500)))
            .stub(any(urlPathMatching("/bad/.*")).willReturn(aResponse().withStatus(400)))
            .stub(any(urlPathMatching("/slow/.*")).willReturn(aResponse().withBody("late").withFixedDelay(2_000)));
    private final LoopbackBackend backup = new LoopbackBackend("backup")
            .stub(any(urlPathMatching("/busy/.*")).willReturn(aResponse().withStatus(503)))
            .stub(any(urlPathMatching("/gone/.*")).willReturn(aResponse().withStatus(404)));
    private final List<String> heard = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void stop() {
        primary.close();
        backup.close();
    }

    @Test
    void aCallIsHeardAsWhatTheCallerGot() throws IOException {
        try (BackendRouter router = router(builder -> builder)) {
            assertThat(code(router, new Request.Builder().url("http://storage/files/1").build())).isEqualTo(200);
            assertThat(code(router, new Request.Builder().url("http://storage/busy/1").build())).isEqualTo(503);
            assertThat(code(router, new Request.Builder().url("http://storage/busy/2")
                    .post(RequestBody.create("{}", MediaType.get("application/json"))).build())).isEqualTo(503);
            assertThat(code(router, new Request.Builder().url("http://storage/gone/1").build())).isEqualTo(404);
            assertThat(heard).containsExactly("read success after 1", "read failed after 3", "write failed after 1",
                    "read not_found after 2");
        }
    }

    /**
     * A POST answered 500 is not sent to another member, and a 400 is the request's fault: the
     * caller gets either from the first member. The 500 is the backend failing, heard as failed;
     * the 400 is an answer.
     */
    @Test
    void aFinalServerErrorIsHeardAsFailedAndAFinalClientErrorAsAnAnswer() throws IOException {
        try (BackendRouter router = router(builder -> builder)) {
            assertThat(code(router, new Request.Builder().url("http://storage/broken/1")
                    .post(RequestBody.create("{}", MediaType.get("application/json"))).build())).isEqualTo(500);
            assertThat(code(router, new Request.Builder().url("http://storage/bad/1")
                    .post(RequestBody.create("{}", MediaType.get("application/json"))).build())).isEqualTo(400);
            assertThat(code(router, new Request.Builder().url("http://storage/bad/2").build())).isEqualTo(400);
            assertThat(heard).containsExactly("write failed after 1", "write success after 1", "read success after 1");
            assertThat(backup.requests()).as("no final answer is sent on to the backup").isEmpty();
            var metrics = router.circuitBreakerRegistry().circuitBreaker("primary").getMetrics();
            assertThat(metrics.getNumberOfFailedCalls()).as("the 500 counts against the member's breaker").isEqualTo(1);
            assertThat(metrics.getNumberOfSuccessfulCalls()).as("the two 400s are answers").isEqualTo(2);
            assertThat(router.snapshot().groups().get(0).members().get(0).failures()).isEqualTo(1);
        }
    }

    /** With retries on timeouts off, a timed-out attempt ends the call, and it is still the member's failure. */
    @Test
    void aTimeoutThatEndsTheCallCountsAgainstTheMember() {
        try (BackendRouter router = router(builder -> builder.retryOnTimeout(false).attemptTimeout(Duration.ofMillis(200)))) {
            assertThatThrownBy(() -> code(router, new Request.Builder().url("http://storage/slow/1").build()))
                    .isInstanceOf(IOException.class).hasMessageContaining("timed out");
            assertThat(backup.requests()).as("a timeout is not tried elsewhere").isEmpty();
            assertThat(router.circuitBreakerRegistry().circuitBreaker("primary").getMetrics().getNumberOfFailedCalls())
                    .isEqualTo(1);
            assertThat(router.snapshot().groups().get(0).members().get(0).failures()).isEqualTo(1);
        }
    }

    /** A router over a primary and a backup of group {@code storage}, noting what each call was heard as. */
    private BackendRouter router(java.util.function.UnaryOperator<BackendRouterBuilder> settings) {
        return settings.apply(BackendRouter.builder().ticker(new FakeTicker()).healthChecks(HealthCheckSettings.disabled()))
                .topology(Topology.builder().service("s").group("storage",
                        BackendMember.builder("primary", primary.url()).build(),
                        BackendMember.builder("backup", backup.url()).role(BackendRole.BACKUP).priority(2).build()).build())
                .listener(new RouterListener() {
                    @Override
                    public void callFinished(String group, boolean write, String outcome, Duration duration, int attempts) {
                        heard.add((write ? "write " : "read ") + outcome + " after " + attempts);
                    }
                }).build();
    }

    private static int code(BackendRouter router, Request request) throws IOException {
        try (Response response = router.httpClient().newCall(request).execute()) {
            return response.code();
        }
    }
}

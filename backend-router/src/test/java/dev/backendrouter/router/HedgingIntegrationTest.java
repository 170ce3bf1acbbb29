package dev.backendrouter.router;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backendrouter.api.BackendMember;
import dev.backendrouter.api.BackendRole;
import dev.backendrouter.api.Topology;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Hedged reads against a slow member on loopback: the fast answer wins, the slow attempt is cancelled. */
class HedgingIntegrationTest {
    private final LoopbackBackend slow = new LoopbackBackend("slow")
            .stub(any(anyUrl()).willReturn(aResponse().withBody("slow").withFixedDelay(2_000)));
    private final LoopbackBackend fast = new LoopbackBackend("fast");
    private final OkHttpClient base = new OkHttpClient();

    @AfterEach
    void stop() {
        assertThat(base.connectionPool().idleConnectionCount()).as("every response body was closed")
                .isEqualTo(base.connectionPool().connectionCount());
        slow.close();
        fast.close();
        base.dispatcher().executorService().shutdown();
        base.connectionPool().evictAll();
    }

    private BackendRouter router(Hedging hedging) {
        return BackendRouter.builder().httpClient(base).hedging(hedging).healthChecks(HealthCheckSettings.disabled())
                .topology(Topology.builder().service("hedged").group("storage",
                        BackendMember.builder("slow", slow.url()).build(),
                        BackendMember.builder("fast", fast.url()).role(BackendRole.BACKUP).priority(2).build()).build())
                .build();
    }

    @Test
    void aSlowReadIsHedgedAndTheLoserCancelled() throws IOException {
        try (BackendRouter router = router(Hedging.after(Duration.ofMillis(100)))) {
            try (Response response = router.httpClient().newCall(new Request.Builder().url("http://storage/f/1").build()).execute()) {
                assertThat(response.body().string()).isEqualTo("fast");
            }
            assertThat(fast.requests()).hasSize(1);
            RouterSnapshot.MemberSnapshot loser = router.snapshot().groups().get(0).members().get(0);
            assertThat(loser.attempts()).as("the first attempt went to the slow member").isEqualTo(1);
            // on a loaded machine the hedge can win before the first attempt's request is out
            assertThat(slow.requests()).hasSizeLessThanOrEqualTo(1);
            assertThat(loser.inFlight()).isZero();
            assertThat(loser.failures()).as("a cancelled hedge is not the backend's failure").isZero();
            assertThat(router.circuitBreakerRegistry().circuitBreaker("slow").getMetrics().getNumberOfFailedCalls()).isZero();
        }
    }

    @Test
    void aFastFirstAttemptNeedsNoHedge() throws IOException {
        slow.stub(any(anyUrl()).willReturn(aResponse().withBody("quick now")));
        try (BackendRouter router = router(Hedging.after(Duration.ofSeconds(5)))) {
            try (Response response = router.httpClient().newCall(new Request.Builder().url("http://storage/f/1").build()).execute()) {
                assertThat(response.body().string()).isEqualTo("quick now");
            }
            assertThat(fast.requests()).isEmpty();
        }
    }

    @Test
    void theCallersTimeoutEndsAHedgedRead() {
        fast.stub(any(anyUrl()).willReturn(aResponse().withBody("fast but not enough").withFixedDelay(2_000)));
        try (BackendRouter router = router(Hedging.after(Duration.ofMillis(50)))) {
            OkHttpClient impatient = router.httpClient().newBuilder().callTimeout(Duration.ofMillis(300)).build();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> impatient.newCall(
                    new Request.Builder().url("http://storage/f/1").build()).execute()).isInstanceOf(IOException.class);
            assertThat(router.snapshot().groups().get(0).members()).allSatisfy(m -> assertThat(m.inFlight()).isZero());
        }
    }

    @Test
    void writesAreNeverHedged() throws IOException {
        slow.stub(any(anyUrl()).willReturn(aResponse().withBody("slow write").withFixedDelay(300)));
        try (BackendRouter router = router(Hedging.after(Duration.ofMillis(50)))) {
            Request put = new Request.Builder().url("http://storage/f/1").put(RequestBody.create("x", MediaType.get("text/plain"))).build();
            try (Response response = router.httpClient().newCall(put).execute()) {
                assertThat(response.body().string()).isEqualTo("slow write");
            }
            assertThat(fast.requests()).isEmpty();
        }
    }

    @Test
    void genericReadsAreHedgedToo() {
        AtomicInteger interrupted = new AtomicInteger();
        try (BackendRouter router = router(Hedging.atPercentile(95, Duration.ofMillis(50)))) {
            String value = router.group("storage").read(null, member -> {
                if (member.name().equals("slow")) {
                    try {
                        Thread.sleep(5_000);
                    } catch (InterruptedException e) {
                        interrupted.incrementAndGet();
                        throw e;
                    }
                }
                return member.name();
            });
            assertThat(value).isEqualTo("fast");
        }
        assertThat(interrupted.get()).as("the losing attempt was cancelled").isEqualTo(1);
        assertThat(Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(name -> name.startsWith("backend-router-hedge-hedged"))).isEmpty();
    }
}

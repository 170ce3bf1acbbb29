package dev.backendrouter.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backendrouter.api.BackendMember;
import dev.backendrouter.api.BackendRole;
import dev.backendrouter.api.NoBackendAvailableException;
import dev.backendrouter.api.Topology;
import dev.backendrouter.router.internal.resilience.RetryBudget;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {
    private final FakeTicker ticker = new FakeTicker();

    @Test
    void retriesAreAShareOfCallsPlusAFloor() {
        RetryBudget budget = new RetryBudget(ticker, 0.2, 1);
        int granted = 0;
        for (int i = 0; i < 100; i++) {
            budget.recordCall(ticker.nanoTime());
            if (budget.tryRetry()) {
                granted++;
            }
        }
        // 20% of 100 calls, plus the floor of 1 per second over the 10-second window
        assertThat(granted).isEqualTo(30);
        ticker.advance(Duration.ofSeconds(11));
        assertThat(budget.tryRetry()).as("a new window starts with only the floor").isTrue();
    }

    @Test
    void aRefundedRetryIsAvailableAgain() {
        RetryBudget budget = new RetryBudget(ticker, 0.1, 0);
        for (int i = 0; i < 10; i++) {
            budget.recordCall(ticker.nanoTime());
        }
        assertThat(budget.tryRetry()).isTrue();
        assertThat(budget.tryRetry()).as("10% of 10 calls is one retry").isFalse();
        budget.refund();
        assertThat(budget.tryRetry()).isTrue();
    }

    /** A primary that always fails and a backup that answers: every failover gets its answer, so none is refused. */
    @Test
    void failoversThatGetAnAnswerDoNotSpendTheBudget() {
        CircuitBreakerConfig neverOpens = CircuitBreakerConfig.custom().failureRateThreshold(100).minimumNumberOfCalls(1_000_000)
                .slidingWindowSize(1_000_000).build();
        Topology topology = Topology.builder().service("s").group("g",
                BackendMember.builder("p", "http://localhost:1").build(),
                BackendMember.builder("b", "http://localhost:2").role(BackendRole.BACKUP).priority(2).build()).build();
        int answered = 0;
        try (BackendRouter router = BackendRouter.builder().topology(topology).ticker(ticker).retryBudget(0.2, 0)
                .healthChecks(HealthCheckSettings.disabled()).circuitBreakerConfig(neverOpens).build()) {
            for (int i = 0; i < 500; i++) {
                String answer = router.group("g").read(null, member -> {
                    if (member.name().equals("p")) {
                        throw new java.io.IOException("down");
                    }
                    return "from " + member.name();
                });
                answered += answer.equals("from b") ? 1 : 0;
            }
        }
        assertThat(answered).isEqualTo(500);
    }

    /** The defaults (20% and 2 per second) at 100 calls a second, every backend failing. */
    @Test
    void withEveryBackendDownCallsStayNearOneAttempt() {
        CircuitBreakerConfig neverOpens = CircuitBreakerConfig.custom().failureRateThreshold(100).minimumNumberOfCalls(1_000_000)
                .slidingWindowSize(1_000_000).build();
        Topology topology = Topology.builder().service("s").group("g",
                BackendMember.builder("p", "http://localhost:1").build(),
                BackendMember.builder("b", "http://localhost:2").role(BackendRole.BACKUP).priority(2).build()).build();
        AtomicInteger attempts = new AtomicInteger();
        int calls = 0;
        try (BackendRouter router = BackendRouter.builder().topology(topology).ticker(ticker)
                .healthChecks(HealthCheckSettings.disabled()).circuitBreakerConfig(neverOpens).build()) {
            for (int second = 0; second < 30; second++) {
                for (int i = 0; i < 100; i++) {
                    calls++;
                    try {
                        router.group("g").read(null, member -> {
                            attempts.incrementAndGet();
                            throw new java.io.IOException("down");
                        });
                    } catch (NoBackendAvailableException expected) {
                        // every call fails; what matters is how many attempts it made
                    }
                }
                ticker.advance(Duration.ofSeconds(1));
            }
        }
        assertThat((double) attempts.get() / calls).isLessThanOrEqualTo(1.25);
    }
}

package dev.backendrouter.samples.quickstart;

import dev.backendrouter.router.BackendRouter;
import dev.backendrouter.router.RouterSnapshot;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;

/**
 * Scene 6: a failing primary's breaker opens, half-opens and closes again once it recovers; then
 * a total outage, where the retry budget keeps retries from multiplying the load.
 */
final class BreakerScene implements Scene {
    private static final long MAX_WAIT_MILLIS = 8_000;
    private static final int OUTAGE_CALLS = 800;
    private static final int MAX_ATTEMPTS = 3;

    @Override
    public String title() {
        return "Circuit breaker and retry budget";
    }

    @Override
    public Result run(TourContext tour) throws Exception {
        Console console = tour.console();
        boolean breakerCycle = breakerCycle(tour, console);
        double attemptsPerCall = outage(tour, console);
        boolean budgetHeld = attemptsPerCall <= 1.3;
        boolean passed = breakerCycle && budgetHeld;
        String measured = String.format("breaker cycle %s; %.2f attempts per call in an outage", breakerCycle ? "seen" : "NOT seen",
                attemptsPerCall);
        console.verdict(passed, passed ? "a failing backend is left alone, then trusted again; an outage is not multiplied"
                : "expected CLOSED → OPEN → HALF_OPEN → CLOSED and ≤ 1.3 attempts per call: " + measured);
        return new Result(passed, "open → half-open → closed; ≤ 1.3 attempts/call", measured);
    }

    private static boolean breakerCycle(TourContext tour, Console console) throws Exception {
        SimulatedBackend reports1 = tour.backend("reports-1");
        SimulatedBackend reports2 = tour.backend("reports-2");
        reports1.put("/reports/daily", "{\"report\":\"daily\",\"from\":\"reports-1\"}");
        reports2.put("/reports/daily", "{\"report\":\"daily\",\"from\":\"reports-2\"}");
        console.line("group reports: reports-1 (PRIMARY) → reports-2 (BACKUP); breakers open for 2 s (defaults.circuitBreaker)");
        TourListener events = new TourListener();
        try (BackendRouter router = tour.openRouter(events)) {
            OkHttpClient http = router.httpClient();
            long start = System.nanoTime();
            reports1.failing(true);
            console.milestone("reports-1 starts answering every request with 503");
            int calls = 0;
            int failed = 0;
            boolean recovered = false;
            while (!events.breakerWas("reports-1", "CLOSED") || !recovered) {
                long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                if (elapsed > MAX_WAIT_MILLIS) {
                    break;
                }
                if (!recovered && events.breakerWas("reports-1", "OPEN")) {
                    reports1.failing(false);
                    recovered = true;
                    console.milestone(String.format("%.1f s  reports-1 recovers; its breaker stays open for 2 s, reports-2 serves",
                            elapsed / 1000.0));
                }
                failed += Http.getSucceeds(http, "http://reports/reports/daily") ? 0 : 1;
                int call = ++calls;
                events.news().forEach(line -> console.milestone(String.format("%.1f s  %s (call %d)",
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) / 1000.0, line, call)));
                console.progress(String.format("calls %d · failed %d · reports-1 breaker %s", calls, failed,
                        breakerOf(router, "reports-1")));
                Thread.sleep(recovered ? 50 : 10);
            }
            console.line(String.format("%d calls, %d failed: reports-2 answered while reports-1 was failing or skipped", calls, failed));
            return failed == 0 && events.breakerWas("reports-1", "OPEN") && events.breakerWas("reports-1", "HALF_OPEN")
                    && events.breakerWas("reports-1", "CLOSED");
        }
    }

    private static double outage(TourContext tour, Console console) throws Exception {
        SimulatedBackend search1 = tour.backend("search-1");
        SimulatedBackend search2 = tour.backend("search-2");
        search1.failing(true);
        search2.failing(true);
        console.line("group search: search-1 and search-2 both answer 503 (a total outage); their breakers are set never to open,");
        console.line("so only the retry budget (retries ≤ 20% of calls + 2/s) stands between " + OUTAGE_CALLS
                + " calls and " + MAX_ATTEMPTS * OUTAGE_CALLS + " requests");
        try (BackendRouter router = tour.openRouter(new TourListener())) {
            OkHttpClient http = router.httpClient();
            search1.resetCounts();
            search2.resetCounts();
            Load calls = Load.start(4, OUTAGE_CALLS, n -> Http.getSucceeds(http, "http://search/search?q=" + n));
            try (calls) {
                calls.awaitShowing(() -> console.progress(String.format("calls %,d · requests sent %,d", calls.done(),
                        search1.requests() + search2.requests())));
            }
            long requests = search1.requests() + search2.requests();
            double perCall = requests / (double) Math.max(1, calls.done());
            console.line(String.format("%,d calls, %,d failed (503 passed on), %,d requests: %.2f per call (a naive %d-attempt retry: %.2f)",
                    calls.done(), calls.failed(), requests, perCall, MAX_ATTEMPTS, (double) MAX_ATTEMPTS));
            return perCall;
        } finally {
            search1.failing(false);
            search2.failing(false);
        }
    }

    private static String breakerOf(BackendRouter router, String member) {
        return router.snapshot().groups().stream()
                .flatMap(group -> group.members().stream())
                .filter(m -> m.name().equals(member))
                .map(RouterSnapshot.MemberSnapshot::breaker)
                .findFirst().orElse("?");
    }
}

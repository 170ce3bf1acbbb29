package dev.backendrouter.samples.quickstart;

import dev.backendrouter.router.BackendRouter;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;

/** Scene 7: two instances of one API failing 15% and 20% of requests, called raw and through the router. */
final class FlakyScene implements Scene {
    private static final int CALLS = 2_000;
    private static final String PATH = "/api/backend/data?limit=10&offset=0";

    @Override
    public String title() {
        return "Flaky backends: raw calls vs. the router";
    }

    @Override
    public Result run(TourContext tour) throws Exception {
        Console console = tour.console();
        SimulatedBackend backend1 = tour.backend("backend-1");
        SimulatedBackend backend2 = tour.backend("backend-2");
        for (SimulatedBackend b : new SimulatedBackend[] {backend1, backend2}) {
            b.put("/api/backend/data", "{\"items\":[],\"total\":0,\"served_by\":\"" + b.name() + "\"}");
        }
        console.line("group api: backend-1 fails 15% of requests, backend-2 20% (500, 502, 503 with the error body)");

        OkHttpClient raw = new OkHttpClient();
        double rawRate;
        try {
            Load direct = run(console, "raw calls, alternating", n -> Http.getSucceeds(raw,
                    (n % 2 == 0 ? backend1 : backend2).url() + PATH));
            rawRate = rate(direct);
        } finally {
            raw.dispatcher().executorService().shutdown();
            raw.connectionPool().evictAll();
        }

        double routedRate;
        double extraLoad;
        try (BackendRouter router = tour.openRouter(new TourListener())) {
            OkHttpClient http = router.httpClient();
            backend1.resetCounts();
            backend2.resetCounts();
            Load routed = run(console, "through the router", n -> Http.getSucceeds(http, "http://api" + PATH));
            routedRate = rate(routed);
            extraLoad = (backend1.requests() + backend2.requests()) / (double) routed.done() - 1;
        }
        String measured = String.format("raw %.1f%%, router %.2f%% (+%.0f%% requests)", rawRate * 100, routedRate * 100,
                extraLoad * 100);
        boolean passed = routedRate >= 0.99 && routedRate > rawRate;
        console.verdict(passed, passed ? "the router turns " + String.format("%.1f%%", rawRate * 100) + " into "
                + String.format("%.2f%%", routedRate * 100) + " by moving failed reads to the other instance"
                : "expected ≥ 99% through the router: " + measured);
        return new Result(passed, "≥ 99% success through the router", measured);
    }

    private static Load run(Console console, String label, java.util.function.LongPredicate call) throws InterruptedException {
        long start = System.nanoTime();
        Load load = Load.start(4, CALLS, call);
        try (load) {
            load.awaitShowing(() -> console.progress(String.format("%s: %,d calls · %,d failed", label, load.done(), load.failed())));
        }
        console.line(String.format("%-26s %,d calls in %.1f s: %,d succeeded (%.2f%%)", label + ":", load.done(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) / 1000.0, load.succeeded(), rate(load) * 100));
        return load;
    }

    private static double rate(Load load) {
        return load.succeeded() / (double) Math.max(1, load.done());
    }
}

package dev.backendrouter.benchmarks.load;

import static dev.backendrouter.benchmarks.report.Markdown.spread;
import static dev.backendrouter.benchmarks.report.Markdown.verdict;

import dev.backendrouter.api.BackendRole;
import dev.backendrouter.api.Topology;
import dev.backendrouter.benchmarks.report.LineChart;
import dev.backendrouter.benchmarks.report.Markdown;
import dev.backendrouter.benchmarks.report.Stats;
import dev.backendrouter.benchmarks.report.Svg;
import dev.backendrouter.router.BackendRouterBuilder;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import okhttp3.OkHttpClient;

/** 6. Every backend failing: the requests a call makes through the router against a naive 3-attempt retry loop. */
final class RetryStormScenario implements Scenario {
    static final double TARGET = 1.25;
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final int TICKS_PER_BUCKET = 5;
    private static final String DEFAULTS = "router, defaults";
    private static final String BUDGET = "router, retry budget alone (breakers never open)";
    private static final String NAIVE = "naive 3-attempt retry (primary, backup, primary)";
    /** A time window whose minimum number of calls is never reached: the breakers stay closed and only the budget acts. */
    private static final UnaryOperator<BackendRouterBuilder> NO_BREAKERS = b -> b.circuitBreakerConfig(CircuitBreakerConfig.custom()
            .slidingWindow(10, Integer.MAX_VALUE, CircuitBreakerConfig.SlidingWindowType.TIME_BASED).build());

    @Override
    public String id() {
        return "retry-storm";
    }

    @Override
    public String title() {
        return "Every backend failing (retry storm)";
    }

    @Override
    public ScenarioResult run(Context context) throws Exception {
        Driver.Load load = Driver.Load.paced(8, 200, context.seconds(4, 8));
        OkHttpClient client = Clients.okHttp();
        Map<String, List<double[]>> series = new LinkedHashMap<>();
        try (SimBackend primary = SimBackend.start("primary").failing(true); SimBackend backup = SimBackend.start("backup").failing(true)) {
            Topology topology = Clients.topology(Clients.member(primary, BackendRole.PRIMARY), Clients.member(backup, BackendRole.BACKUP));
            String[] urls = {primary.url() + Clients.PATH, backup.url() + Clients.PATH, primary.url() + Clients.PATH};
            Rounds rounds = new Rounds();
            for (String side : List.of(DEFAULTS, BUDGET, NAIVE)) {
                series.put(side, new ArrayList<>());
            }
            rounds.side(DEFAULTS, () -> {
                try (Clients.Routed router = Clients.router(topology, b -> b)) {
                    return storm(load, () -> Clients.ok(router.get()), primary, backup, series.get(DEFAULTS));
                }
            });
            rounds.side(BUDGET, () -> {
                try (Clients.Routed router = Clients.router(topology, NO_BREAKERS)) {
                    return storm(load, () -> Clients.ok(router.get()), primary, backup, series.get(BUDGET));
                }
            });
            rounds.side(NAIVE, () -> storm(load, () -> {
                for (String url : urls) {
                    if (Clients.ok(Clients.get(client, url))) {
                        return true;
                    }
                }
                return false;
            }, primary, backup, series.get(NAIVE)));
            rounds.run(context, context.rounds());
            return report(context, load, rounds, series);
        } finally {
            Clients.shutdown(client);
        }
    }

    /** One run; keeps its attempts per call per half second in {@code series}. */
    private static Map<String, Double> storm(Driver.Load load, Driver.Call call, SimBackend primary, SimBackend backup,
            List<double[]> series) throws InterruptedException {
        primary.resetCounts();
        backup.resetCounts();
        Driver.Running running = Driver.start(load, call);
        Timeline timeline = new Timeline(running.origin(), TICK_NANOS, primary::requests, backup::requests);
        long ticks = load.duration().toNanos() / TICK_NANOS;
        try {
            while (timeline.next() < ticks) {
                // counting
            }
        } finally {
            running.stop();
        }
        Samples samples = running.await();
        int buckets = timeline.buckets() / TICKS_PER_BUCKET;
        double[] perCall = new double[buckets];
        for (int j = 0; j < buckets; j++) {
            int from = j * TICKS_PER_BUCKET;
            int to = from + TICKS_PER_BUCKET;
            int calls = samples.countBefore(to * TICK_NANOS) - samples.countBefore(from * TICK_NANOS);
            perCall[j] = calls == 0 ? Double.NaN : (double) timeline.total(from, to) / calls;
        }
        series.add(perCall);
        long requests = primary.requests() + backup.requests();
        return new Numbers()
                .put("calls", samples.calls())
                .put("failedCalls", samples.failures())
                .put("requests", requests)
                .put("attemptsPerCall", (double) requests / samples.calls())
                .put("attemptsPerCallFirstSecond", firstSecond(perCall))
                .map();
    }

    private static double firstSecond(double[] perCall) {
        int n = Math.min(perCall.length, 1_000_000_000 / (int) (TICK_NANOS * TICKS_PER_BUCKET));
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += perCall[i];
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    private ScenarioResult report(Context context, Driver.Load load, Rounds rounds, Map<String, List<double[]>> series) throws Exception {
        Markdown.Table table = new Markdown.Table("side", "requests per call", "in the first second", "calls", "failed calls");
        for (String side : series.keySet()) {
            table.row(side, "**" + spread(rounds.spread(side, "attemptsPerCall"), v -> Markdown.fixed(v, 3), "") + "**",
                    spread(rounds.spread(side, "attemptsPerCallFirstSecond"), v -> Markdown.fixed(v, 2), ""),
                    Markdown.num(rounds.sum(side, "calls")), Markdown.num(rounds.sum(side, "failedCalls")));
        }
        Stats.Spread defaults = rounds.spread(DEFAULTS, "attemptsPerCall");
        Stats.Spread budget = rounds.spread(BUDGET, "attemptsPerCall");
        boolean met = defaults.median() <= TARGET;
        List<ScenarioResult.Target> targets = List.of(new ScenarioResult.Target("requests per call, every backend failing",
                "router " + spread(defaults, v -> Markdown.fixed(v, 3), "") + " (budget alone: " + Markdown.fixed(budget.median(), 3)
                        + "; naive loop: " + Markdown.fixed(rounds.spread(NAIVE, "attemptsPerCall").median(), 2) + ")",
                "≤ " + TARGET, verdict(met)));

        LineChart chart = new LineChart("Requests per call while every backend fails (retry storm)",
                "seconds since the load started", "backend requests per call, per 0.5 s")
                .horizontalMarker(TARGET, "target ≤ " + TARGET).xRange(0, load.duration().toMillis() / 1000.0);
        int colour = 0;
        StringBuilder which = new StringBuilder();
        for (Map.Entry<String, List<double[]>> entry : series.entrySet()) {
            int round = rounds.medianRound(entry.getKey(), "attemptsPerCall");
            double[] perCall = entry.getValue().get(round);
            double[] t = new double[perCall.length];
            for (int i = 0; i < t.length; i++) {
                t[i] = (i + 0.5) * TICKS_PER_BUCKET * TICK_NANOS / 1e9;
            }
            chart.line(entry.getKey(), t, perCall, Svg.PALETTE[colour++], false);
            which.append(which.length() == 0 ? "" : ", ").append(round + 1);
        }
        String image = context.chart("retry-storm-attempts", "requests per call during the retry storm", chart.render());

        String markdown = "### 6. " + title() + "\n\n"
                + "A primary and a backup that answer every request 503. " + load.describe() + " for "
                + Markdown.seconds(load.duration()) + " per side per round, a fresh router each time. Requests per call = the "
                + "requests both backends received ÷ the calls made. The naive loop tries the primary, the backup and the "
                + "primary again with raw OkHttp. \"Budget alone\" gives the router breakers that never open, to show what "
                + "the retry budget (20% of calls + 2/s) does by itself; with the defaults, the breakers open as well and "
                + "calls then fail at once without a request.\n\n"
                + table + "\n"
                + "Router with its defaults: **" + spread(defaults, v -> Markdown.fixed(v, 3), "") + "** requests per call — target ≤ "
                + TARGET + ": " + verdict(met) + ".\n\n"
                + (image.isEmpty() ? "" : "The chart shows the round with the median requests per call of each side (rounds "
                        + which + ").\n\n" + image);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("settings", Map.of("load", load.describe(), "secondsPerSide", load.duration().toMillis() / 1000.0,
                "bucketSeconds", TICKS_PER_BUCKET * TICK_NANOS / 1e9));
        json.put("rounds", rounds.json());
        json.put("attemptsPerCallPerBucket", series);
        json.put("met", met);
        return new ScenarioResult(id(), title(), targets, markdown, json);
    }
}

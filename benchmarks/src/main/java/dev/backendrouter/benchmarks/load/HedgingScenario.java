package dev.backendrouter.benchmarks.load;

import static dev.backendrouter.benchmarks.report.Markdown.percent;
import static dev.backendrouter.benchmarks.report.Markdown.spread;

import dev.backendrouter.benchmarks.report.Markdown;
import dev.backendrouter.benchmarks.report.Stats;
import dev.backendrouter.router.BackendRouterBuilder;
import dev.backendrouter.router.Hedging;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** 7. Hedged reads on and off, with one of three replicas 10× slower: the p99 saved and the requests spent. */
final class HedgingScenario implements Scenario {
    private static final Hedging HEDGING = Hedging.atPercentile(95, Duration.ofMillis(5));
    private static final String HEDGING_CODE = "Hedging.atPercentile(95, Duration.ofMillis(5))";
    private static final Hedging FIXED = Hedging.after(Duration.ofMillis(5));
    private static final String FIXED_CODE = "Hedging.after(Duration.ofMillis(5))";
    private static final String OFF = "hedging off (default)";
    private static final String ON = "hedging on: " + HEDGING_CODE;
    private static final String ON_FIXED = "hedging on: " + FIXED_CODE;
    private static final String HEALTHY = "hedging off, all replicas healthy (reference)";

    @Override
    public String id() {
        return "hedging";
    }

    @Override
    public String title() {
        return "Hedging on vs off, one slow replica";
    }

    @Override
    public ScenarioResult run(Context context) throws Exception {
        Driver.Load load = Replicas.load(context);
        try (Replicas replicas = Replicas.start()) {
            Rounds rounds = new Rounds()
                    .side(OFF, () -> routerRun(replicas, true, b -> b, load))
                    .side(ON, () -> routerRun(replicas, true, b -> b.hedging(HEDGING), load))
                    .side(ON_FIXED, () -> routerRun(replicas, true, b -> b.hedging(FIXED), load))
                    .side(HEALTHY, () -> routerRun(replicas, false, b -> b, load))
                    .run(context, context.rounds());
            return report(load, rounds);
        }
    }

    private static Map<String, Double> routerRun(Replicas replicas, boolean slow, UnaryOperator<BackendRouterBuilder> settings,
            Driver.Load load) throws InterruptedException {
        replicas.slow(slow);
        try (Clients.Routed router = Clients.router(replicas.topology(), settings)) {
            return replicas.measure(load, () -> Clients.ok(router.get()));
        }
    }

    private ScenarioResult report(Driver.Load load, Rounds rounds) {
        Markdown.Table table = new Markdown.Table("side", "p50", "p99", "requests per call", "slow replica's share of requests",
                "failed calls");
        for (String side : List.of(OFF, ON, ON_FIXED, HEALTHY)) {
            table.row(side, spread(rounds.spread(side, "p50Ms"), " ms"), spread(rounds.spread(side, "p99Ms"), " ms"),
                    spread(rounds.spread(side, "requestsPerCall"), v -> Markdown.fixed(v, 3), ""),
                    percent(rounds.spread(side, "slowShare").median(), 1), Markdown.num(rounds.sum(side, "failures")));
        }
        Map<String, Object> effects = new LinkedHashMap<>();
        StringBuilder lines = new StringBuilder();
        StringBuilder measured = new StringBuilder();
        for (String side : List.of(ON, ON_FIXED)) {
            String code = side.equals(ON) ? HEDGING_CODE : FIXED_CODE;
            Stats.Spread p99Ratio = rounds.ratio(side, OFF, "p99Ms");
            double[] on = rounds.values(side, "requestsPerCall");
            double[] off = rounds.values(OFF, "requestsPerCall");
            double[] slowShare = rounds.values(OFF, "slowShare");
            double[] extra = new double[Math.min(on.length, off.length)];
            int idle = 0;
            for (int i = 0; i < extra.length; i++) {
                extra[i] = on[i] / off[i] - 1;
                // hedging that fired for fewer than half of the reads the slow replica got cannot have cut the tail
                idle += extra[i] < slowShare[i] / 2 ? 1 : 0;
            }
            Stats.Spread extraRequests = Stats.Spread.of(extra);
            String reduction = Markdown.spread(Stats.Spread.of(1 - p99Ratio.median(), 1 - p99Ratio.max(), 1 - p99Ratio.min()),
                    v -> percent(v, 0), "");
            String p99 = "p99 " + Markdown.num(rounds.spread(OFF, "p99Ms").median()) + " → "
                    + Markdown.num(rounds.spread(side, "p99Ms").median()) + " ms, " + reduction + " lower";
            String cost = Markdown.spread(extraRequests, v -> percent(v, 1), "") + " extra requests";
            measured.append(measured.length() == 0 ? "" : "; ").append('`').append(code).append("`: ").append(p99).append(", for ")
                    .append(cost);
            lines.append("- `").append(code).append("`: **").append(p99).append("**, for **").append(cost).append("** (on ÷ off p99 ")
                    .append(spread(p99Ratio, Markdown::num, "×")).append(").");
            if (idle > 0) {
                lines.append(" In ").append(idle).append(" of ").append(extra.length).append(" rounds it hedged fewer than half "
                        + "of the reads the slow replica got (extra requests below half its share), so the tail stayed.");
                if (side.equals(ON)) {
                    lines.append(" Its delay is the p95 of recent successful reads: once the slow replica's own answers are "
                            + "among them and it serves more than 5% of reads (" + percent(rounds.spread(OFF, "slowShare").median(), 1)
                            + " here), that p95 is the slow replica's latency, and its reads are no longer hedged.");
                }
            }
            lines.append('\n');
            effects.put(code, Map.of("p99OnOverOff", p99Ratio, "extraRequests", extraRequests, "roundsHedgingTooLittle", idle));
        }
        List<ScenarioResult.Target> targets = List.of(new ScenarioResult.Target("p99 reduction and extra requests",
                measured.toString(), "reported", "reported"));
        String markdown = "### 7. " + title() + "\n\n"
                + "The replicas of scenario 5, the third one " + Replicas.SLOW_MICROS / Replicas.BASE_MICROS + "× slower, the "
                + "router's default balancer; hedging off (the default) against two settings: `" + HEDGING_CODE + "` (a "
                + "second attempt on another replica when the first has not answered within the p95 of recent successful "
                + "reads, at least 5 ms; the form the `Hedging` javadoc shows) and `" + FIXED_CODE + "` (after a fixed "
                + "5 ms). The all-healthy runs are the reference the p99 could come back to. " + load.describe() + ", "
                + Markdown.seconds(load.duration()) + " per side per round, a fresh router each time, the first "
                + Replicas.WARM_UP.toMillis() + " ms left out of the latencies. Extra requests = requests per call with "
                + "hedging ÷ without − 1, round by round.\n\n"
                + table + "\n"
                + "Hedging on:\n\n" + lines;
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("settings", Map.of("load", load.describe(), "secondsPerSide", load.duration().toMillis() / 1000.0,
                "hedging", List.of(HEDGING.toString(), FIXED.toString()), "replicaMillis", Replicas.BASE_MICROS / 1000.0,
                "slowReplicaMillis", Replicas.SLOW_MICROS / 1000.0));
        json.put("rounds", rounds.json());
        json.put("effects", effects);
        return new ScenarioResult(id(), title(), targets, markdown, json);
    }
}

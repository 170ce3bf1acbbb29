package dev.backendrouter.benchmarks.load;

import static dev.backendrouter.benchmarks.report.Markdown.percent;
import static dev.backendrouter.benchmarks.report.Markdown.spread;
import static dev.backendrouter.benchmarks.report.Markdown.verdict;

import dev.backendrouter.benchmarks.report.BarChart;
import dev.backendrouter.benchmarks.report.Markdown;
import dev.backendrouter.benchmarks.report.Stats;
import dev.backendrouter.benchmarks.report.Svg;
import dev.backendrouter.router.BackendRouterBuilder;
import dev.backendrouter.router.LoadBalancing;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import okhttp3.OkHttpClient;

/**
 * 5. One of three replicas 10× slower: p99 against the all-healthy p99, for the router's default
 * balancer (power of two choices), its round robin, and nginx.
 */
final class SlowReplicaScenario implements Scenario {
    static final double TARGET = 1.5;
    private static final String HEALTHY = ", all healthy";
    private static final String SLOW = ", one 10× slower";
    private static final String P2C = "router, P2C (default)";
    private static final String RR = "router, round robin";
    private static final String NGINX = "nginx, 3 servers (round robin)";

    @Override
    public String id() {
        return "slow-replica";
    }

    @Override
    public String title() {
        return "1 of 3 replicas 10× slower";
    }

    @Override
    public ScenarioResult run(Context context) throws Exception {
        Driver.Load load = Replicas.load(context);
        OkHttpClient client = Clients.okHttp();
        Nginx nginx = null;
        try (Replicas replicas = Replicas.start()) {
            Rounds rounds = new Rounds();
            for (boolean slow : new boolean[] {false, true}) {
                rounds.side(P2C + (slow ? SLOW : HEALTHY), () -> routerRun(replicas, slow, b -> b, load));
                rounds.side(RR + (slow ? SLOW : HEALTHY), () -> routerRun(replicas, slow, b -> b.loadBalancing(LoadBalancing.ROUND_ROBIN), load));
            }
            if (context.hasNginx()) {
                nginx = Nginx.start(context.nginx(), replicas.nginxServers());
                String url = nginx.url() + Clients.PATH;
                for (boolean slow : new boolean[] {false, true}) {
                    rounds.side(NGINX + (slow ? SLOW : HEALTHY), () -> {
                        replicas.slow(slow);
                        return replicas.measure(load, () -> Clients.ok(Clients.get(client, url)));
                    });
                }
            }
            rounds.run(context, context.rounds());
            return report(context, load, rounds);
        } finally {
            if (nginx != null) {
                nginx.close();
            }
            Clients.shutdown(client);
        }
    }

    private static Map<String, Double> routerRun(Replicas replicas, boolean slow, UnaryOperator<BackendRouterBuilder> settings,
            Driver.Load load) throws InterruptedException {
        replicas.slow(slow);
        try (Clients.Routed router = Clients.router(replicas.topology(), settings)) {
            return replicas.measure(load, () -> Clients.ok(router.get()));
        }
    }

    private ScenarioResult report(Context context, Driver.Load load, Rounds rounds) throws Exception {
        List<String> sides = new ArrayList<>(List.of(P2C, RR));
        if (rounds.has(NGINX + HEALTHY)) {
            sides.add(NGINX);
        }
        Markdown.Table table = new Markdown.Table("side", "p99 all healthy", "p99 one slow", "slow ÷ healthy p99",
                "p50 one slow", "slow replica's share of requests", "failed calls");
        Map<String, Stats.Spread> ratios = new LinkedHashMap<>();
        for (String side : sides) {
            Stats.Spread ratio = rounds.ratio(side + SLOW, side + HEALTHY, "p99Ms");
            ratios.put(side, ratio);
            table.row(side, spread(rounds.spread(side + HEALTHY, "p99Ms"), " ms"), spread(rounds.spread(side + SLOW, "p99Ms"), " ms"),
                    "**" + spread(ratio, Markdown::num, "×") + "**", spread(rounds.spread(side + SLOW, "p50Ms"), " ms"),
                    percent(rounds.spread(side + SLOW, "slowShare").median(), 1),
                    Markdown.num(rounds.sum(side + HEALTHY, "failures") + rounds.sum(side + SLOW, "failures")));
        }
        if (!rounds.has(NGINX + HEALTHY)) {
            table.row(NGINX, Context.NO_NGINX, "–", "–", "–", "–", "–");
        }
        boolean met = ratios.get(P2C).median() <= TARGET;
        String others = "round robin " + Markdown.ratio(ratios.get(RR).median())
                + (ratios.containsKey(NGINX) ? ", nginx " + Markdown.ratio(ratios.get(NGINX).median()) : ", " + Context.NGINX_NOT_RUN);
        List<ScenarioResult.Target> targets = List.of(new ScenarioResult.Target("p99 with one slow replica ÷ all-healthy p99",
                "router (P2C) " + spread(rounds.spread(P2C + SLOW, "p99Ms"), " ms") + " vs " + Markdown.num(rounds.spread(P2C + HEALTHY,
                        "p99Ms").median()) + " ms: " + spread(ratios.get(P2C), Markdown::num, "×") + " (" + others + ")",
                "≤ " + TARGET + "×", verdict(met)));

        BarChart chart = new BarChart("p99 latency with one of three replicas 10× slower", "p99 latency (ms)").unit(" ms");
        String[] categories = sides.stream().map(s -> s.replace("router, ", "router ").replace(" (default)", "")).toArray(String[]::new);
        chart.categories(categories);
        int colour = 0;
        for (String state : List.of(HEALTHY, SLOW)) {
            double[] median = new double[sides.size()];
            double[] low = new double[sides.size()];
            double[] high = new double[sides.size()];
            for (int i = 0; i < sides.size(); i++) {
                Stats.Spread s = rounds.spread(sides.get(i) + state, "p99Ms");
                median[i] = s.median();
                low[i] = s.min();
                high[i] = s.max();
            }
            chart.series(state.substring(2), Svg.PALETTE[colour++], median, low, high);
        }
        chart.referenceLine(TARGET * rounds.spread(P2C + HEALTHY, "p99Ms").median(), "target for the router: "
                + TARGET + "× its all-healthy p99");
        String image = context.chart("slow-replica-p99", "p99 bars with one slow replica", chart.render());

        String markdown = "### 5. " + title() + "\n\n"
                + "A primary and three read replicas answering in " + Replicas.BASE_MICROS / 1000 + " ms; in the \"one slow\" runs "
                + "the third answers in " + Replicas.SLOW_MICROS / 1000 + " ms. Reads go to the replicas (the router's "
                + "default read preference where there are replicas; nginx has the three replicas as its servers, default "
                + "round robin, one nginx for all rounds). " + load.describe() + ", " + Markdown.seconds(load.duration())
                + " per side per round, a fresh router each time; the first " + Replicas.WARM_UP.toMillis() + " ms of "
                + "every run are left out of its latencies. Each side's ratio is its own slow p99 over its own healthy "
                + "p99, round by round.\n\n"
                + table + "\n"
                + "Router with its default balancer: p99 one slow ÷ all healthy **" + spread(ratios.get(P2C), Markdown::num, "×")
                + "** — target ≤ " + TARGET + "×: " + verdict(met) + ".\n\n" + image;
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("settings", Map.of("load", load.describe(), "secondsPerSide", load.duration().toMillis() / 1000.0,
                "replicaMillis", Replicas.BASE_MICROS / 1000.0, "slowReplicaMillis", Replicas.SLOW_MICROS / 1000.0,
                "warmUpMillisExcluded", Replicas.WARM_UP.toMillis()));
        json.put("rounds", rounds.json());
        json.put("p99Ratios", ratios);
        json.put("met", met);
        return new ScenarioResult(id(), title(), targets, markdown, json);
    }
}

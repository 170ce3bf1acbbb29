package dev.backendrouter.benchmarks.load;

import static dev.backendrouter.benchmarks.report.Markdown.spread;
import static dev.backendrouter.benchmarks.report.Markdown.verdict;

import dev.backendrouter.api.BackendRole;
import dev.backendrouter.benchmarks.report.Markdown;
import dev.backendrouter.benchmarks.report.Stats;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;

/** 1. Throughput with 32 callers and a small JSON answer over keep-alive: the router against raw OkHttp. */
final class ThroughputScenario implements Scenario {
    static final double TARGET = 0.95;
    private static final String RAW = "raw OkHttp";
    private static final String ROUTER = "router";

    @Override
    public String id() {
        return "throughput";
    }

    @Override
    public String title() {
        return "Throughput, 32 callers, small JSON, keep-alive";
    }

    @Override
    public ScenarioResult run(Context context) throws Exception {
        Driver.Load load = Driver.Load.closed(32, context.seconds(1.5, 3), 10_000_000);
        OkHttpClient raw = Clients.okHttp();
        try (SimBackend backend = SimBackend.start("backend");
                Clients.Routed router = Clients.router(Clients.topology(Clients.member(backend, BackendRole.PRIMARY)), b -> b)) {
            String direct = backend.url() + Clients.PATH;
            Driver.Call rawCall = () -> Clients.ok(Clients.get(raw, direct));
            Driver.Call routedCall = () -> Clients.ok(router.get());
            // the JIT is still speeding both up after a few seconds on 2 shared cores: warm up longer, and alternately
            Driver.Load warmup = Driver.Load.closed(32, context.seconds(2, 3), 10_000_000);
            for (int i = 0; i < 2; i++) {
                Driver.run(warmup, rawCall);
                Driver.run(warmup, routedCall);
            }
            Rounds rounds = new Rounds()
                    .side(RAW, () -> Numbers.of(Driver.run(load, rawCall)).map())
                    .side(ROUTER, () -> Numbers.of(Driver.run(load, routedCall)).map())
                    .mirrored()
                    .run(context, context.rounds());
            return report(load, warmup, rounds);
        } finally {
            Clients.shutdown(raw);
        }
    }

    private ScenarioResult report(Driver.Load load, Driver.Load warmup, Rounds rounds) {
        Stats.Spread ratio = rounds.ratio(ROUTER, RAW, "throughput");
        boolean met = ratio.median() >= TARGET;
        String measured = "router " + Markdown.num(rounds.spread(ROUTER, "throughput").median()) + " calls/s vs raw OkHttp "
                + Markdown.num(rounds.spread(RAW, "throughput").median()) + " calls/s: " + spread(ratio, Markdown::num, "×");
        Markdown.Table table = new Markdown.Table("side", "calls/s", "p50", "p99", "failed calls");
        for (String side : List.of(RAW, ROUTER)) {
            table.row(side, spread(rounds.spread(side, "throughput"), ""), spread(rounds.spread(side, "p50Ms"), " ms"),
                    spread(rounds.spread(side, "p99Ms"), " ms"), Markdown.num(rounds.sum(side, "failures")));
        }
        String markdown = "### 1. " + title() + "\n\n"
                + "One simulated backend answering a " + SimBackend.BODY.length + "-byte JSON document at once; "
                + load.describe() + ", after a warm-up of " + Markdown.seconds(warmup.duration().multipliedBy(2)) + " each; a "
                + "round runs raw, router, router, raw (or the mirror) for "
                + Markdown.seconds(load.duration()) + " each, and a side's number is the mean of its two runs. "
                + "Raw OkHttp calls the backend's URL; the router's client calls `http://data/items/42`, a group "
                + "with that backend as its one PRIMARY, with the router's defaults. Both clients are built alike "
                + "(a 64-connection pool).\n\n"
                + table + "\n"
                + "Router ÷ raw OkHttp throughput, round by round: **" + spread(ratio, Markdown::num, "×")
                + "** — target ≥ " + TARGET + "×: " + verdict(met) + ".\n";
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("settings", Map.of("load", load.describe(), "secondsPerRun", load.duration().toMillis() / 1000.0,
                "runsPerSidePerRound", 2, "warmUpSecondsPerSide", warmup.duration().toMillis() / 500.0,
                "backend", "one simulated backend, no added latency, " + SimBackend.BODY.length + "-byte JSON"));
        json.put("rounds", rounds.json());
        json.put("ratio", ratio);
        json.put("met", met);
        return new ScenarioResult(id(), title(), List.of(new ScenarioResult.Target(
                "throughput, router ÷ raw OkHttp", measured, "≥ " + TARGET + "×", verdict(met))), markdown, json);
    }
}

package dev.backendrouter.benchmarks.load;

import static dev.backendrouter.benchmarks.report.Markdown.spread;
import static dev.backendrouter.benchmarks.report.Markdown.verdict;

import dev.backendrouter.api.BackendRole;
import dev.backendrouter.benchmarks.report.Markdown;
import dev.backendrouter.benchmarks.report.Stats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;

/**
 * 2. p50 / p99 latency with a primary and a backup: the router against nginx with a {@code backup}
 * server, at a moderate paced load and at saturation (32 callers, closed loop).
 */
final class LatencyScenario implements Scenario {
    static final double TARGET = 0.7;
    private static final String ROUTER = "router";
    private static final String NGINX = "nginx upstream with a backup server";

    /** A load the comparison is made at, and what to call it. */
    private record Level(String name, Driver.Load load) {
    }

    @Override
    public String id() {
        return "latency";
    }

    @Override
    public String title() {
        return "p50 / p99 latency, primary + backup";
    }

    @Override
    public ScenarioResult run(Context context) throws Exception {
        List<Level> levels = List.of(
                new Level("moderate load", Driver.Load.paced(16, 2000, context.seconds(1.25, 2.5))),
                new Level("saturation", Driver.Load.closed(32, context.seconds(1.25, 2.5), 10_000_000)));
        Driver.Load warmup = Driver.Load.closed(32, context.seconds(2, 3), 10_000_000);
        OkHttpClient client = Clients.okHttp();
        Nginx nginx = null;
        try (SimBackend primary = SimBackend.start("primary");
                SimBackend backup = SimBackend.start("backup");
                Clients.Routed router = Clients.router(Clients.topology(Clients.member(primary, BackendRole.PRIMARY),
                        Clients.member(backup, BackendRole.BACKUP)), b -> b)) {
            Driver.Call routed = () -> Clients.ok(router.get());
            Driver.Call proxied = null;
            if (context.hasNginx()) {
                nginx = Nginx.start(context.nginx(), List.of(Nginx.Server.primary(primary), Nginx.Server.backup(backup)));
                String url = nginx.url() + Clients.PATH;
                proxied = () -> Clients.ok(Clients.get(client, url));
                Driver.run(warmup, proxied);
            }
            Driver.run(warmup, routed);
            Rounds rounds = new Rounds();
            for (Level level : levels) {
                rounds.side(ROUTER + ", " + level.name(), () -> Numbers.of(Driver.run(level.load(), routed)).map());
                if (proxied != null) {
                    Driver.Call call = proxied;
                    rounds.side(NGINX + ", " + level.name(), () -> Numbers.of(Driver.run(level.load(), call)).map());
                }
            }
            rounds.mirrored().run(context, context.rounds());
            return report(levels, rounds);
        } finally {
            if (nginx != null) {
                nginx.close();
            }
            Clients.shutdown(client);
        }
    }

    private ScenarioResult report(List<Level> levels, Rounds rounds) {
        Markdown.Table table = new Markdown.Table("load", "side", "p50", "p99", "calls/s", "failed calls");
        List<ScenarioResult.Target> targets = new ArrayList<>();
        StringBuilder verdicts = new StringBuilder();
        Map<String, Object> ratios = new LinkedHashMap<>();
        for (Level level : levels) {
            String router = ROUTER + ", " + level.name();
            String nginx = NGINX + ", " + level.name();
            for (String side : List.of(router, nginx)) {
                if (!rounds.has(side)) {
                    table.row(level.name(), NGINX, Context.NO_NGINX, "–", "–", "–");
                    continue;
                }
                table.row(level.name(), side.equals(router) ? ROUTER : NGINX, spread(rounds.spread(side, "p50Ms"), " ms"),
                        spread(rounds.spread(side, "p99Ms"), " ms"), spread(rounds.spread(side, "throughput"), ""),
                        Markdown.num(rounds.sum(side, "failures")));
            }
            String measure = "p50, router ÷ nginx, " + level.name() + " (" + level.load().describe() + ")";
            if (!rounds.has(nginx)) {
                targets.add(new ScenarioResult.Target(measure, "router p50 " + Markdown.num(rounds.spread(router, "p50Ms").median())
                        + " ms; " + Context.NGINX_NOT_RUN, "≤ " + TARGET + "×", Context.NO_NGINX));
                verdicts.append("At ").append(level.name()).append(" the target was not assessed: ").append(Context.NGINX_NOT_RUN)
                        .append(".\n");
                continue;
            }
            Stats.Spread p50 = rounds.ratio(router, nginx, "p50Ms");
            Stats.Spread p99 = rounds.ratio(router, nginx, "p99Ms");
            boolean met = p50.median() <= TARGET;
            ratios.put(level.name(), Map.of("p50Ratio", p50, "p99Ratio", p99, "met", met));
            targets.add(new ScenarioResult.Target(measure, "router " + Markdown.num(rounds.spread(router, "p50Ms").median())
                    + " ms vs nginx " + Markdown.num(rounds.spread(nginx, "p50Ms").median()) + " ms: "
                    + spread(p50, Markdown::num, "×") + " (p99: " + spread(p99, Markdown::num, "×") + ")", "≤ " + TARGET + "×",
                    verdict(met)));
            verdicts.append("At ").append(level.name()).append(", router ÷ nginx round by round: p50 **")
                    .append(spread(p50, Markdown::num, "×")).append("** — target ≤ ").append(TARGET).append("×: ")
                    .append(verdict(met)).append("; p99 ").append(spread(p99, Markdown::num, "×")).append(".\n");
        }
        String markdown = "### 2. " + title() + "\n\n"
                + "A primary and a backup backend, both answering at once. The router's group has them as PRIMARY and "
                + "BACKUP; nginx's upstream has `server primary` and `server backup backup`. A round runs every side twice "
                + "for " + Markdown.seconds(levels.get(0).load().duration()) + ", in an order and then its mirror (A B C D D "
                + "C B A), after a warm-up; a side's number is the mean of its two runs. Two loads: a "
                + levels.get(0).name() + " — " + levels.get(0).load().describe() + ", the same offered load for both, so "
                + "neither is measured at a higher load for being faster — and " + levels.get(1).name() + " — "
                + levels.get(1).load().describe() + ", where the nginx hop's CPU competes with everything else on the "
                + "two cores. Latency is the caller's, from `execute()` to the end of the body. The backup is never "
                + "needed here.\n\n"
                + table + "\n" + verdicts;
        Map<String, Object> json = new LinkedHashMap<>();
        Map<String, Object> settings = new LinkedHashMap<>();
        levels.forEach(l -> settings.put(l.name(), l.load().describe()));
        settings.put("secondsPerRun", levels.get(0).load().duration().toMillis() / 1000.0);
        settings.put("runsPerSidePerRound", 2);
        settings.put("backends", "primary and backup, no added latency; the backup is never needed");
        json.put("settings", settings);
        json.put("rounds", rounds.json());
        json.put("ratios", ratios);
        return new ScenarioResult(id(), title(), targets, markdown, json);
    }
}

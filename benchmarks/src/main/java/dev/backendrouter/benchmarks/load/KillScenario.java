package dev.backendrouter.benchmarks.load;

import static dev.backendrouter.benchmarks.report.Markdown.spread;
import static dev.backendrouter.benchmarks.report.Markdown.verdict;

import dev.backendrouter.api.BackendRole;
import dev.backendrouter.api.Topology;
import dev.backendrouter.benchmarks.report.LineChart;
import dev.backendrouter.benchmarks.report.Markdown;
import dev.backendrouter.benchmarks.report.Stats;
import dev.backendrouter.benchmarks.report.Svg;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleFunction;
import okhttp3.OkHttpClient;

/** 4. The primary killed under load and restarted: the router against nginx with a {@code backup} server. */
final class KillScenario implements Scenario {
    private static final String ROUTER = "router";
    private static final String NGINX = "nginx upstream with a backup server";

    @Override
    public String id() {
        return "kill";
    }

    @Override
    public String title() {
        return "Primary killed under load, then restarted";
    }

    @Override
    public ScenarioResult run(Context context) throws Exception {
        OkHttpClient client = Clients.okHttp();
        Map<String, List<KillRound.Result>> results = new LinkedHashMap<>();
        Rounds rounds = new Rounds();
        try (SimBackend primary = SimBackend.start("primary"); SimBackend backup = SimBackend.start("backup");
                SimBackend nginxPrimary = SimBackend.start("nginx-primary"); SimBackend nginxBackup = SimBackend.start("nginx-backup")) {
            Topology topology = Clients.topology(Clients.member(primary, BackendRole.PRIMARY), Clients.member(backup, BackendRole.BACKUP));
            results.put(ROUTER, new ArrayList<>());
            if (context.hasNginx()) {
                results.put(NGINX, new ArrayList<>());
            }
            for (int round = 0; round < context.rounds(); round++) {
                Nginx nginx = null;
                try (Clients.Routed router = Clients.router(topology, b -> b)) {
                    List<KillRound.Side> sides = new ArrayList<>();
                    sides.add(new KillRound.Side(ROUTER, () -> Clients.ok(router.get()), primary, backup));
                    if (context.hasNginx()) {
                        nginxPrimary.restart();
                        nginx = Nginx.start(context.nginx(), List.of(Nginx.Server.primary(nginxPrimary), Nginx.Server.backup(nginxBackup)));
                        String url = nginx.url() + Clients.PATH;
                        sides.add(new KillRound.Side(NGINX, () -> Clients.ok(Clients.get(client, url)), nginxPrimary, nginxBackup));
                    }
                    Map<String, KillRound.Result> outcome = KillRound.run(sides);
                    for (Map.Entry<String, KillRound.Result> side : outcome.entrySet()) {
                        results.get(side.getKey()).add(side.getValue());
                        rounds.record(context, round, side.getKey(), side.getValue().numbers());
                    }
                } finally {
                    if (nginx != null) {
                        nginx.close();
                    }
                }
            }
            return report(context, rounds, results);
        } finally {
            Clients.shutdown(client);
        }
    }

    private ScenarioResult report(Context context, Rounds rounds, Map<String, List<KillRound.Result>> results) throws Exception {
        DoubleFunction<String> seconds = v -> Double.isNaN(v) ? "not seen" : Markdown.fixed(v, 1) + " s";
        Markdown.Table table = new Markdown.Table("side", "failed reads (all rounds)", "time to recover", "time to fail back",
                "p50 before the kill", "p50 / p99 / max while down");
        for (String side : results.keySet()) {
            table.row(side, Markdown.num(rounds.sum(side, "failedReads")) + " of " + Markdown.num(rounds.sum(side, "calls")),
                    spreadOrNotSeen(rounds, side, "recoverySeconds", seconds),
                    spreadOrNotSeen(rounds, side, "failbackSeconds", seconds),
                    spread(rounds.spread(side, "p50BeforeKillMs"), " ms"),
                    Markdown.num(rounds.spread(side, "p50OutageMs").median()) + " / " + Markdown.num(rounds.spread(side, "p99OutageMs").median())
                            + " / " + Markdown.num(rounds.spread(side, "maxOutageMs").median()) + " ms");
        }
        if (!rounds.has(NGINX)) {
            table.row(NGINX, Context.NO_NGINX, "–", "–", "–", "–");
        }
        double routerFailed = rounds.sum(ROUTER, "failedReads");
        boolean met = routerFailed == 0;
        List<ScenarioResult.Target> targets = new ArrayList<>();
        String nginxFailed = rounds.has(NGINX) ? "nginx " + Markdown.num(rounds.sum(NGINX, "failedReads")) : Context.NGINX_NOT_RUN;
        targets.add(new ScenarioResult.Target("failed reads",
                "router " + Markdown.num(routerFailed) + " of " + Markdown.num(rounds.sum(ROUTER, "calls")) + "; " + nginxFailed,
                "0", verdict(met)));
        targets.add(new ScenarioResult.Target("time to recover; time to fail back after the restart",
                "router " + spreadOrNotSeen(rounds, ROUTER, "recoverySeconds", seconds) + "; "
                        + spreadOrNotSeen(rounds, ROUTER, "failbackSeconds", seconds)
                        + (rounds.has(NGINX) ? " — nginx " + spreadOrNotSeen(rounds, NGINX, "recoverySeconds", seconds) + "; "
                                + spreadOrNotSeen(rounds, NGINX, "failbackSeconds", seconds) : ""),
                "reported", "reported"));

        String charts = charts(context, rounds, results);
        String markdown = "### 4. " + title() + "\n\n"
                + "The router (PRIMARY and BACKUP, its defaults, health checks on) and nginx (a `backup` server, started "
                + "fresh each round) run **at the same time**, each against its own primary and backup, each with "
                + KillRound.LOAD.describe() + ": both see the same kill at the same instant, and a round costs one nginx "
                + "fail_timeout (30 s) instead of two" + (rounds.has(NGINX) ? "" : " (this run had no nginx: only the router ran)")
                + ". " + (KillRound.KILL_TICK / 10.0) + " s in, both primaries are killed "
                + "(listening socket and every connection closed, requests under way cut); " + (KillRound.DOWN_TICKS / 10.0)
                + " s later they are restarted on their ports. Reads go on until both sides have failed back to their "
                + "primary, or for " + ((KillRound.CAP_TICKS - KillRound.RESTART_TICK) / 10.0) + " s after the restart. "
                + "A failed read is a call "
                + "whose caller got no 2xx. **Time to recover**: from the kill to the start of the first 100 ms bucket from "
                + "which, until the restart, no read failed and the p50 stayed within 2× (or +1 ms of) its level before the "
                + "kill. **Time to fail back**: from the restart to the start of the first of ten 100 ms buckets in a row in "
                + "which the primary got ≥ 90% of the backend requests.\n\n"
                + table + "\n"
                + "Failed reads through the router: **" + Markdown.num(routerFailed) + "** — target 0: " + verdict(met) + ".\n\n"
                + charts;
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("settings", Map.of("load", KillRound.LOAD.describe(), "killAtSeconds", KillRound.KILL_TICK / 10.0,
                "downSeconds", KillRound.DOWN_TICKS / 10.0, "bucketMillis", 100, "failbackShare", KillRound.FAILBACK_SHARE));
        json.put("rounds", rounds.json());
        Map<String, Object> series = new LinkedHashMap<>();
        results.forEach((side, list) -> series.put(side, list.stream().map(KillRound.Result::buckets).toList()));
        json.put("bucketsPerRound", series);
        json.put("met", met);
        return new ScenarioResult(id(), title(), targets, markdown, json);
    }

    private static String spreadOrNotSeen(Rounds rounds, String side, String key, DoubleFunction<String> format) {
        double[] values = rounds.values(side, key);
        long seen = java.util.Arrays.stream(values).filter(v -> !Double.isNaN(v)).count();
        if (seen == 0) {
            return "not seen";
        }
        String text = Markdown.spread(Stats.Spread.of(java.util.Arrays.stream(values).filter(v -> !Double.isNaN(v)).toArray()), format, "");
        return seen == values.length ? text : text + " (not seen in " + (values.length - seen) + " of " + values.length + " rounds)";
    }

    /** The latency-over-time and primary-share charts, from each side's round with the median fail-back time. */
    private String charts(Context context, Rounds rounds, Map<String, List<KillRound.Result>> results) throws Exception {
        LineChart latency = new LineChart("Latency over time around the primary kill (router vs nginx)",
                "seconds since the primary was killed (restarted at +" + (KillRound.DOWN_TICKS / 10.0) + " s)",
                "read latency per 100 ms (ms, log scale)").logY();
        LineChart share = new LineChart("Share of backend requests served by the primary",
                "seconds since the primary was killed", "primary's share of requests (%)").yRange(0, 100);
        int colour = 0;
        StringBuilder which = new StringBuilder();
        for (Map.Entry<String, List<KillRound.Result>> entry : results.entrySet()) {
            String side = entry.getKey().equals(ROUTER) ? "router" : "nginx";
            int round = rounds.medianRound(entry.getKey(), "failbackSeconds");
            List<KillRound.Bucket> buckets = entry.getValue().get(round).buckets();
            double[] t = buckets.stream().mapToDouble(KillRound.Bucket::t).toArray();
            String color = Svg.PALETTE[colour++];
            latency.line(side + " p50", t, buckets.stream().mapToDouble(KillRound.Bucket::p50Ms).toArray(), color, false);
            latency.line(side + " max", t, buckets.stream().mapToDouble(KillRound.Bucket::maxMs).toArray(), color, true);
            double[] failed = buckets.stream().mapToDouble(b -> b.failures() > 0 ? b.maxMs() : Double.NaN).toArray();
            if (java.util.Arrays.stream(failed).anyMatch(v -> !Double.isNaN(v))) {
                latency.dots(side + ": a read failed", t, failed, color);
            }
            share.line(side, t, buckets.stream().mapToDouble(b -> b.primaryShare() * 100).toArray(), color, false);
            which.append(which.length() == 0 ? "" : ", ").append(side).append(" round ").append(round + 1);
        }
        latency.verticalMarker(0, "primary killed").verticalMarker(KillRound.DOWN_TICKS / 10.0, "restarted");
        share.verticalMarker(0, "killed").verticalMarker(KillRound.DOWN_TICKS / 10.0, "restarted");
        String images = context.chart("kill-latency", "latency over time around the primary kill (router vs nginx)", latency.render())
                + context.chart("kill-primary-share", "share of requests served by the primary around the kill", share.render());
        return images.isEmpty() ? "" : "The charts show one round per side, the one with the median fail-back time (" + which
                + "); every round's buckets are in load.json.\n\n" + images;
    }
}

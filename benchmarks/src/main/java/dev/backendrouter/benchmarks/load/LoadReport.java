package dev.backendrouter.benchmarks.load;

import dev.backendrouter.benchmarks.report.Markdown;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttp;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Writes load.md (the fragment for docs/benchmarks.md) and load.json (every raw number). */
final class LoadReport {
    static final String HEADING = "## Load and fault scenarios (real HTTP over loopback)";

    private final SuiteOptions options;
    private final Context context;
    private final List<ScenarioResult> results;
    private final Duration took;

    LoadReport(SuiteOptions options, Context context, List<ScenarioResult> results, Duration took) {
        this.options = options;
        this.context = context;
        this.results = results;
        this.took = took;
    }

    void write() throws IOException {
        String markdown = markdown();
        if (options.out() == null) {
            System.out.print(markdown);
            return;
        }
        Files.createDirectories(options.out());
        Files.writeString(options.out().resolve("load.md"), markdown, StandardCharsets.UTF_8);
        JsonMapper mapper = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
        Files.writeString(options.out().resolve("load.json"), mapper.writeValueAsString(json()), StandardCharsets.UTF_8);
    }

    private String machine() {
        return Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version")
                + " (" + System.getProperty("java.vm.name") + "), OkHttp " + OkHttp.VERSION + ", "
                + (context.hasNginx() ? context.nginxVersion() : "no nginx");
    }

    String markdown() {
        StringBuilder out = new StringBuilder(HEADING).append("\n\n");
        out.append("Measured by `LoadSuite --").append(options.mode()).append("` on ").append(LocalDate.now(ZoneOffset.UTC))
                .append(" (").append(took.toMinutesPart() + took.toHoursPart() * 60).append(" min ").append(took.toSecondsPart())
                .append(" s): ").append(machine()).append(". Every scenario runs the router and its baselines in the same "
                + "process against the same simulated backends on 127.0.0.1, in ").append(options.rounds())
                .append(" rounds, the order reversed every other round; numbers are **medians over the rounds, with the "
                + "smallest and largest round in brackets**. The machine is shared and noisy: read ratios, not absolute "
                + "numbers.\n\n");
        out.append("Simulated backends: the JDK's HttpServer (with `-Dsun.net.httpserver.nodelay=true`), a small JSON answer, "
                + "latency, error rate (500/502/503 with a JSON error body), kill and restart as a scenario sets them. "
                + "Every side uses its own OkHttp client built alike (64-connection pool, 1 s connect, 5 s read, 10 s call "
                + "timeout). The router runs with its defaults unless a scenario names a setting; its active health checks "
                + "are on at their defaults (`GET /health` every 10 s) everywhere: the simulated backends answer them 200 even "
                + "while failing requests, so they matter only where a backend is killed, and probes are not counted as "
                + "requests. ");
        if (context.hasNginx()) {
            out.append("nginx (").append(context.nginxVersion()).append(") runs as ").append(Nginx.PROCESS_MODEL)
                    .append(" from a generated config: `server ... ").append(Nginx.SERVER_PARAMS)
                    .append(";` (`backup` where a scenario has a backup), `keepalive 64;`, `proxy_http_version 1.1;`, ")
                    .append("`proxy_set_header Connection \"\";`, `proxy_next_upstream ").append(Nginx.NEXT_UPSTREAM)
                    .append(";`, listening on 127.0.0.1; it is started fresh for each scenario (and each round where its "
                            + "passive failure state would carry over) and stopped at its end.\n\n");
        } else {
            out.append("nginx was not available to this run, so every nginx baseline is reported as \"").append(Context.NO_NGINX)
                    .append("\".\n\n");
        }
        Markdown.Table summary = new Markdown.Table("scenario", "measure", "measured", "target", "met");
        for (ScenarioResult result : results) {
            for (ScenarioResult.Target target : result.targets()) {
                summary.row(result.title(), target.measure(), target.measured(), target.target(), target.verdict());
            }
        }
        out.append(summary).append('\n');
        for (ScenarioResult result : results) {
            out.append(result.markdown().strip()).append("\n\n");
        }
        return out.toString().strip() + "\n";
    }

    Map<String, Object> json() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("suite", "load");
        json.put("mode", options.mode());
        json.put("rounds", options.rounds());
        json.put("date", LocalDate.now(ZoneOffset.UTC).toString());
        json.put("seconds", took.toMillis() / 1000.0);
        json.put("machine", machine());
        json.put("nginx", context.hasNginx() ? context.nginxVersion() : Context.NO_NGINX);
        List<Object> scenarios = new ArrayList<>();
        for (ScenarioResult result : results) {
            Map<String, Object> scenario = new LinkedHashMap<>();
            scenario.put("id", result.id());
            scenario.put("title", result.title());
            scenario.put("targets", result.targets());
            scenario.putAll(result.json());
            scenarios.add(scenario);
        }
        json.put("scenarios", scenarios);
        return json;
    }
}

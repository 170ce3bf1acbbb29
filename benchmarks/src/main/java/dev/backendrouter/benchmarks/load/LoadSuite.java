package dev.backendrouter.benchmarks.load;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The load and fault scenarios of the benchmarks: real HTTP over loopback, the router beside the
 * baselines users would pick instead (raw OkHttp, nginx, a naive retry loop), in alternating
 * rounds. Writes {@code load.json} and the Markdown fragment {@code load.md}, and SVG charts.
 *
 * <pre>
 * java -Dsun.net.httpserver.nodelay=true -cp ... dev.backendrouter.benchmarks.load.LoadSuite \
 *     --quick --nginx "$(command -v nginx)" --out target/bench --charts docs/benchmarks
 * </pre>
 */
public final class LoadSuite {
    private LoadSuite() {
    }

    public static void main(String[] args) throws Exception {
        SuiteOptions options;
        try {
            options = SuiteOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        boolean nodelayGiven = Boolean.getBoolean("sun.net.httpserver.nodelay");
        if (!nodelayGiven) {
            // read once when the JDK's HttpServer first loads: without it every response waits ~40 ms (Nagle + delayed ACK)
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            // the router logs every health and breaker change at INFO: expected here, and noise in the progress log
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        Path nginx = Nginx.usable(options.nginx()) ? options.nginx() : null;
        String nginxVersion = nginx == null ? null : Nginx.version(nginx);
        Context context = new Context(options, nginx, nginxVersion, options.charts(), System.err);
        context.log("load suite, %s mode, %d rounds; nginx: %s", options.mode(), options.rounds(),
                nginx == null ? (options.nginx() == null ? "none given" : "not found at " + options.nginx()) + " (nginx baselines not run)"
                        : nginxVersion);

        List<Scenario> scenarios = List.of(new ThroughputScenario(), new LatencyScenario(), new FlakyScenario(),
                new KillScenario(), new SlowReplicaScenario(), new RetryStormScenario(), new HedgingScenario(),
                new RedisCacheScenario());
        List<ScenarioResult> results = new ArrayList<>();
        long started = System.nanoTime();
        for (Scenario scenario : scenarios) {
            if (!options.selected(scenario.id())) {
                continue;
            }
            long t0 = System.nanoTime();
            context.log("%s: %s", scenario.id(), scenario.title());
            try {
                results.add(scenario.run(context));
            } catch (Exception | AssertionError e) {
                results.add(failed(scenario, e));
                context.log("  FAILED: %s", e);
            }
            context.log("  %s took %d s", scenario.id(), Duration.ofNanos(System.nanoTime() - t0).toSeconds());
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        LoadReport report = new LoadReport(options, context, results, took);
        report.write();
        context.log("done in %d s%s", took.toSeconds(), options.out() == null ? "" : "; wrote " + options.out().resolve("load.md")
                + " and " + options.out().resolve("load.json"));
    }

    /** A scenario that could not run is reported as such, with the reason, never left out. */
    private static ScenarioResult failed(Scenario scenario, Throwable e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("error", trace.toString());
        String reason = String.valueOf(e.getMessage()).lines().findFirst().orElse(e.toString());
        return new ScenarioResult(scenario.id(), scenario.title(),
                List.of(new ScenarioResult.Target(scenario.title(), "–", "–", "not run: the scenario failed (" + reason + ")")),
                "### " + scenario.title() + "\n\nThe scenario failed and measured nothing: `" + e + "`.\n", json);
    }
}

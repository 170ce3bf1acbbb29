package dev.backendrouter.benchmarks.load;

import dev.backendrouter.benchmarks.report.Svg;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What every scenario gets: the mode's rounds and durations, nginx (or why it is missing), where
 * charts go, and a progress log.
 *
 * @param nginx the nginx binary, or {@code null} when none was given or it is not executable
 * @param charts the directory for SVG charts, or {@code null} when none are written
 */
record Context(SuiteOptions options, Path nginx, String nginxVersion, Path charts, PrintStream log) {
    static final String NO_NGINX = "not run: nginx not found";
    /** The same inside a sentence. */
    static final String NGINX_NOT_RUN = "nginx not run (not found)";

    boolean hasNginx() {
        return nginx != null;
    }

    int rounds() {
        return options.rounds();
    }

    /** A leg's duration: {@code quick} seconds in a quick run, {@code full} in a full one. */
    Duration seconds(double quick, double full) {
        return Duration.ofMillis(Math.round(1000 * (options.full() ? full : quick)));
    }

    void log(String format, Object... args) {
        log.printf(format + "%n", args);
        log.flush();
    }

    /**
     * Writes a chart as {@code <charts>/<name>.svg} and returns the Markdown image that shows it
     * from docs/ ({@code benchmarks/<name>.svg}), or an empty string when no charts are written.
     */
    String chart(String name, String alt, Svg svg) throws IOException {
        if (charts == null) {
            return "";
        }
        svg.write(charts.resolve(name + ".svg"));
        return "![" + alt + "](benchmarks/" + name + ".svg)\n\n";
    }
}

package dev.backendrouter.benchmarks.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A line chart over a numeric x axis: series (lines, solid or dashed), point series (dots),
 * labelled vertical and horizontal markers, a linear or logarithmic y axis, a legend and a title.
 *
 * <pre>{@code
 * new LineChart("Latency around the kill", "seconds since the kill", "latency (ms)")
 *     .logY()
 *     .line("router p50", xs, p50s, Svg.PALETTE[0], false)
 *     .verticalMarker(0, "primary killed")
 *     .write(Path.of("kill.svg"));
 * }</pre>
 */
public final class LineChart {
    private static final int WIDTH = 820;
    private static final int HEIGHT = 440;
    private static final double LEFT = 74;
    private static final double RIGHT = 24;
    private static final double BOTTOM = 54;

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private final List<Marker> verticals = new ArrayList<>();
    private final List<Marker> horizontals = new ArrayList<>();
    private boolean logY;
    private double xMin = Double.NaN;
    private double xMax = Double.NaN;
    private double yMin = Double.NaN;
    private double yMax = Double.NaN;

    private record Series(String name, double[] x, double[] y, String color, boolean dashed, boolean dots) {
    }

    private record Marker(double value, String label) {
    }

    public LineChart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    /** A logarithmic y axis (values ≤ 0 are left out). */
    public LineChart logY() {
        this.logY = true;
        return this;
    }

    public LineChart xRange(double min, double max) {
        this.xMin = min;
        this.xMax = max;
        return this;
    }

    public LineChart yRange(double min, double max) {
        this.yMin = min;
        this.yMax = max;
        return this;
    }

    /** A line through the points; a NaN y leaves a gap. */
    public LineChart line(String name, double[] x, double[] y, String color, boolean dashed) {
        series.add(new Series(name, x.clone(), y.clone(), color, dashed, false));
        return this;
    }

    /** Dots at the points (NaN y: no dot). */
    public LineChart dots(String name, double[] x, double[] y, String color) {
        series.add(new Series(name, x.clone(), y.clone(), color, false, true));
        return this;
    }

    public LineChart verticalMarker(double x, String label) {
        verticals.add(new Marker(x, label));
        return this;
    }

    public LineChart horizontalMarker(double y, String label) {
        horizontals.add(new Marker(y, label));
        return this;
    }

    public void write(Path file) throws IOException {
        render().write(file);
    }

    public Svg render() {
        Svg svg = new Svg(WIDTH, HEIGHT);
        svg.text(WIDTH / 2.0, 24, title, 16, "middle", true, "#222222");
        List<Svg.LegendEntry> legend = new ArrayList<>();
        for (Series s : series) {
            legend.add(new Svg.LegendEntry(s.name, s.color, s.dots ? Svg.LegendKind.DOT : Svg.LegendKind.LINE, s.dashed));
        }
        svg.legend(LEFT, 48, WIDTH - RIGHT, legend);
        double top = 48 + 18 * legendRows(legend) + 10;
        double plotW = WIDTH - LEFT - RIGHT;
        double plotH = HEIGHT - top - BOTTOM;

        double[] xr = range(true);
        double[] yr = range(false);
        Axis x = new Axis(xr[0], xr[1], LEFT, LEFT + plotW, false, false);
        Axis y = new Axis(yr[0], yr[1], top + plotH, top, logY, Double.isNaN(yMax));

        for (double t : x.ticks()) {
            double px = x.map(t);
            svg.line(px, top, px, top + plotH, Svg.GRID, 1, null);
            svg.text(px, top + plotH + 16, Svg.tickLabel(t), 11, "middle", false, Svg.AXIS);
        }
        for (double t : y.ticks()) {
            double py = y.map(t);
            svg.line(LEFT, py, LEFT + plotW, py, Svg.GRID, 1, null);
            svg.text(LEFT - 6, py + 4, Svg.tickLabel(t), 11, "end", false, Svg.AXIS);
        }
        svg.line(LEFT, top + plotH, LEFT + plotW, top + plotH, Svg.AXIS, 1, null);
        svg.line(LEFT, top, LEFT, top + plotH, Svg.AXIS, 1, null);
        svg.text(LEFT + plotW / 2, HEIGHT - 14, xLabel, 12, "middle", false, Svg.AXIS);
        svg.verticalText(18, top + plotH / 2, yLabel, 12);

        int label = 0;
        for (Marker m : verticals) {
            if (m.value >= x.min && m.value <= x.max) {
                double px = x.map(m.value);
                svg.line(px, top, px, top + plotH, "#888888", 1.2, "4,3");
                svg.text(px + 4, top + 12 + 14 * (label++ % 2), m.label, 11, "start", false, "#555555");
            }
        }
        for (Marker m : horizontals) {
            if (m.value >= y.min && m.value <= y.max) {
                double py = y.map(m.value);
                svg.line(LEFT, py, LEFT + plotW, py, "#888888", 1.2, "4,3");
                svg.text(LEFT + plotW - 4, py - 4, m.label, 11, "end", false, "#555555");
            }
        }
        for (Series s : series) {
            double[] px = new double[s.x.length];
            double[] py = new double[s.x.length];
            for (int i = 0; i < px.length; i++) {
                boolean out = Double.isNaN(s.y[i]) || logY && s.y[i] <= 0 || s.x[i] < x.min || s.x[i] > x.max;
                px[i] = out ? Double.NaN : x.map(s.x[i]);
                py[i] = out ? Double.NaN : y.map(Math.max(y.min, Math.min(y.max, s.y[i])));
            }
            if (s.dots) {
                for (int i = 0; i < px.length; i++) {
                    if (!Double.isNaN(px[i])) {
                        svg.circle(px[i], py[i], 3.5, s.color);
                    }
                }
            } else {
                // dashed lines are the secondary measure of a pair (a max beside a p50): thinner, so the solid ones read first
                svg.polyline(px, py, s.color, s.dashed ? 1.1 : 2, s.dashed ? "5,3" : null);
            }
        }
        return svg;
    }

    private static int legendRows(List<Svg.LegendEntry> entries) {
        double cx = LEFT;
        int rows = 1;
        for (Svg.LegendEntry e : entries) {
            double w = 26 + Svg.textWidth(e.name(), 12) + 18;
            if (cx + w > WIDTH - RIGHT && cx > LEFT) {
                cx = LEFT;
                rows++;
            }
            cx += w;
        }
        return rows;
    }

    private double[] range(boolean forX) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            double[] values = forX ? s.x : s.y;
            for (double v : values) {
                if (!Double.isNaN(v) && (forX || !logY || v > 0)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        for (Marker m : forX ? verticals : horizontals) {
            min = Math.min(min, m.value);
            max = Math.max(max, m.value);
        }
        if (forX) {
            min = Double.isNaN(xMin) ? min : xMin;
            max = Double.isNaN(xMax) ? max : xMax;
        } else {
            if (!logY) {
                min = Math.min(0, min);
            }
            min = Double.isNaN(yMin) ? min : yMin;
            max = Double.isNaN(yMax) ? max * (logY ? 1.5 : 1.02) : yMax;
        }
        if (!Double.isFinite(min) || !Double.isFinite(max)) {
            return logY ? new double[] {1, 10} : new double[] {0, 1};
        }
        if (max <= min) {
            max = logY ? min * 10 : min + 1;
        }
        return new double[] {min, max};
    }

    /** Maps values to pixels and proposes ticks; for a log axis the range widens to whole 1–2–5 steps. */
    private static final class Axis {
        final double min;
        final double max;
        private final double from;
        private final double to;
        private final boolean log;

        Axis(double min, double max, double from, double to, boolean log, boolean roundUp) {
            if (log) {
                min = Math.pow(10, Math.floor(Math.log10(min)));
                double decade = Math.pow(10, Math.floor(Math.log10(max)));
                max = max <= decade * 2 ? decade * 2 : max <= decade * 5 ? decade * 5 : decade * 10;
            } else if (roundUp) {
                double[] ticks = Svg.ticks(min, max, 6);
                double step = ticks.length > 1 ? ticks[1] - ticks[0] : 1;
                if (ticks[ticks.length - 1] < max) {
                    max = ticks[ticks.length - 1] + step;
                }
            }
            this.min = min;
            this.max = max;
            this.from = from;
            this.to = to;
            this.log = log;
        }

        double map(double value) {
            double f = log ? (Math.log10(value) - Math.log10(min)) / (Math.log10(max) - Math.log10(min))
                    : (value - min) / (max - min);
            return from + f * (to - from);
        }

        double[] ticks() {
            return log ? Svg.logTicks(min, max) : Svg.ticks(min, max, 6);
        }
    }
}

package dev.backendrouter.benchmarks.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A grouped bar chart: categories along x, one bar per series in each, an optional whisker from
 * a low to a high value (the spread over rounds), the value above each bar, and labelled
 * horizontal reference lines (a target). A missing value (NaN) is drawn as "not run".
 *
 * <pre>{@code
 * new BarChart("p99 with one slow replica", "p99 latency (ms)")
 *     .categories("all healthy", "one 10× slower")
 *     .series("router", Svg.PALETTE[0], medians, mins, maxes)
 *     .write(Path.of("slow.svg"));
 * }</pre>
 */
public final class BarChart {
    private static final int WIDTH = 820;
    private static final int HEIGHT = 440;
    private static final double LEFT = 74;
    private static final double RIGHT = 24;
    private static final double BOTTOM = 62;
    private static final String REFERENCE = "#C00000";

    private final String title;
    private final String yLabel;
    private final List<String> categories = new ArrayList<>();
    private final List<Series> series = new ArrayList<>();
    private final List<Reference> references = new ArrayList<>();
    private String unit = "";

    private record Series(String name, String color, double[] values, double[] low, double[] high) {
    }

    private record Reference(double value, String label) {
    }

    public BarChart(String title, String yLabel) {
        this.title = title;
        this.yLabel = yLabel;
    }

    public BarChart categories(String... names) {
        categories.addAll(List.of(names));
        return this;
    }

    /** A unit appended to the value printed above each bar ({@code " ms"}). */
    public BarChart unit(String unit) {
        this.unit = unit;
        return this;
    }

    /** One value per category; {@code low}/{@code high} may be {@code null} for no whiskers. */
    public BarChart series(String name, String color, double[] values, double[] low, double[] high) {
        if (values.length != categories.size()) {
            throw new IllegalArgumentException("one value per category: " + categories);
        }
        series.add(new Series(name, color, values.clone(), low == null ? null : low.clone(), high == null ? null : high.clone()));
        return this;
    }

    public BarChart referenceLine(double value, String label) {
        references.add(new Reference(value, label));
        return this;
    }

    public void write(Path file) throws IOException {
        render().write(file);
    }

    public Svg render() {
        Svg svg = new Svg(WIDTH, HEIGHT);
        svg.text(WIDTH / 2.0, 24, title, 16, "middle", true, "#222222");
        List<Svg.LegendEntry> legend = new ArrayList<>();
        series.forEach(s -> legend.add(new Svg.LegendEntry(s.name, s.color, Svg.LegendKind.BAR, false)));
        references.forEach(r -> legend.add(new Svg.LegendEntry(r.label, REFERENCE, Svg.LegendKind.LINE, true)));
        svg.legend(LEFT, 48, WIDTH - RIGHT, legend);
        double top = 76;
        double plotW = WIDTH - LEFT - RIGHT;
        double plotH = HEIGHT - top - BOTTOM;

        double max = 0;
        for (Series s : series) {
            for (int i = 0; i < s.values.length; i++) {
                max = Math.max(max, finite(s.high != null ? s.high[i] : s.values[i]));
                max = Math.max(max, finite(s.values[i]));
            }
        }
        for (Reference r : references) {
            max = Math.max(max, r.value);
        }
        double[] ticks = Svg.ticks(0, max > 0 ? max * 1.1 : 1, 6);
        double step = ticks.length > 1 ? ticks[1] - ticks[0] : 1;
        double yMax = ticks[ticks.length - 1] < max * 1.1 ? ticks[ticks.length - 1] + step : ticks[ticks.length - 1];
        double bottom = top + plotH;

        for (double t : ticks) {
            double py = bottom - t / yMax * plotH;
            svg.line(LEFT, py, LEFT + plotW, py, Svg.GRID, 1, null);
            svg.text(LEFT - 6, py + 4, Svg.tickLabel(t), 11, "end", false, Svg.AXIS);
        }
        svg.line(LEFT, bottom, LEFT + plotW, bottom, Svg.AXIS, 1, null);
        svg.line(LEFT, top, LEFT, bottom, Svg.AXIS, 1, null);
        svg.verticalText(18, top + plotH / 2, yLabel, 12);

        double groupW = plotW / Math.max(1, categories.size());
        double barW = Math.min(56, groupW * 0.8 / Math.max(1, series.size()));
        for (int c = 0; c < categories.size(); c++) {
            double groupX = LEFT + c * groupW;
            svg.text(groupX + groupW / 2, bottom + 18, categories.get(c), 12, "middle", false, Svg.AXIS);
            double x0 = groupX + (groupW - barW * series.size()) / 2;
            for (int s = 0; s < series.size(); s++) {
                Series ser = series.get(s);
                double x = x0 + s * barW;
                double v = ser.values[c];
                if (Double.isNaN(v)) {
                    svg.text(x + barW / 2, bottom - 6, "not run", 10, "middle", false, "#888888");
                    continue;
                }
                double h = v / yMax * plotH;
                svg.rect(x + 2, bottom - h, barW - 4, h, ser.color, null);
                double labelY = bottom - h - 4;
                if (ser.low != null && ser.high != null && !Double.isNaN(ser.low[c]) && !Double.isNaN(ser.high[c])) {
                    double lo = bottom - ser.low[c] / yMax * plotH;
                    double hi = bottom - ser.high[c] / yMax * plotH;
                    double mid = x + barW / 2;
                    svg.line(mid, lo, mid, hi, "#222222", 1.2, null);
                    svg.line(mid - 5, lo, mid + 5, lo, "#222222", 1.2, null);
                    svg.line(mid - 5, hi, mid + 5, hi, "#222222", 1.2, null);
                    labelY = Math.min(labelY, hi - 4);
                }
                svg.text(x + barW / 2, labelY, Markdown.num(v) + unit, 10, "middle", false, "#222222");
            }
        }
        for (Reference r : references) {
            double py = bottom - r.value / yMax * plotH;
            svg.line(LEFT, py, LEFT + plotW, py, REFERENCE, 1.2, "5,3");
        }
        svg.text(LEFT + plotW / 2, HEIGHT - 12, "bars: median over rounds; whiskers: min–max", 11, "middle", false, "#666666");
        return svg;
    }

    private static double finite(double value) {
        return Double.isFinite(value) ? value : 0;
    }
}

package dev.backendrouter.benchmarks.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A minimal SVG canvas: lines, rectangles, text, polylines and dots on a white background, plus
 * the tick and legend helpers the charts share. No dependencies; the output is plain SVG 1.1.
 */
public final class Svg {
    /** Colours that stay apart in print and for common colour blindness (Okabe–Ito). */
    public static final String[] PALETTE = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"};
    static final String FONT = "font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\"";
    static final String GRID = "#e4e4e4";
    static final String AXIS = "#444444";

    private final int width;
    private final int height;
    private final StringBuilder body = new StringBuilder();

    public Svg(int width, int height) {
        this.width = width;
        this.height = height;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public Svg line(double x1, double y1, double x2, double y2, String stroke, double strokeWidth, String dash) {
        body.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"%.1f\"%s/>%n",
                x1, y1, x2, y2, stroke, strokeWidth, dash == null ? "" : " stroke-dasharray=\"" + dash + "\""));
        return this;
    }

    public Svg rect(double x, double y, double w, double h, String fill, String stroke) {
        body.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"%s/>%n",
                x, y, Math.max(0, w), Math.max(0, h), fill, stroke == null ? "" : " stroke=\"" + stroke + "\""));
        return this;
    }

    public Svg circle(double cx, double cy, double r, String fill) {
        body.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\"/>%n", cx, cy, r, fill));
        return this;
    }

    /** Text; {@code anchor} is {@code start}, {@code middle} or {@code end}. */
    public Svg text(double x, double y, String text, int size, String anchor, boolean bold, String fill) {
        body.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" %s font-size=\"%d\" text-anchor=\"%s\"%s fill=\"%s\">%s</text>%n",
                x, y, FONT, size, anchor, bold ? " font-weight=\"bold\"" : "", fill, escape(text)));
        return this;
    }

    /** Text turned 90° counter-clockwise around its anchor point (a y-axis label). */
    public Svg verticalText(double x, double y, String text, int size) {
        body.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" %s font-size=\"%d\" text-anchor=\"middle\" fill=\"%s\" "
                + "transform=\"rotate(-90 %.1f %.1f)\">%s</text>%n", x, y, FONT, size, AXIS, x, y, escape(text)));
        return this;
    }

    /** A polyline through the points; NaN values break it into separate runs. */
    public Svg polyline(double[] xs, double[] ys, String stroke, double strokeWidth, String dash) {
        List<String> run = new ArrayList<>();
        for (int i = 0; i <= xs.length; i++) {
            boolean gap = i == xs.length || Double.isNaN(xs[i]) || Double.isNaN(ys[i]);
            if (!gap) {
                run.add(String.format(Locale.ROOT, "%.1f,%.1f", xs[i], ys[i]));
                continue;
            }
            if (run.size() == 1) {
                String[] point = run.get(0).split(",");
                circle(Double.parseDouble(point[0]), Double.parseDouble(point[1]), strokeWidth, stroke);
            } else if (run.size() > 1) {
                body.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"%.1f\" "
                        + "stroke-linejoin=\"round\"%s points=\"%s\"/>%n", stroke, strokeWidth,
                        dash == null ? "" : " stroke-dasharray=\"" + dash + "\"", String.join(" ", run)));
            }
            run.clear();
        }
        return this;
    }

    /** One legend entry per name, left to right from {@code x}, wrapping before {@code maxX}. */
    public Svg legend(double x, double y, double maxX, List<LegendEntry> entries) {
        double cx = x;
        double cy = y;
        for (LegendEntry entry : entries) {
            double w = 26 + textWidth(entry.name(), 12) + 18;
            if (cx + w > maxX && cx > x) {
                cx = x;
                cy += 18;
            }
            switch (entry.kind()) {
                case BAR -> rect(cx, cy - 9, 16, 10, entry.color(), null);
                case DOT -> circle(cx + 8, cy - 4, 4, entry.color());
                case LINE -> line(cx, cy - 4, cx + 18, cy - 4, entry.color(), 2.5, entry.dashed() ? "5,3" : null);
            }
            text(cx + 24, cy, entry.name(), 12, "start", false, AXIS);
            cx += w;
        }
        return this;
    }

    /** How a legend entry is drawn. */
    public enum LegendKind { LINE, BAR, DOT }

    public record LegendEntry(String name, String color, LegendKind kind, boolean dashed) {
    }

    /** A rough width of text in a sans-serif font, for layout. */
    public static double textWidth(String text, int size) {
        return text.length() * size * 0.56;
    }

    /** Roughly 4–8 round tick values covering {@code [min, max]}. */
    public static double[] ticks(double min, double max, int target) {
        if (!(max > min)) {
            max = min + 1;
        }
        double raw = (max - min) / Math.max(1, target);
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = magnitude;
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * magnitude >= raw) {
                step = m * magnitude;
                break;
            }
        }
        double first = Math.ceil(min / step - 1e-9) * step;
        List<Double> ticks = new ArrayList<>();
        for (double t = first; t <= max + step * 1e-9; t += step) {
            ticks.add(Math.abs(t) < step * 1e-9 ? 0 : t);
        }
        return ticks.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** 1–2–5 ticks per decade covering {@code [min, max]} (both positive). */
    public static double[] logTicks(double min, double max) {
        List<Double> ticks = new ArrayList<>();
        for (double decade = Math.pow(10, Math.floor(Math.log10(min))); decade <= max; decade *= 10) {
            for (double m : new double[] {1, 2, 5}) {
                double t = m * decade;
                if (t >= min * (1 - 1e-9) && t <= max * (1 + 1e-9)) {
                    ticks.add(t);
                }
            }
        }
        return ticks.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** A tick label without needless decimals: 0.5, 2, 250, 1,000. */
    public static String tickLabel(double value) {
        double abs = Math.abs(value);
        if (abs >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        if (value == Math.rint(value)) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        String text = String.format(Locale.ROOT, abs >= 1 ? "%.2f" : "%.3f", value);
        return text.replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    @Override
    public String toString() {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">%n",
                        width, height, width, height)
                + String.format(Locale.ROOT, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>%n", width, height)
                + body + "</svg>\n";
    }

    public void write(Path file) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.writeString(file, toString(), StandardCharsets.UTF_8);
    }
}

package dev.backendrouter.benchmarks.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Markdown tables and the number formats the benchmark fragments share. */
public final class Markdown {
    private Markdown() {
    }

    /** A table with a header row; cells may not contain line breaks ({@code |} is escaped). */
    public static final class Table {
        private final List<String> header;
        private final List<List<String>> rows = new ArrayList<>();

        public Table(String... header) {
            this.header = List.of(header);
        }

        public Table row(String... cells) {
            if (cells.length != header.size()) {
                throw new IllegalArgumentException("expected " + header.size() + " cells, got " + Arrays.toString(cells));
            }
            rows.add(List.of(cells));
            return this;
        }

        public boolean isEmpty() {
            return rows.isEmpty();
        }

        @Override
        public String toString() {
            StringBuilder out = new StringBuilder();
            line(out, header);
            out.append('|');
            header.forEach(h -> out.append("---|"));
            out.append('\n');
            rows.forEach(row -> line(out, row));
            return out.toString();
        }

        private static void line(StringBuilder out, List<String> cells) {
            out.append('|');
            for (String cell : cells) {
                out.append(' ').append(cell.replace("|", "\\|")).append(" |");
            }
            out.append('\n');
        }
    }

    /** A number with about three significant digits: 12,345 / 123 / 12.3 / 1.23 / 0.123. */
    public static String num(double value) {
        if (Double.isNaN(value)) {
            return "–";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "∞" : "-∞";
        }
        double abs = Math.abs(value);
        if (abs >= 1000 || value == Math.rint(value)) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        if (abs >= 100) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        if (abs >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        if (abs >= 1) {
            return String.format(Locale.ROOT, "%.2f", value);
        }
        return String.format(Locale.ROOT, "%.3f", value);
    }

    /** {@code value} with a fixed number of decimals. */
    public static String fixed(double value, int decimals) {
        if (Double.isNaN(value)) {
            return "–";
        }
        // no "-0.0" for a value that rounds to zero
        double rounded = Math.abs(value) < 0.5 * Math.pow(10, -decimals) ? 0 : value;
        return String.format(Locale.ROOT, "%." + decimals + "f", rounded);
    }

    /** A duration in seconds without needless decimals: {@code 3 s}, {@code 2.5 s}. */
    public static String seconds(java.time.Duration duration) {
        String s = String.format(Locale.ROOT, "%.2f", duration.toMillis() / 1000.0);
        return s.replaceAll("\\.?0+$", "") + " s";
    }

    /** A ratio such as {@code 0.97×}. */
    public static String ratio(double value) {
        return Double.isNaN(value) ? "–" : fixed(value, 2) + "×";
    }

    /** A percentage of a fraction: 0.99512 → {@code 99.51%}. */
    public static String percent(double fraction, int decimals) {
        return Double.isNaN(fraction) ? "–" : fixed(fraction * 100, decimals) + "%";
    }

    /** {@code median (min–max)} with a unit suffix ({@code ""}, {@code " ms"}, {@code "×"}). */
    public static String spread(Stats.Spread spread, String unit) {
        return spread(spread, Markdown::num, unit);
    }

    /** {@code median (min–max)} with the given number format. */
    public static String spread(Stats.Spread spread, java.util.function.DoubleFunction<String> format, String unit) {
        if (spread.count() == 0) {
            return "–";
        }
        String median = format.apply(spread.median()) + unit;
        if (spread.count() == 1) {
            return median;
        }
        return median + " (" + format.apply(spread.min()) + "–" + format.apply(spread.max()) + ")";
    }

    /** The verdict of a target: {@code yes}, or a bold {@code **no**} that cannot be overlooked. */
    public static String verdict(boolean met) {
        return met ? "yes" : "**no**";
    }
}

package dev.backendrouter.benchmarks.report;

import java.util.Arrays;
import java.util.Collection;

/** Medians, spreads and percentiles of benchmark numbers. */
public final class Stats {
    private Stats() {
    }

    /** A median with the smallest and largest value it was taken from (one value per round). */
    public record Spread(double median, double min, double max, int count) {
        public static Spread of(double... values) {
            if (values.length == 0) {
                return new Spread(Double.NaN, Double.NaN, Double.NaN, 0);
            }
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            return new Spread(Stats.median(sorted), sorted[0], sorted[sorted.length - 1], sorted.length);
        }

        public static Spread of(Collection<? extends Number> values) {
            return of(values.stream().mapToDouble(Number::doubleValue).toArray());
        }
    }

    /** The median of {@code values} (the mean of the middle two for an even count); NaN when empty. */
    public static double median(double... values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /**
     * The nearest-rank percentile ({@code p} in 0–100) of values already sorted ascending; 0 when
     * there are none.
     */
    public static long percentile(long[] sorted, int size, double p) {
        if (size == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * size);
        return sorted[Math.min(size - 1, Math.max(0, rank - 1))];
    }

    public static long percentile(long[] sorted, double p) {
        return percentile(sorted, sorted.length, p);
    }
}

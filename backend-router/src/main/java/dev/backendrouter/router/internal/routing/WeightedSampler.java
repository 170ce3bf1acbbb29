package dev.backendrouter.router.internal.routing;

import java.util.random.RandomGenerator;

/**
 * Draws an index with probability proportional to its weight in O(1), by Vose's alias method;
 * built once per tier.
 */
final class WeightedSampler {
    private final double[] probability;
    private final int[] alias;
    private final boolean uniform;

    WeightedSampler(int[] weights) {
        int n = weights.length;
        probability = new double[n];
        alias = new int[n];
        boolean allEqual = true;
        long total = 0;
        for (int weight : weights) {
            total += weight;
            allEqual &= weight == weights[0];
        }
        uniform = allEqual;
        if (uniform || n == 0) {
            return;
        }
        double[] scaled = new double[n];
        int[] small = new int[n];
        int[] large = new int[n];
        int smallCount = 0;
        int largeCount = 0;
        for (int i = 0; i < n; i++) {
            scaled[i] = (double) weights[i] * n / total;
            if (scaled[i] < 1.0) {
                small[smallCount++] = i;
            } else {
                large[largeCount++] = i;
            }
        }
        while (smallCount > 0 && largeCount > 0) {
            int less = small[--smallCount];
            int more = large[--largeCount];
            probability[less] = scaled[less];
            alias[less] = more;
            scaled[more] = scaled[more] + scaled[less] - 1.0;
            if (scaled[more] < 1.0) {
                small[smallCount++] = more;
            } else {
                large[largeCount++] = more;
            }
        }
        while (largeCount > 0) {
            probability[large[--largeCount]] = 1.0;
        }
        while (smallCount > 0) {
            probability[small[--smallCount]] = 1.0;
        }
    }

    int sample(RandomGenerator random) {
        int column = random.nextInt(probability.length);
        if (uniform) {
            return column;
        }
        return random.nextDouble() < probability[column] ? column : alias[column];
    }
}

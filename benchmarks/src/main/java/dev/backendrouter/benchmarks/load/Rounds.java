package dev.backendrouter.benchmarks.load;

import dev.backendrouter.benchmarks.report.Markdown;
import dev.backendrouter.benchmarks.report.Stats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sides of a scenario run side by side: every round runs every side once, the order
 * reversed every other round (A B C, C B A, A B C …) so neither side always runs first on a
 * warming machine. In {@link #mirrored()} rounds every side runs twice for half as long, in the
 * order and then its mirror (A B B A, B A A B …), and its two halves are combined: a drift over
 * the round (a JIT still warming, a neighbour's load fading) then weighs on every side alike.
 * Each side's run returns its numbers by name.
 */
final class Rounds {
    /** One run of one side; returns its numbers (calls, throughput, p50Ms …). */
    interface Side {
        Map<String, Double> run() throws Exception;
    }

    private final Map<String, Side> sides = new LinkedHashMap<>();
    private final Map<String, List<Map<String, Double>>> results = new LinkedHashMap<>();
    private boolean mirrored;

    Rounds side(String name, Side side) {
        sides.put(name, side);
        results.put(name, new ArrayList<>());
        return this;
    }

    /** Each side runs twice per round, A B B A; its sides must then run for half the round's time each. */
    Rounds mirrored() {
        this.mirrored = true;
        return this;
    }

    Rounds run(Context context, int rounds) throws Exception {
        List<String> names = new ArrayList<>(sides.keySet());
        for (int round = 0; round < rounds; round++) {
            List<String> order = new ArrayList<>(names);
            if (round % 2 == 1) {
                java.util.Collections.reverse(order);
            }
            Map<String, List<Map<String, Double>>> halves = new LinkedHashMap<>();
            List<String> sequence = new ArrayList<>(order);
            if (mirrored) {
                List<String> mirror = new ArrayList<>(order);
                java.util.Collections.reverse(mirror);
                sequence.addAll(mirror);
            }
            for (String name : sequence) {
                halves.computeIfAbsent(name, k -> new ArrayList<>()).add(sides.get(name).run());
            }
            for (String name : order) {
                Map<String, Double> numbers = combine(halves.get(name));
                results.get(name).add(numbers);
                context.log("    round %d/%d  %-44s %s", round + 1, rounds, name, brief(numbers));
            }
        }
        return this;
    }

    /** Counts add up; every other number (rates, percentiles) is the mean of the halves. */
    private static Map<String, Double> combine(List<Map<String, Double>> halves) {
        if (halves.size() == 1) {
            return halves.get(0);
        }
        Map<String, Double> combined = new LinkedHashMap<>();
        for (String key : halves.get(0).keySet()) {
            double sum = halves.stream().mapToDouble(h -> h.get(key)).sum();
            combined.put(key, key.equals("calls") || key.equals("failures") ? sum : sum / halves.size());
        }
        return combined;
    }

    /** Adds a round's numbers of a side run outside {@link #run} (sides that must run at the same time). */
    void record(Context context, int round, String side, Map<String, Double> numbers) {
        results.computeIfAbsent(side, k -> new ArrayList<>()).add(numbers);
        context.log("    round %d/%d  %-44s %s", round + 1, context.rounds(), side, brief(numbers));
    }

    private static String brief(Map<String, Double> numbers) {
        StringBuilder out = new StringBuilder();
        numbers.forEach((k, v) -> out.append(k).append('=').append(Markdown.num(v)).append(' '));
        return out.toString().trim();
    }

    boolean has(String side) {
        return results.containsKey(side) && !results.get(side).isEmpty();
    }

    /** One number of one side over the rounds. */
    Stats.Spread spread(String side, String key) {
        return Stats.Spread.of(values(side, key));
    }

    double[] values(String side, String key) {
        return results.getOrDefault(side, List.of()).stream().mapToDouble(m -> m.getOrDefault(key, Double.NaN)).toArray();
    }

    /** {@code a / b} of one number, round by round (the two sides of a round ran back to back). */
    Stats.Spread ratio(String a, String b, String key) {
        return ratio(a, key, b, key);
    }

    Stats.Spread ratio(String a, String keyA, String b, String keyB) {
        double[] x = values(a, keyA);
        double[] y = values(b, keyB);
        double[] ratios = new double[Math.min(x.length, y.length)];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = x[i] / y[i];
        }
        return Stats.Spread.of(ratios);
    }

    /** The round (from 0) whose value of {@code key} is the median; a NaN counts as the largest. */
    int medianRound(String side, String key) {
        double[] values = values(side, key);
        Integer[] order = new Integer[values.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(Double.isNaN(values[a]) ? Double.MAX_VALUE : values[a],
                Double.isNaN(values[b]) ? Double.MAX_VALUE : values[b]));
        return order[(order.length - 1) / 2];
    }

    /** The sum of one number over the rounds (calls, failures). */
    double sum(String side, String key) {
        double sum = 0;
        for (double v : values(side, key)) {
            sum += v;
        }
        return sum;
    }

    /** Per side, the numbers of every round. */
    Map<String, Object> json() {
        return new LinkedHashMap<>(results);
    }
}

package dev.backendrouter.router.reliability;

import java.util.Arrays;

/**
 * The fuzzers' sizes. By default each runs its fixed seeds and count, so the suite's figures are
 * the same on every run. On demand, a long run:
 *
 * <pre>mvn -pl backend-router test -Dtest='BadTopology*MutationTest,BadRegistryAnswerMutationTest' -Dfuzz.seeds=200 -Dfuzz.cases=2000</pre>
 *
 * {@code fuzz.seeds} is how many seeds (the fixed ones, then more derived from them),
 * {@code fuzz.cases} the mutants per seed, and {@code fuzz.seed} replays the one seed a failure
 * named. A run sized so prints its figures instead of recording them.
 */
final class Fuzz {
    private Fuzz() {
    }

    /** Whether this run was sized on the command line. */
    static boolean sizedOnDemand() {
        return System.getProperty("fuzz.seeds") != null || System.getProperty("fuzz.cases") != null
                || System.getProperty("fuzz.seed") != null;
    }

    static long[] seeds(long... fixed) {
        String one = System.getProperty("fuzz.seed");
        if (one != null) {
            return new long[] {Long.parseLong(one.trim())};
        }
        int count = Integer.getInteger("fuzz.seeds", fixed.length);
        long[] seeds = Arrays.copyOf(fixed, Math.max(1, count));
        for (int i = fixed.length; i < seeds.length; i++) {
            seeds[i] = fixed[i % fixed.length] * 1_000_003L + i;
        }
        return seeds;
    }

    static int cases(int fixed) {
        return Integer.getInteger("fuzz.cases", fixed);
    }

    /** Records a figure of the fixed run; prints it for a run sized on demand. */
    static void figure(String figure, long value) {
        if (sizedOnDemand()) {
            System.out.println("fuzz: " + figure + ": " + value);
        } else {
            Figures.record(BadTopologyCorpusTest.SUITE, figure, value);
        }
    }
}

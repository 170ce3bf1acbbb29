package dev.backendrouter.benchmarks.load;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of {@link LoadSuite}:
 * {@code [--quick | --full] [--nginx PATH] [--out DIR] [--charts DIR] [--only ID,ID]}.
 *
 * @param only scenario ids to run (all when empty), for trying one scenario at a time
 */
record SuiteOptions(boolean full, Path nginx, Path out, Path charts, List<String> only) {
    static final String USAGE = """
            usage: LoadSuite [--quick | --full] [--nginx PATH] [--out DIR] [--charts DIR] [--only ID,ID...]
              --quick        3 rounds of short legs, about 6 minutes on 2 cores (the default)
              --full         5 rounds of longer legs, about 20 minutes
              --nginx PATH   the nginx binary for the nginx baselines; without it they are reported as not run
              --out DIR      writes DIR/load.json (every raw number) and DIR/load.md (the Markdown fragment)
              --charts DIR   writes the SVG charts there; load.md links them as benchmarks/NAME.svg
              --only IDS     runs only these scenarios: throughput, latency, flaky, kill, slow-replica, retry-storm, hedging, redis-cache
            """;

    static SuiteOptions parse(String... args) {
        boolean full = false;
        Path nginx = null;
        Path out = null;
        Path charts = null;
        List<String> only = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> full = false;
                case "--full" -> full = true;
                case "--nginx" -> nginx = Path.of(value(args, ++i));
                case "--out" -> out = Path.of(value(args, ++i));
                case "--charts" -> charts = Path.of(value(args, ++i));
                case "--only" -> only.addAll(List.of(value(args, ++i).split(",")));
                default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'\n" + USAGE);
            }
        }
        return new SuiteOptions(full, nginx, out, charts, List.copyOf(only));
    }

    private static String value(String[] args, int i) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value\n" + USAGE);
        }
        return args[i];
    }

    int rounds() {
        return full ? 5 : 3;
    }

    String mode() {
        return full ? "full" : "quick";
    }

    boolean selected(String id) {
        return only.isEmpty() || only.contains(id);
    }
}

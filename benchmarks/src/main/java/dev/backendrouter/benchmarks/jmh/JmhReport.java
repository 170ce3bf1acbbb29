package dev.backendrouter.benchmarks.jmh;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.util.ListStatistics;
import org.openjdk.jmh.util.Version;

/** The Markdown fragment of the in-process results: one table per measure, every number from this run. */
final class JmhReport {
    static final int HEAP_TARGET_BYTES = 2048;
    private static final int LARGEST_SHOWN = 8;
    private static final String HEADER = "| measure | baseline | candidate | units | ratio | target | met | alloc B/op (baseline / candidate) |\n"
            + "|---|---|---|---|---|---|---|---|\n";

    /**
     * One benchmark's iterations over every round, as JMH aggregates forks: the mean and the
     * half-width of its 99.9% confidence interval; and the gc profiler's bytes per op.
     */
    record Measured(String unit, double[] iterations, double allocBytes) {
        double score() {
            return statistics().getMean();
        }

        double error() {
            return statistics().getMeanErrorAt(0.999);
        }

        double median() {
            return statistics().getPercentile(50);
        }

        double min() {
            return statistics().getMin();
        }

        double max() {
            return statistics().getMax();
        }

        private ListStatistics statistics() {
            return new ListStatistics(iterations);
        }

        Measured with(Measured more) {
            double[] all = Arrays.copyOf(iterations, iterations.length + more.iterations.length);
            System.arraycopy(more.iterations, 0, all, iterations.length, more.iterations.length);
            double alloc = Double.isNaN(allocBytes) ? more.allocBytes
                    : Double.isNaN(more.allocBytes) ? allocBytes : (allocBytes + more.allocBytes) / 2;
            return new Measured(unit, all, alloc);
        }
    }

    private final JmhSuite.Settings settings;
    private final JmhSuite.Machine machine;
    private final Map<String, Measured> measured;
    private final Map<String, AllocationCheck.Result> allocations;
    private final HeapPerMember.Result heap;
    private final String jdk;

    JmhReport(JmhSuite.Settings settings, JmhSuite.Machine machine, Collection<RunResult> results,
            Map<String, AllocationCheck.Result> allocations, HeapPerMember.Result heap) {
        this.settings = settings;
        this.machine = machine;
        this.measured = index(results);
        this.allocations = allocations;
        this.heap = heap;
        this.jdk = results.stream().findFirst().map(r -> r.getParams().getVmName() + " " + r.getParams().getVmVersion())
                .orElse(machine.jvm());
    }

    /** Results by {@code Class.method} plus their parameters, as {@code MemberScalingBenchmark.read|members=10}. */
    private static Map<String, Measured> index(Collection<RunResult> results) {
        Map<String, Measured> byName = new HashMap<>();
        for (RunResult run : results) {
            BenchmarkParams params = run.getParams();
            String full = params.getBenchmark();
            StringBuilder key = new StringBuilder(full.substring(full.lastIndexOf('.', full.lastIndexOf('.') - 1) + 1));
            for (String name : new TreeSet<>(params.getParamsKeys())) {
                key.append('|').append(name).append('=').append(params.getParam(name));
            }
            List<Double> iterations = new ArrayList<>();
            for (BenchmarkResult fork : run.getBenchmarkResults()) {
                for (IterationResult iteration : fork.getIterationResults()) {
                    iterations.add(iteration.getPrimaryResult().getScore());
                }
            }
            double alloc = Double.NaN;
            for (String name : run.getSecondaryResults().keySet()) {
                if (name.endsWith("gc.alloc.rate.norm")) {
                    alloc = run.getSecondaryResults().get(name).getScore();
                }
            }
            Measured result = new Measured(run.getPrimaryResult().getScoreUnit(),
                    iterations.stream().mapToDouble(Double::doubleValue).toArray(), alloc);
            byName.merge(key.toString(), result, Measured::with);
        }
        return byName;
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("## In-process (JMH)\n\n");
        md.append(settingsLine()).append("\n\n");
        md.append("Scores are the mean ± the half-width of the 99.9% confidence interval, as JMH computes them, "
                + "over every measured iteration of every round. The ratio is the candidate's median iteration over the "
                + "baseline's, followed by its range over every pairing of a candidate iteration with a baseline "
                + "one; a target is met when the median ratio is within it. Allocation is the gc profiler's "
                + "`gc.alloc.rate.norm`.\n\n");
        routedRead(md);
        shardLookup(md);
        nearCache(md);
        memberScaling(md);
        heapPerMember(md);
        return md.toString();
    }

    private String settingsLine() {
        String rounds = settings.rounds() == 1 ? "1 round" : settings.rounds() + " rounds (each pair the other way round in the next)";
        return String.format(Locale.ROOT, "Settings (`--%s`): JMH %s; %s, each benchmark in a fork of its own, a "
                + "measure's baseline and candidate back to back; warm-up %d × %d s, measurement %d × %d s per fork, "
                + "1 thread, average time per call; fork JVM `%s`; %s; %d cores; load average %.1f at the start and "
                + "%.1f at the end (the machine is shared: other work ran beside this).",
                settings.name(), Version.getPlainVersion(), rounds, settings.warmupIterations(), settings.warmupSeconds(),
                settings.iterations(), settings.iterationSeconds(), String.join(" ", JmhSuite.FORK_JVM_ARGS), jdk,
                machine.cores(), machine.loadAtStart(), machine.loadAtEnd());
    }

    private void routedRead(StringBuilder md) {
        md.append("### `group.read` with a no-op call vs hand-written resilience4j\n\n");
        md.append("Candidate: `router.group(\"storage\").read(null, member -> \"ok\")` on a primary and a backup "
                + "(routing, breaker, retry loop). Baseline: the same no-op in `Retry.decorateSupplier(retry, "
                + "CircuitBreaker.decorateSupplier(breaker, ...))`, decorated once, with the router's breaker window "
                + "(50 calls, at least 20) and a 3-attempt retry.\n\n");
        md.append(HEADER);
        Measured base = measured.get("RoutedReadBenchmark.resilience4j");
        Measured router = measured.get("RoutedReadBenchmark.router");
        md.append(row("time per call", "resilience4j", base, "group.read", router, 1.1));
        AllocationCheck.Result baseObjects = allocations.get("resilience4j");
        AllocationCheck.Result routerObjects = allocations.get("router-read");
        boolean fewObjects = routerObjects != null && Math.round(routerObjects.objectsPerCall()) <= 1;
        md.append("| objects allocated per call | ").append(objects(baseObjects)).append(" | ").append(objects(routerObjects))
                .append(" | objects | — | ≤ 1 | ").append(routerObjects == null ? "**no** (not measured)" : met(fewObjects))
                .append(" | ").append(bytes(base)).append(" / ").append(bytes(router)).append(" |\n\n");
        md.append("Objects per call, by class (a class histogram of every object allocated over ")
                .append(routerObjects != null ? String.format(Locale.ROOT, "%,d", routerObjects.calls()) : "a batch of")
                .append(" compiled calls, under the Epsilon collector, which frees nothing):\n\n");
        for (String name : AllocationCheck.CASES) {
            AllocationCheck.Result result = allocations.get(name);
            md.append("- ").append(caseLabel(name)).append(": ").append(result == null ? "not measured (see the log)"
                    : result.classes().isEmpty() ? "none" : classes(result)).append('\n');
        }
        md.append('\n');
        String differ = differences(List.of(new Counted("resilience4j", baseObjects, base),
                new Counted("group.read", routerObjects, router)));
        if (!differ.isEmpty()) {
            md.append("The histogram's bytes per call differ from the gc profiler's for ").append(differ)
                    .append(": the JIT kept or removed different allocations in the plain loop of the check and in "
                            + "JMH's harness.\n\n");
        }
    }

    /** One call's allocation as the class histogram and as the gc profiler counted it. */
    private record Counted(String label, AllocationCheck.Result objects, Measured jmh) {
    }

    /** "resilience4j (80 B against 104 B)" for each call whose two byte counts differ by more than rounding. */
    private static String differences(List<Counted> calls) {
        List<String> differ = new ArrayList<>();
        for (Counted c : calls) {
            if (c.objects() != null && c.jmh() != null && !Double.isNaN(c.jmh().allocBytes())
                    && Math.abs(c.objects().bytesPerCall() - c.jmh().allocBytes()) >= 8) {
                differ.add(String.format(Locale.ROOT, "%s (%.0f B against %.0f B)", c.label(), c.objects().bytesPerCall(),
                        c.jmh().allocBytes()));
            }
        }
        return String.join(" and ", differ);
    }

    private static String caseLabel(String name) {
        return switch (name) {
            case "router-read" -> "`group.read`, unsharded";
            case "resilience4j" -> "resilience4j decorators";
            case "near-cache-hit" -> "near-cache hit through `group.read`";
            case "caffeine" -> "Caffeine `getIfPresent`";
            case "sharded-read" -> "`group.read` on a group of " + String.format(Locale.ROOT, "%,d", AllocationCheck.SHARDED_SHARDS)
                    + " key-range shards";
            case "wide-read" -> "`group.read` on a group of " + String.format(Locale.ROOT, "%,d", AllocationCheck.WIDE_MEMBERS)
                    + " members";
            default -> name;
        };
    }

    private static String classes(AllocationCheck.Result result) {
        return result.classes().stream()
                .map(c -> times(c.perCall()) + " × `" + simpleName(c.name()) + "` (" + c.bytesEach() + " B)")
                .collect(Collectors.joining(", "));
    }

    private static String objects(AllocationCheck.Result result) {
        return result == null ? "not measured" : times(result.objectsPerCall());
    }

    /** 1 for 1.0003 (the histogram's own noise), one decimal otherwise. */
    private static String times(double count) {
        return Math.abs(count - Math.rint(count)) < 0.1 ? String.valueOf(Math.round(count))
                : String.format(Locale.ROOT, "%.1f", count);
    }

    private static String simpleName(String className) {
        String name = switch (className) {
            case "[B" -> "byte[]";
            case "[C" -> "char[]";
            case "[I" -> "int[]";
            case "[J" -> "long[]";
            case "[D" -> "double[]";
            default -> className.startsWith("[L") ? className.substring(2).replace(";", "") + "[]" : className;
        };
        return name.substring(name.lastIndexOf('.') + 1);
    }

    private void shardLookup(StringBuilder md) {
        md.append("### Shard lookup vs `TreeMap.floorEntry`\n\n");
        md.append("Candidate: `ShardIndex.find(key)`, the lookup the router makes (a binary search over the ranges' "
                + "first keys, then a containment check). Baseline: `TreeMap.floorEntry` over the same first keys "
                + "(the key for key ranges, the slot for hash slots), then the same containment check. Ranges cover "
                + "`a`–`zzz` (or slots 0–16383) without gaps; random keys of 1–12 letters from a prepared array.\n\n");
        md.append(HEADER);
        for (String form : List.of("keys", "slots")) {
            for (String shards : List.of("2", "16", "128", "1024")) {
                String params = "|form=" + form + "|shards=" + shards;
                md.append(row((form.equals("keys") ? "key ranges, " : "hash slots, ")
                        + String.format(Locale.ROOT, "%,d", Integer.parseInt(shards)) + " shards",
                        "`TreeMap`", measured.get("ShardLookupBenchmark.treeMap" + params),
                        "`ShardIndex`", measured.get("ShardLookupBenchmark.shardIndex" + params), 1.2));
            }
        }
        md.append('\n');
    }

    private void nearCache(StringBuilder md) {
        md.append("### Near-cache hit vs bare Caffeine\n\n");
        md.append("Candidate: `group.read(null, CallOptions.defaults().withCacheKey(key), call)` on a group with a near "
                + "cache, every key warmed (checked to be a `HIT`), router defaults otherwise (read-your-writes on). "
                + "Baseline: `getIfPresent` on a Caffeine cache (`maximumSize`, `expireAfterWrite`) holding the same "
                + String.format(Locale.ROOT, "%,d", NearCacheHitBenchmark.KEYS) + " keys.\n\n");
        md.append(HEADER);
        md.append(row("cache hit", "Caffeine", measured.get("NearCacheHitBenchmark.caffeine"),
                "router", measured.get("NearCacheHitBenchmark.router"), 1.5));
        md.append('\n');
    }

    private void memberScaling(StringBuilder md) {
        md.append("### Routing cost with 10 to 10,000 members\n\n");
        md.append("A no-op `group.read` in one group of PRIMARY members, each its own backend with its own breaker "
                + "(power of two choices picks among them); each size against the same benchmark at 10 members.\n\n");
        md.append(HEADER);
        Measured ten = measured.get("MemberScalingBenchmark.read|members=10");
        for (String members : List.of("100", "1000", "10000")) {
            md.append(row(String.format(Locale.ROOT, "%,d members", Integer.parseInt(members)), "10 members", ten,
                    String.format(Locale.ROOT, "%,d", Integer.parseInt(members)),
                    measured.get("MemberScalingBenchmark.read|members=" + members), 1.3));
        }
        md.append('\n');
    }

    private void heapPerMember(StringBuilder md) {
        md.append("### Heap per member\n\n");
        md.append("Used heap after full collections (`System.gc()` four times, serial collector, `")
                .append(String.join(" ", HeapPerMember.JVM_ARGS)).append("`) with a router on a ")
                .append(String.format(Locale.ROOT, "%,d", HeapPerMember.MEMBERS)).append("-member topology held, minus the same with a ")
                .append(HeapPerMember.SMALL).append("-member one, divided by the members between; the median of the "
                        + "repetitions, with their range. The topology alone is measured the same way; the router's "
                        + "figure includes it.\n\n");
        md.append("| measure | baseline | candidate | units | ratio | target | met |\n|---|---|---|---|---|---|---|\n");
        if (heap == null || heap.routerBytesPerMember().isEmpty()) {
            md.append("| router, per member | — | not measured (see the log) | B/member | — | ≤ 2 KB | **no** |\n\n");
            return;
        }
        md.append("| router with its topology, per member | — | ").append(spread(heap.routerBytesPerMember()))
                .append(" | B/member | — | ≤ 2 KB (").append(HEAP_TARGET_BYTES).append(" B) | ")
                .append(met(heap.medianRouter() <= HEAP_TARGET_BYTES)).append(" |\n");
        md.append("| of which the topology alone | — | ").append(spread(heap.topologyBytesPerMember()))
                .append(" | B/member | — | — | — |\n\n");
        List<HeapPerMember.PerClass> largest = heap.largestClasses();
        if (!largest.isEmpty()) {
            md.append("Largest shares per member (live class histograms with each router held): ")
                    .append(largest.stream().limit(LARGEST_SHOWN)
                            .map(c -> String.format(Locale.ROOT, "`%s` × %s = %,.0f B", simpleName(c.name()),
                                    times(c.instancesPerMember()), c.bytesPerMember()))
                            .collect(Collectors.joining("; ")))
                    .append(".\n\n");
        }
    }

    private static String spread(List<Double> values) {
        double[] sorted = HeapPerMember.sorted(values);
        return String.format(Locale.ROOT, "%,.0f (%,.0f–%,.0f over %d)", HeapPerMember.median(values), sorted[0],
                sorted[sorted.length - 1], sorted.length);
    }

    /** One table row: the two scores, their ratio of medians with its range, and whether the target is met. */
    private static String row(String measure, String baseName, Measured base, String candidateName, Measured candidate,
            double target) {
        String targetText = String.format(Locale.ROOT, "≤ %.1f×", target);
        if (base == null || candidate == null) {
            return "| " + measure + " | " + baseName + ": " + score(base) + " | " + candidateName + ": " + score(candidate)
                    + " | — | — | " + targetText + " | **no** (not measured) | " + bytes(base) + " / " + bytes(candidate) + " |\n";
        }
        double ratio = candidate.median() / base.median();
        String range = String.format(Locale.ROOT, "%.2f (%.2f–%.2f)", ratio, candidate.min() / base.max(),
                candidate.max() / base.min());
        return "| " + measure + " | " + baseName + ": " + score(base) + " | " + candidateName + ": " + score(candidate)
                + " | " + candidate.unit() + " | " + range + " | " + targetText + " | " + met(ratio <= target) + " | "
                + bytes(base) + " / " + bytes(candidate) + " |\n";
    }

    private static String score(Measured m) {
        if (m == null) {
            return "not measured";
        }
        String pattern = m.score() >= 100 ? "%.0f" : m.score() >= 10 ? "%.1f" : "%.2f";
        String score = String.format(Locale.ROOT, pattern, m.score());
        return Double.isFinite(m.error()) ? score + " ± " + String.format(Locale.ROOT, pattern, m.error()) : score;
    }

    private static String bytes(Measured m) {
        return m == null || Double.isNaN(m.allocBytes()) ? "—" : String.format(Locale.ROOT, "%.0f", m.allocBytes());
    }

    private static String met(boolean met) {
        return met ? "yes" : "**no**";
    }
}

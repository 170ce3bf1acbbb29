package dev.backendrouter.benchmarks.jmh;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The in-process half of the benchmarks: every JMH benchmark of this package with the gc
 * profiler, the allocation check and the heap-per-member measure, written to
 * {@code DIR/jmh.json} (JMH's JSON), {@code DIR/allocations.json}, {@code DIR/heap.json} and the
 * Markdown fragment {@code DIR/jmh.md}.
 *
 * <pre>
 * java -cp benchmarks/target/classes:$(cat benchmarks/target/classpath.txt) \
 *     dev.backendrouter.benchmarks.jmh.JmhSuite [--quick | --full] [--out DIR]
 * </pre>
 */
public final class JmhSuite {
    static final List<String> FORK_JVM_ARGS = List.of("-Xms1g", "-Xmx1g");
    /**
     * How long each benchmark runs. A round runs every benchmark once, in a fork of its own, a
     * measure's baseline and candidate back to back; the second round runs each pair the other way
     * round, so a change in the machine's load between them does not favour one side.
     */
    record Settings(String name, int rounds, int warmupIterations, int warmupSeconds, int iterations, int iterationSeconds,
            int heapRepetitions) {
        static final Settings QUICK = new Settings("quick", 1, 2, 1, 5, 1, 3);
        static final Settings FULL = new Settings("full", 2, 3, 2, 5, 2, 5);
    }

    /** One benchmark method with one set of parameters: one JMH run. */
    private record Run(Class<?> benchmark, String method, Map<String, String> params) {
        String label() {
            return benchmark.getSimpleName() + "." + method + (params.isEmpty() ? "" : " " + params);
        }
    }

    /** What the machine was doing, read at the start and the end of the run. */
    record Machine(int cores, double loadAtStart, double loadAtEnd, String jvm) {
    }

    private JmhSuite() {
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.QUICK;
        Path out = Path.of("jmh-results");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> settings = Settings.QUICK;
                case "--full" -> settings = Settings.FULL;
                case "--out" -> {
                    if (i + 1 == args.length) {
                        usage("--out needs a directory");
                    }
                    out = Path.of(args[++i]);
                }
                case "--help", "-h" -> usage(null);
                default -> usage("unknown option " + args[i]);
            }
        }
        Files.createDirectories(out);
        double loadAtStart = load();
        JsonMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

        System.out.println("== allocation check: objects per call, one JVM per case");
        Map<String, AllocationCheck.Result> allocations = AllocationCheck.runAll(json);
        json.writeValue(out.resolve("allocations.json").toFile(), allocations);

        System.out.println("== heap per member: " + settings.heapRepetitions() + " repetitions");
        HeapPerMember.Result heap = heap(json, settings.heapRepetitions());
        json.writeValue(out.resolve("heap.json").toFile(), heapJson(heap));

        Collection<RunResult> results = jmh(settings, out.resolve("jmh.json"));

        Machine machine = new Machine(Runtime.getRuntime().availableProcessors(), loadAtStart, load(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        String fragment = new JmhReport(settings, machine, results, allocations, heap).markdown();
        Files.writeString(out.resolve("jmh.md"), fragment, StandardCharsets.UTF_8);
        System.out.println();
        System.out.println(fragment);
        System.out.println("Written: " + out.resolve("jmh.md") + ", jmh.json, allocations.json, heap.json");
        System.exit(0);   // the benchmarks' routers are in the forks; nothing here to wait for
    }

    /** The runs of each measure, in the order they run back to back: the baseline first, in the first round. */
    private static List<List<Run>> pairs() {
        List<List<Run>> pairs = new ArrayList<>();
        pairs.add(List.of(new Run(RoutedReadBenchmark.class, "resilience4j", Map.of()),
                new Run(RoutedReadBenchmark.class, "router", Map.of())));
        pairs.add(List.of(new Run(NearCacheHitBenchmark.class, "caffeine", Map.of()),
                new Run(NearCacheHitBenchmark.class, "router", Map.of())));
        for (String form : ShardLookupBenchmark.FORMS) {
            for (String shards : ShardLookupBenchmark.SHARDS) {
                Map<String, String> params = Map.of("form", form, "shards", shards);
                pairs.add(List.of(new Run(ShardLookupBenchmark.class, "treeMap", params),
                        new Run(ShardLookupBenchmark.class, "shardIndex", params)));
            }
        }
        List<Run> scaling = new ArrayList<>();
        for (String members : MemberScalingBenchmark.MEMBERS) {
            scaling.add(new Run(MemberScalingBenchmark.class, "read", Map.of("members", members)));
        }
        pairs.add(scaling);
        return pairs;
    }

    private static Collection<RunResult> jmh(Settings settings, Path result) {
        List<RunResult> results = new ArrayList<>();
        List<List<Run>> pairs = pairs();
        int total = settings.rounds() * pairs.stream().mapToInt(List::size).sum();
        for (int round = 0; round < settings.rounds(); round++) {
            for (List<Run> pair : pairs) {
                List<Run> order = new ArrayList<>(pair);
                if (round % 2 == 1) {
                    Collections.reverse(order);
                }
                for (Run run : order) {
                    System.out.printf(Locale.ROOT, "== JMH %d/%d, round %d: %s%n", results.size() + 1, total, round + 1, run.label());
                    try {
                        results.addAll(new Runner(options(settings, run)).run());
                    } catch (RunnerException e) {
                        System.err.println(run.label() + " did not run: " + e);   // the report says "not measured"
                    }
                }
            }
        }
        ResultFormatFactory.getInstance(ResultFormatType.JSON, result.toString()).writeOut(results);
        return results;
    }

    private static Options options(Settings settings, Run run) {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include("^" + Pattern.quote(run.benchmark().getName() + "." + run.method()) + "$")
                .forks(1)
                .warmupIterations(settings.warmupIterations())
                .warmupTime(TimeValue.seconds(settings.warmupSeconds()))
                .measurementIterations(settings.iterations())
                .measurementTime(TimeValue.seconds(settings.iterationSeconds()))
                .threads(1)
                .addProfiler(GCProfiler.class)
                .jvmArgs(FORK_JVM_ARGS.toArray(String[]::new));
        run.params().forEach(options::param);
        return options.build();
    }

    private static HeapPerMember.Result heap(JsonMapper json, int repetitions) throws Exception {
        String line = Children.runForLastLine(HeapPerMember.JVM_ARGS, HeapPerMember.class, String.valueOf(repetitions));
        return line == null ? null : json.readValue(line, HeapPerMember.Result.class);
    }

    private static Map<String, Object> heapJson(HeapPerMember.Result heap) {
        Map<String, Object> fields = new LinkedHashMap<>();
        if (heap == null) {
            fields.put("error", "the heap measure failed; its output is in the run's log");
            return fields;
        }
        fields.put("members", heap.members());
        fields.put("baselineMembers", heap.small());
        fields.put("collector", heap.gc());
        fields.put("jvmArgs", HeapPerMember.JVM_ARGS);
        fields.put("routerBytesPerMember", heap.routerBytesPerMember());
        fields.put("topologyBytesPerMember", heap.topologyBytesPerMember());
        fields.put("medianRouterBytesPerMember", heap.medianRouter());
        fields.put("medianTopologyBytesPerMember", heap.medianTopology());
        fields.put("targetBytesPerMember", JmhReport.HEAP_TARGET_BYTES);
        fields.put("met", heap.medianRouter() <= JmhReport.HEAP_TARGET_BYTES);
        return fields;
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static void usage(String problem) {
        if (problem != null) {
            System.err.println(problem);
        }
        System.err.println("usage: JmhSuite [--quick | --full] [--out DIR]");
        System.err.println("  --quick  1 round: a fork per benchmark, warm-up 2 x 1 s, measurement 5 x 1 s (default; about 5 minutes)");
        System.err.println("  --full   2 rounds, pairs in opposite orders, warm-up 3 x 2 s, measurement 5 x 2 s (about 15 minutes)");
        System.err.println("  --out    where jmh.json, allocations.json, heap.json and jmh.md go (default jmh-results)");
        System.exit(problem == null ? 0 : 2);
    }
}

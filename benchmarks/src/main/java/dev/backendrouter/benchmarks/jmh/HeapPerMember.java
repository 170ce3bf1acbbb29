package dev.backendrouter.benchmarks.jmh;

import dev.backendrouter.api.Topology;
import dev.backendrouter.router.BackendRouter;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Measure 5: the heap a router keeps per member. Used heap after full collections, with a router
 * on a 10,000-member topology held, minus the same with a 10-member one, over the 9,990 members
 * between; the topology alone is measured the same way, so the router's own share shows. Serial
 * collector, whose {@code System.gc()} is a full, compacting collection.
 */
final class HeapPerMember {
    static final List<String> JVM_ARGS = List.of("-XX:+UseSerialGC", "-Xmx1g");
    static final int MEMBERS = 10_000;
    static final int SMALL = 10;

    /**
     * @param topologyBytesPerMember the topology alone (members, URLs, the group), one value per repetition
     * @param routerBytesPerMember the router with its topology (breakers, member states, routes), one per repetition
     * @param largestClasses where the router's bytes per member go, from live class histograms, largest first
     */
    record Result(int members, int small, String gc, List<Double> topologyBytesPerMember, List<Double> routerBytesPerMember,
            List<PerClass> largestClasses) {
        double medianRouter() {
            return median(routerBytesPerMember);
        }

        double medianTopology() {
            return median(topologyBytesPerMember);
        }
    }

    /** One class's share of the heap per member. */
    record PerClass(String name, double instancesPerMember, double bytesPerMember) {
    }

    private record Retained(long topology, long router) {
    }

    private HeapPerMember() {
    }

    /** Prints the result as one line of JSON; the argument is the number of repetitions. */
    public static void main(String[] args) throws Exception {
        int repetitions = Integer.parseInt(args[0]);
        retained(SMALL);   // a first round loads the classes and fills the JVM's own caches
        retained(MEMBERS);
        List<Double> topology = new ArrayList<>();
        List<Double> router = new ArrayList<>();
        for (int i = 0; i < repetitions; i++) {
            Retained small = retained(SMALL);
            Retained large = retained(MEMBERS);
            topology.add((double) (large.topology() - small.topology()) / (MEMBERS - SMALL));
            router.add((double) (large.router() - small.router()) / (MEMBERS - SMALL));
        }
        System.out.println(JsonMapper.builder().build().writeValueAsString(
                new Result(MEMBERS, SMALL, "serial", topology, router, largestClasses())));
        System.exit(0);
    }

    /** Heap held by a topology of {@code members}, and by it with a router on it. */
    private static Retained retained(int members) {
        long empty = settledHeap();
        Topology topology = Fixtures.primaries("wide", members);
        long withTopology = settledHeap();
        BackendRouter router = Fixtures.router(topology);
        router.group("wide").read(null, Fixtures.NOOP);
        long withRouter = settledHeap();
        Reference.reachabilityFence(router);
        Reference.reachabilityFence(topology);
        router.close();
        return new Retained(withTopology - empty, withRouter - empty);
    }

    /** Live class histograms with each router held; the classes of at least 8 bytes per member. */
    private static List<PerClass> largestClasses() throws Exception {
        Map<String, Histogram.Count> small = liveWith(SMALL);
        Map<String, Histogram.Count> large = liveWith(MEMBERS);
        List<PerClass> classes = new ArrayList<>();
        large.forEach((name, count) -> {
            Histogram.Count added = count.minus(small.get(name));
            double bytes = (double) added.bytes() / (MEMBERS - SMALL);
            if (bytes >= 8) {
                classes.add(new PerClass(name, (double) added.instances() / (MEMBERS - SMALL), bytes));
            }
        });
        classes.sort(Comparator.comparingDouble(PerClass::bytesPerMember).reversed());
        return classes;
    }

    private static Map<String, Histogram.Count> liveWith(int members) throws Exception {
        BackendRouter router = Fixtures.router(Fixtures.primaries("wide", members));
        router.group("wide").read(null, Fixtures.NOOP);
        Map<String, Histogram.Count> live = Histogram.take(false);
        Reference.reachabilityFence(router);
        router.close();
        return live;
    }

    private static long settledHeap() {
        for (int i = 0; i < 4; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    static double[] sorted(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        return sorted;
    }
}

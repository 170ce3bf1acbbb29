package dev.backendrouter.benchmarks.registry;

import dev.backendrouter.benchmarks.report.Markdown;
import dev.backendrouter.benchmarks.report.Stats;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * 1,000 simulated routers watching deployment 123 of a real {@code backend-registry} (its jar, in
 * its own process, on H2): polling every 5 s with {@code If-None-Match}, as a router does against a
 * registry without waiting requests, versus {@code ?wait=30s} waiting requests. A change every 3 s,
 * or every 20 s (deployment 457's status). Measured per side: registry requests per second, the registry
 * process's CPU, and how long after a change each router had it (p50, p99).
 *
 * <p>{@code RegistryWatchBenchmark [--quick | --full] --jar backend-registry.jar --out DIR}
 */
public final class RegistryWatchBenchmark {
    static final int ROUTERS = 1000;
    static final Duration POLL_EVERY = Duration.ofSeconds(5);
    /** A busy registry (a change every 3 s) and a quiet one (every 20 s, still far busier than most). */
    static final List<Duration> CHANGE_EVERY = List.of(Duration.ofSeconds(3), Duration.ofSeconds(20));
    private static final String DETAILS = "/api/backends/deployment/123/details";
    private static final Pattern VERSION = Pattern.compile("\"status\":\"v(\\d+)\"");
    private static final String POLLING = "polling every 5 s";
    private static final String WAITING = "waiting requests (?wait=30s)";

    private RegistryWatchBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        boolean full = List.of(args).contains("--full");
        Path jar = Path.of(value(args, "--jar"));
        Path out = Path.of(value(args, "--out"));
        Duration leg = full ? Duration.ofSeconds(60) : Duration.ofSeconds(40);
        int rounds = full ? 3 : 2;
        Map<String, List<Map<String, Double>>> results = new LinkedHashMap<>();
        long started = System.nanoTime();
        try (RegistryProcess registry = RegistryProcess.start(jar)) {
            for (Duration every : CHANGE_EVERY) {
                results.put(key(POLLING, every), new ArrayList<>());
                results.put(key(WAITING, every), new ArrayList<>());
                for (int round = 0; round < rounds; round++) {
                    List<String> order = round % 2 == 0 ? List.of(POLLING, WAITING) : List.of(WAITING, POLLING);
                    for (String side : order) {
                        System.out.println("== registry watch, a change every " + every.toSeconds() + " s, round " + (round + 1) + ", " + side);
                        results.get(key(side, every)).add(leg(registry, side.equals(WAITING), leg, every));
                    }
                }
            }
        }
        Files.createDirectories(out);
        Files.writeString(out.resolve("registry.md"), report(results, full, leg, rounds, Duration.ofNanos(System.nanoTime() - started)));
        System.out.println("== wrote " + out.resolve("registry.md"));
    }

    /** One side for {@code length}: the routers start, a change every 3 s, figures from the middle of the leg. */
    static String key(String side, Duration every) {
        return side + "|" + every.toSeconds();
    }

    static Map<String, Double> leg(RegistryProcess registry, boolean waiting, Duration length, Duration changeEvery) throws Exception {
        java.util.concurrent.ExecutorService pool = Executors.newFixedThreadPool(2);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
                .executor(pool).build();
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
        Map<Integer, Long> changedAt = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<Long> delays = new ConcurrentLinkedQueue<>();
        AtomicLong requests = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        AtomicBoolean measuring = new AtomicBoolean();
        AtomicBoolean running = new AtomicBoolean(true);
        String first = registry.details();
        String etag = registry.etag();
        int firstVersion = version(first);
        List<Router> routers = new ArrayList<>();
        for (int i = 0; i < ROUTERS; i++) {
            Router router = new Router(registry.base(), http, etag, firstVersion, waiting, changedAt, delays, requests, failures, measuring,
                    running, timers);
            routers.add(router);
            router.begin(waiting ? Duration.ZERO : Duration.ofMillis(ThreadLocalRandom.current().nextLong(POLL_EVERY.toMillis())));
        }
        Thread.sleep(POLL_EVERY.toMillis() + 1000);      // every router has made its first request
        long cpuBefore = registry.cpuNanos();
        long requestsBefore = requests.get();
        long from = System.nanoTime();
        measuring.set(true);     // from here on every change is timed, up to the last one, which every router gets
        int version = firstVersion;
        int changes = 0;
        while (System.nanoTime() - from < length.toNanos()) {
            version++;
            changedAt.put(version, System.nanoTime());
            registry.change(version);
            changes++;
            Thread.sleep(changeEvery.toMillis());
        }
        long elapsed = System.nanoTime() - from;
        long cpu = registry.cpuNanos() - cpuBefore;
        long served = requests.get() - requestsBefore;
        Thread.sleep(POLL_EVERY.toMillis() + 1000);     // the last change reaches every router
        measuring.set(false);
        running.set(false);
        registry.change(version + 1);                   // ends every waiting request, and none asks again
        Thread.sleep(1000);
        timers.shutdownNow();
        pool.shutdownNow();
        long[] sorted = delays.stream().mapToLong(Long::longValue).sorted().toArray();
        Map<String, Double> numbers = new LinkedHashMap<>();
        numbers.put("requestsPerSecond", served / (elapsed / 1e9));
        numbers.put("cpuPercent", 100.0 * cpu / elapsed);
        numbers.put("p50Millis", sorted.length == 0 ? Double.NaN : Stats.percentile(sorted, 50) / 1e6);
        numbers.put("p99Millis", sorted.length == 0 ? Double.NaN : Stats.percentile(sorted, 99) / 1e6);
        numbers.put("seen", (double) sorted.length);
        numbers.put("expected", (double) changes * ROUTERS);
        numbers.put("failures", (double) failures.get());
        return numbers;
    }

    static int version(String body) {
        Matcher match = VERSION.matcher(body);
        return match.find() ? Integer.parseInt(match.group(1)) : 0;
    }

    private static String report(Map<String, List<Map<String, Double>>> results, boolean full, Duration leg, int rounds, Duration took) {
        StringBuilder out = new StringBuilder("## The registry: 1,000 routers watching one deployment\n\n");
        out.append("Measured by `RegistryWatchBenchmark --").append(full ? "full" : "quick").append("` on ").append(LocalDate.now())
                .append(" (").append(took.toMinutes()).append(" min ").append(took.toSecondsPart()).append(" s): the `backend-registry` "
                + "jar in its own process (H2, `--demo`, 50 request threads, default JVM), and in another process 1,000 simulated "
                + "routers on one JDK HttpClient, each with its own ETag. One side polls every 5 s with `If-None-Match` (what a router "
                + "does against a registry without waiting requests); the other asks `?wait=30s` and asks again as soon as an answer "
                + "comes (what `TopologySource.registry` does against this registry). A change every 3 s, then every 20 s "
                + "(deployment 457's status, which is in deployment 123's details). ").append(rounds).append(" rounds of ").append(leg.toSeconds())
                .append(" s per side, alternating; medians with the smallest and largest round in brackets. Both processes share "
                + "the machine's 2 cores.\n\n");
        Markdown.Table table = new Markdown.Table("changes", "side", "registry requests/s", "registry CPU (% of one core)",
                "change → router p50", "change → router p99", "changes seen", "failed requests");
        for (Map.Entry<String, List<Map<String, Double>>> side : results.entrySet()) {
            List<Map<String, Double>> legs = side.getValue();
            String[] parts = side.getKey().split("\\|");
            table.row("every " + parts[1] + " s", parts[0], spread(legs, "requestsPerSecond", 0), spread(legs, "cpuPercent", 1),
                    spread(legs, "p50Millis", 0) + " ms", spread(legs, "p99Millis", 0) + " ms",
                    Markdown.num(legs.stream().mapToDouble(l -> l.get("seen")).sum()) + " of "
                            + Markdown.num(legs.stream().mapToDouble(l -> l.get("expected")).sum()),
                    Markdown.num(legs.stream().mapToDouble(l -> l.get("failures")).sum()));
        }
        out.append(table).append('\n');
        for (Duration every : CHANGE_EVERY) {
            List<Map<String, Double>> polling = results.get(key(POLLING, every));
            List<Map<String, Double>> waiting = results.get(key(WAITING, every));
            out.append("A change every ").append(every.toSeconds()).append(" s, waiting requests ÷ polling: **")
                    .append(String.format("%.2f×", median(waiting, "requestsPerSecond") / median(polling, "requestsPerSecond")))
                    .append("** the registry requests, **")
                    .append(String.format("%.2f×", median(waiting, "cpuPercent") / median(polling, "cpuPercent")))
                    .append("** the registry CPU, **")
                    .append(String.format("%.3f×", median(waiting, "p50Millis") / median(polling, "p50Millis")))
                    .append("** the p50 change-to-router time.\n\n");
        }
        out.append("A waiting router sends one request per change, and one per 30 s when nothing changes; a polling one "
                + "sends one per 5 s whatever happens, and has a change 2.5 s after it on average. So waiting costs the "
                + "registry less when changes are rarer than one per 5 s, and more when they are more frequent, while "
                + "every router has each change sooner. The time to reach all 1,000 is the time to write 1,000 answers on "
                + "the two cores that both processes share.\n");
        return out.toString();
    }

    private static String spread(List<Map<String, Double>> legs, String key, int decimals) {
        double[] values = legs.stream().mapToDouble(l -> l.get(key)).toArray();
        Stats.Spread spread = Stats.Spread.of(values);
        String format = "%,." + decimals + "f";
        return String.format(format, spread.median()) + " (" + String.format(format, spread.min()) + "–"
                + String.format(format, spread.max()) + ")";
    }

    private static double median(List<Map<String, Double>> legs, String key) {
        return Stats.median(legs.stream().mapToDouble(l -> l.get(key)).toArray());
    }

    private static String value(String[] args, String name) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        throw new IllegalArgumentException("usage: RegistryWatchBenchmark [--quick | --full] --jar backend-registry.jar --out DIR");
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static HttpRequest.Builder get(String base, String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
    }

    static long clockTicksToNanos(long ticks) {
        return TimeUnit.SECONDS.toNanos(ticks) / 100;      // USER_HZ is 100 on Linux
    }
}

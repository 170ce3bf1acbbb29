package dev.backendrouter.samples.quickstart;

import dev.backendrouter.api.Topology;
import dev.backendrouter.router.BackendRouter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The quickstart tour: starts simulated backends on loopback, writes a topology with every role,
 * and shows the router at work in eight scenes (the last on a real redis-server, when the machine has one). Exits 0 when every scene met its expectation.
 *
 * <pre>mvn -q -Dtour -DskipTests -pl samples/quickstart -am package</pre>
 */
public final class Tour {
    private static final List<Scene> SCENES = List.of(new FailoverScene(), new ShardScene(), new CacheScene(),
            new ReplicaScene(), new ArchiveScene(), new BreakerScene(), new FlakyScene(), new RedisScene());

    private Tour() {
    }

    public static void main(String[] args) throws Exception {
        // The JDK HttpServer answers ~40 ms late without TCP_NODELAY; the launcher sets it, this covers IDE runs.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        // scene 8 kills Redis on purpose: the router's own line says so; Lettuce's reconnect attempts would repeat it
        System.setProperty("org.slf4j.simpleLogger.log.io.lettuce.core", "error");
        System.exit(run(Console.forSystemOut()));
    }

    /** Runs every scene and prints the summary; returns the process exit code. */
    static int run(Console console) throws Exception {
        long start = System.nanoTime();
        List<Scene.Result> results = new ArrayList<>();
        try (TourContext tour = new TourContext(console)) {
            console.title("Backend Router — a tour on simulated backends");
            startBackends(tour);
            if (!introduce(tour)) {
                console.line("0 of " + SCENES.size() + " scenes ran: the backends did not all answer their health checks");
                return 1;
            }
            for (int i = 0; i < SCENES.size(); i++) {
                Scene scene = SCENES.get(i);
                console.heading(i + 1, scene.title());
                results.add(runScene(scene, tour));
            }
        }
        summarize(console, results, (System.nanoTime() - start) / 1e9);
        return results.stream().allMatch(Scene.Result::passed) ? 0 : 1;
    }

    private static void startBackends(TourContext tour) {
        tour.start("storage-primary", 2, 0);
        tour.start("storage-backup", 2, 0);
        tour.start("storage-archive", 5, 0);
        tour.start("users-a-m", 2, 0);
        tour.start("users-a-m-replica", 1, 0);
        tour.start("users-n-z", 2, 0);
        tour.start("users-n-z-replica", 1, 0);
        tour.start("catalog-cache", 1, 0);
        tour.start("catalog-db", 10, 0);
        tour.start("reports-1", 2, 0);
        tour.start("reports-2", 2, 0);
        tour.start("search-1", 1, 0);
        tour.start("search-2", 1, 0);
        tour.start("backend-1", 3, 0.15);
        tour.start("backend-2", 3, 0.20);
    }

    private static boolean introduce(TourContext tour) throws InterruptedException {
        Console console = tour.console();
        console.line(tour.backendCount() + " simulated backends on loopback (JDK HttpServer): GET /health, data paths, "
                + "error bodies {\"error\":{\"code\",\"message\",\"request_id\"}}");
        console.line("topology: " + tour.topologyFile() + ", ports filled into ${STORAGE_PRIMARY_PORT} and the like");
        try (BackendRouter router = tour.openRouter(new TourListener())) {
            Topology topology = router.topology();
            long roles = topology.groups().stream().flatMap(g -> g.members().stream()).map(m -> m.role()).distinct().count();
            console.line(topology.groups().size() + " groups, " + roles + " roles; waiting for every group to answer GET /health …");
            boolean healthy = router.awaitHealthy(Duration.ofSeconds(10));
            console.line(healthy ? "every group has a healthy member" : "some group has no healthy member after 10 s");
            return healthy;
        }
    }

    private static Scene.Result runScene(Scene scene, TourContext tour) {
        try {
            return scene.run(tour);
        } catch (Exception | AssertionError e) {
            tour.console().verdict(false, "the scene stopped: " + e);
            return new Scene.Result(false, "ran to its end", "stopped: " + e);
        }
    }

    private static void summarize(Console console, List<Scene.Result> results, double seconds) {
        console.heading(SCENES.size() + 1, "Summary");
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            Scene.Result result = results.get(i);
            rows.add(List.of(Integer.toString(i + 1), SCENES.get(i).title().replaceAll(":.*", ""), result.expectation(),
                    result.measured(), !result.passed() ? "FAIL" : result.measured().startsWith("skipped") ? "SKIP" : "PASS"));
        }
        console.table(List.of("#", "scene", "expected", "measured", ""), rows);
        long passed = results.stream().filter(Scene.Result::passed).count();
        console.line(String.format("%d of %d scenes met their expectation in %.1f s", passed, SCENES.size(), seconds));
    }
}

package dev.backendrouter.samples.quickstart;

import dev.backendrouter.router.BackendRouter;
import dev.backendrouter.router.RouterSnapshot;
import java.util.concurrent.ThreadLocalRandom;
import okhttp3.OkHttpClient;

/** Scene 3: a cache service in front of a slower database; a write invalidates what the cache held. */
final class CacheScene implements Scene {
    private static final int ITEMS = 50;
    private static final int READS = 1_000;

    @Override
    public String title() {
        return "Cache first: the cache answers, the database rests";
    }

    @Override
    public Result run(TourContext tour) throws Exception {
        Console console = tour.console();
        SimulatedBackend cache = tour.backend("catalog-cache");
        SimulatedBackend db = tour.backend("catalog-db");
        for (int i = 0; i < ITEMS; i++) {
            db.put("/items/" + i, "{\"id\":" + i + ",\"version\":1}");
        }
        console.line("group catalog: catalog-cache (CACHE, GET/PUT/DELETE, 1 ms) → catalog-db (PRIMARY, 10 ms); "
                + READS + " reads of " + ITEMS + " items, popular ones more often");
        try (BackendRouter router = tour.openRouter(new TourListener())) {
            OkHttpClient http = router.httpClient();
            db.resetCounts();
            long start = System.nanoTime();
            Load reads = Load.start(4, READS, n -> {
                double r = ThreadLocalRandom.current().nextDouble();
                return Http.getSucceeds(http, "http://catalog/items/" + (int) (ITEMS * r * r));
            });
            try (reads) {
                reads.awaitShowing(() -> console.progress(String.format("reads %,d · catalog-db requests %,d",
                        reads.done(), db.requests())));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            RouterSnapshot.CacheSnapshot counts = catalog(router).cache();
            double hitRatio = counts.tierHits() / (double) Math.max(1, counts.tierHits() + counts.tierMisses());
            double dbShare = db.requests() / (double) Math.max(1, reads.done());
            console.line(String.format("%,d reads in %.1f s, %d failed: %.0f%% answered by catalog-cache, catalog-db saw %,d requests "
                    + "(%.0f%% of reads); %,d answers written to the cache in the background",
                    reads.done(), seconds, reads.failed(), hitRatio * 100, db.requests(), dbShare * 100, counts.populated()));

            String cachedBefore = waitUntilCached(http, cache, "/items/7");
            String v2 = "{\"id\":7,\"version\":2}";
            Http.Reply write = Http.put(http, "http://catalog/items/7", null, v2);
            boolean invalidated = waitUntilGone(cache, "/items/7");
            Http.Reply read = Http.get(http, "http://catalog/items/7", null);
            console.line("catalog-cache held /items/7: " + (cachedBefore != null ? cachedBefore : "(not yet)"));
            console.line("PUT /items/7 version 2 → HTTP " + write.status() + "; the router deleted /items/7 from catalog-cache: "
                    + (invalidated ? "yes" : "no"));
            console.line("GET /items/7 → " + read.body());

            boolean passed = reads.failed() == 0 && hitRatio >= 0.5 && dbShare < 0.5 && cachedBefore != null && write.ok()
                    && invalidated && v2.equals(read.body());
            String measured = String.format("hit ratio %.0f%%, db load %.0f%% of reads, invalidated: %s", hitRatio * 100,
                    dbShare * 100, invalidated);
            console.verdict(passed, passed ? "most reads never reach the database; a write is never hidden by the cache"
                    : "expected a hit ratio ≥ 50%, the database under half the reads and the new version read back: " + measured);
            return new Result(passed, "hit ratio ≥ 50%; invalidation on write", measured);
        }
    }

    private static RouterSnapshot.GroupSnapshot catalog(BackendRouter router) {
        return router.snapshot().groups().stream().filter(g -> g.name().equals("catalog")).findFirst().orElseThrow();
    }

    /** Reads {@code path} until the cache member holds it (it is filled in the background); its entry, or null. */
    private static String waitUntilCached(OkHttpClient http, SimulatedBackend cache, String path) throws Exception {
        for (int i = 0; i < 50 && cache.get(path) == null; i++) {
            Http.get(http, "http://catalog" + path, null);
            Thread.sleep(20);
        }
        return cache.get(path);
    }

    private static boolean waitUntilGone(SimulatedBackend cache, String path) throws InterruptedException {
        for (int i = 0; i < 50 && cache.get(path) != null; i++) {
            Thread.sleep(20);
        }
        return cache.get(path) == null;
    }
}

package dev.backendrouter.samples.quickstart;

import dev.backendrouter.router.BackendRouter;
import okhttp3.OkHttpClient;

/** Scene 5: what the hot tiers do not have, the archive may. */
final class ArchiveScene implements Scene {
    private static final String OLD_FILE = "/files/report-2019";

    @Override
    public String title() {
        return "Archive fallback for a 404";
    }

    @Override
    public Result run(TourContext tour) throws Exception {
        Console console = tour.console();
        SimulatedBackend archive = tour.backend("storage-archive");
        String archived = "{\"id\":\"report-2019\",\"copy\":\"archive\"}";
        archive.put(OLD_FILE, archived);
        console.line("group storage: storage-primary → storage-backup → storage-archive (ARCHIVE, asked only after \"not found\")");
        TourListener events = new TourListener();
        try (BackendRouter router = tour.openRouter(events)) {
            OkHttpClient http = router.httpClient();
            events.attempts();
            Http.Reply old = Http.get(http, "http://storage" + OLD_FILE, null);
            console.line("GET " + OLD_FILE + " → HTTP " + old.status() + " " + old.body());
            events.attempts().forEach(console::detail);
            Http.Reply missing = Http.get(http, "http://storage/files/never-written", null);
            console.line("GET /files/never-written → HTTP " + missing.status() + " " + missing.body());
            events.attempts().forEach(console::detail);
            boolean passed = old.status() == 200 && archived.equals(old.body()) && missing.status() == 404
                    && missing.body().contains("NOT_FOUND");
            console.verdict(passed, passed ? "the archive answered what the hot tiers lacked; a file nowhere is a plain 404"
                    : "expected 200 from the archive and 404 for a missing file");
            return new Result(passed, "archive answers after 404s", "old file HTTP " + old.status() + ", missing file HTTP "
                    + missing.status());
        }
    }
}

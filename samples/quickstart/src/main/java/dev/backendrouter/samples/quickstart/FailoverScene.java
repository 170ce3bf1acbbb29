package dev.backendrouter.samples.quickstart;

import dev.backendrouter.router.BackendRouter;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.OkHttpClient;

/** Scene 1: reads under load while the primary is killed and restarted. */
final class FailoverScene implements Scene {
    private static final int FILES = 100;
    private static final long KILL_AT_MILLIS = 1_500;
    private static final long RESTART_AT_MILLIS = 3_000;
    private static final long MIN_RUN_MILLIS = 5_000;
    private static final long MAX_RUN_MILLIS = 9_000;

    private final AtomicReference<String> firstFailure = new AtomicReference<>();

    private boolean read(OkHttpClient http, long n) {
        try {
            Http.Reply reply = Http.get(http, "http://storage/files/" + (n % FILES), null);
            if (!reply.ok()) {
                firstFailure.compareAndSet(null, "HTTP " + reply.status() + " " + reply.body());
            }
            return reply.ok();
        } catch (IOException e) {
            firstFailure.compareAndSet(null, e.getMessage());
            return false;
        }
    }

    @Override
    public String title() {
        return "Failover: the primary dies under load, then comes back";
    }

    @Override
    public Result run(TourContext tour) throws Exception {
        Console console = tour.console();
        SimulatedBackend primary = tour.backend("storage-primary");
        SimulatedBackend backup = tour.backend("storage-backup");
        for (int i = 0; i < FILES; i++) {
            primary.put("/files/" + i, "{\"id\":" + i + ",\"copy\":\"primary\"}");
            backup.put("/files/" + i, "{\"id\":" + i + ",\"copy\":\"backup\"}");
        }
        console.line("group storage: storage-primary (PRIMARY) → storage-backup (BACKUP); 4 threads read /files/0..99");
        TourListener events = new TourListener();
        long primaryBeforeKill = 0;
        long backupDuringOutage = 0;
        long primaryAfterRestart = 0;
        long failbackMillis = -1;
        Load load;
        try (BackendRouter router = tour.openRouter(events)) {
            OkHttpClient http = router.httpClient();
            primary.resetCounts();
            backup.resetCounts();
            long start = System.nanoTime();
            load = Load.start(4, 1_000_000, n -> read(http, n));
            try {
                boolean killed = false;
                boolean restarted = false;
                long restartNanos = 0;
                long backupAtKill = 0;
                while (true) {
                    long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                    if (!killed && elapsed >= KILL_AT_MILLIS) {
                        primaryBeforeKill = primary.requests();
                        backupAtKill = backup.requests();
                        primary.kill();
                        killed = true;
                        console.milestone(String.format("%.1f s  storage-primary killed (%d reads served so far)", elapsed / 1000.0, load.done()));
                    }
                    if (killed && !restarted && elapsed >= RESTART_AT_MILLIS) {
                        backupDuringOutage = backup.requests() - backupAtKill;
                        primary.resetCounts();
                        primary.restart();
                        restartNanos = System.nanoTime();
                        restarted = true;
                        console.milestone(String.format("%.1f s  storage-primary restarted on port %d", elapsed / 1000.0, primary.port()));
                    }
                    events.news().forEach(line -> console.milestone(String.format("%.1f s  %s",
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) / 1000.0, line)));
                    if (restarted && failbackMillis < 0 && primary.firstRequestNanos() != 0) {
                        failbackMillis = TimeUnit.NANOSECONDS.toMillis(primary.firstRequestNanos() - restartNanos);
                        console.milestone(String.format("%.1f s  storage-primary serves reads again (failback %d ms after restart)",
                                elapsed / 1000.0, failbackMillis));
                    }
                    console.progress(String.format("reads %,d · failed %d · primary %s · backup %,d",
                            load.done(), load.failed(), !killed ? "up" : restarted ? "restarted" : "DOWN", backup.requests()));
                    if (elapsed >= MAX_RUN_MILLIS || (elapsed >= MIN_RUN_MILLIS && failbackMillis >= 0)) {
                        break;
                    }
                    Thread.sleep(100);
                }
            } finally {
                load.stop();   // also when a kill or restart throws: no load left running into the next scene
            }
            primaryAfterRestart = primary.requests();
            events.news().forEach(line -> console.milestone(line));
        }
        if (firstFailure.get() != null) {
            console.line("first failed read: " + firstFailure.get());
        }
        console.line(String.format("%,d reads, %d failed: primary served %,d before the kill, the backup %,d while it was down, "
                + "the primary %,d after its restart", load.done(), load.failed(), primaryBeforeKill, backupDuringOutage,
                primaryAfterRestart));
        boolean passed = load.failed() == 0 && primaryBeforeKill > 0 && backupDuringOutage > 0 && primaryAfterRestart > 0;
        String measured = String.format("%,d reads, %d failed; failback %s", load.done(), load.failed(),
                failbackMillis >= 0 ? String.format("%.1f s after restart", failbackMillis / 1000.0) : "not seen");
        console.verdict(passed, passed ? "no read failed; the backup took over and the primary got its traffic back"
                : "expected no failed read, the backup serving during the outage and the primary after: " + measured);
        return new Result(passed, "0 failed reads, failover and failback", measured);
    }
}

package dev.backendrouter.benchmarks.load;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One round of the primary-kill scenario: every side (the router, nginx) reads from its own
 * primary and backup at the same time, at a paced rate; 2.5 s in, every side's primary is killed
 * at once and 2 s later restarted. Reads go on until every side has failed back to its primary
 * (for one second in a row) or until a cap. Everything is counted in 100 ms buckets aligned with
 * the kill: the reads (count, failures, p50, max) and the requests each backend got.
 */
final class KillRound {
    static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    static final int KILL_TICK = 25;
    static final int DOWN_TICKS = 20;
    static final int RESTART_TICK = KILL_TICK + DOWN_TICKS;
    /** A fail-back counts once the primary served ≥ 90% of the requests in ten buckets (1 s) in a row. */
    static final int HOLD_TICKS = 10;
    static final double FAILBACK_SHARE = 0.9;
    /** nginx keeps a failed server out for fail_timeout=30s: a round must outlast that. */
    static final int CAP_TICKS = RESTART_TICK + 340;
    static final Driver.Load LOAD = Driver.Load.paced(8, 400, java.time.Duration.ofNanos(TICK_NANOS * (CAP_TICKS + 20)));

    /** A side: how it reads, and the primary and backup only it reads from. */
    record Side(String name, Driver.Call call, SimBackend primary, SimBackend backup) {
    }

    /** One bucket: seconds since the kill, reads started in it, and the primary's share of backend requests. */
    record Bucket(double t, int calls, int failures, double p50Ms, double maxMs, double primaryShare) {
    }

    record Result(Map<String, Double> numbers, List<Bucket> buckets) {
    }

    private KillRound() {
    }

    static Map<String, Result> run(List<Side> sides) throws InterruptedException {
        List<LongSupplier> counters = new ArrayList<>();
        for (Side side : sides) {
            side.primary().restart();
            side.primary().resetCounts();
            side.backup().resetCounts();
            counters.add(side.primary()::requests);
            counters.add(side.backup()::requests);
        }
        long origin = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        List<Driver.Running> running = new ArrayList<>();
        int[] failback = new int[sides.size()];
        try {
            for (Side side : sides) {
                running.add(Driver.start(LOAD, side.call(), origin));
            }
            Timeline timeline = new Timeline(origin, TICK_NANOS, counters.toArray(LongSupplier[]::new));
            java.util.Arrays.fill(failback, -1);
            int stop = CAP_TICKS;
            for (int k = timeline.next(); k < stop; k = timeline.next()) {
                for (Side side : sides) {
                    if (k == KILL_TICK) {
                        side.primary().kill();
                    } else if (k == RESTART_TICK) {
                        side.primary().restart();
                    }
                }
                boolean all = true;
                for (int s = 0; s < sides.size(); s++) {
                    if (failback[s] < 0 && k - HOLD_TICKS >= RESTART_TICK && heldOnPrimary(timeline, s, k - HOLD_TICKS, k)) {
                        failback[s] = k - HOLD_TICKS;
                    }
                    all &= failback[s] >= 0;
                }
                if (all && stop == CAP_TICKS) {
                    stop = k + 10;
                }
            }
            running.forEach(Driver.Running::stop);
            Map<String, Result> results = new LinkedHashMap<>();
            for (int s = 0; s < sides.size(); s++) {
                results.put(sides.get(s).name(), analyse(running.get(s).await(), timeline, s, failback[s]));
            }
            return results;
        } finally {
            running.forEach(Driver.Running::stop);
            sides.forEach(side -> side.primary().restart());
        }
    }

    private static boolean heldOnPrimary(Timeline timeline, int side, int from, int to) {
        for (int j = from; j < to; j++) {
            if (!(share(timeline, side, j) >= FAILBACK_SHARE)) {
                return false;
            }
        }
        return true;
    }

    private static double share(Timeline timeline, int side, int bucket) {
        long primary = timeline.delta(2 * side, bucket);
        long all = primary + timeline.delta(2 * side + 1, bucket);
        return all == 0 ? Double.NaN : (double) primary / all;
    }

    private static Result analyse(Samples samples, Timeline timeline, int side, int failback) {
        long kill = KILL_TICK * TICK_NANOS;
        long restart = RESTART_TICK * TICK_NANOS;
        int last = timeline.buckets();
        List<Samples.Bucket> raw = samples.buckets(TICK_NANOS, 0, last * TICK_NANOS);
        List<Bucket> buckets = new ArrayList<>();
        for (int j = 0; j < raw.size(); j++) {
            Samples.Bucket b = raw.get(j);
            buckets.add(new Bucket(Math.round((j - KILL_TICK) * 10) / 100.0, b.calls(), b.failures(), b.p50Millis(), b.maxMillis(),
                    share(timeline, side, j)));
        }
        Samples before = samples.window(TICK_NANOS * 5, kill);
        Samples outage = samples.window(kill, restart);
        double baseline = before.percentileMillis(50);
        double threshold = Math.max(2 * baseline, baseline + 1);
        // recovered: from this bucket up to the restart, no failed read and p50 back near its level before the kill
        int recovered = RESTART_TICK;
        for (int j = RESTART_TICK - 1; j >= KILL_TICK; j--) {
            Bucket b = buckets.get(j);
            if (b.failures() > 0 || b.p50Ms() > threshold) {
                break;
            }
            recovered = j;
        }
        Numbers numbers = new Numbers()
                .put("calls", samples.calls())
                .put("failedReads", samples.failures())
                .put("failedReadsAfterKill", samples.window(kill, Long.MAX_VALUE).failures())
                .put("recoverySeconds", recovered == RESTART_TICK ? Double.NaN : (recovered - KILL_TICK) / 10.0)
                .put("failbackSeconds", failback < 0 ? Double.NaN : (failback - RESTART_TICK) / 10.0)
                .put("observedSecondsAfterRestart", (last - RESTART_TICK) / 10.0)
                .put("p50BeforeKillMs", baseline)
                .put("p50OutageMs", outage.percentileMillis(50))
                .put("p99OutageMs", outage.percentileMillis(99))
                .put("maxOutageMs", outage.percentileMillis(100))
                .put("backupRequests", timeline.total(2 * side + 1, 0, last));
        return new Result(numbers.map(), buckets);
    }
}

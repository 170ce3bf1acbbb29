package dev.backendrouter.router.internal.health;

import dev.backendrouter.router.HealthCheckSettings;
import dev.backendrouter.router.internal.routing.DaemonThreads;
import dev.backendrouter.router.internal.routing.MemberRef;
import dev.backendrouter.router.internal.routing.RoutingTable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;

/**
 * Probes every distinct backend of the routing table on one small shared scheduler, with jitter,
 * so probes of many backends do not fire together. Beside the attempt loop, never inside it:
 * calls only read the health it leaves in each member's state.
 */
public final class HealthChecker implements AutoCloseable {
    private static final AtomicInteger ROUTERS = new AtomicInteger();

    private final HealthCheckSettings settings;
    private final dev.backendrouter.router.internal.routing.Events events;
    private final OkHttpClient client;
    private final ScheduledExecutorService scheduler;
    private final DaemonThreads threads;
    private final Map<String, Scheduled> probes = new LinkedHashMap<>();

    /** A probe that schedules its own next run, each after the interval ±10%. */
    private final class Scheduled implements Runnable {
        private final HealthProbe probe;
        private volatile ScheduledFuture<?> next;
        private volatile boolean cancelled;

        Scheduled(HealthProbe probe, long firstDelayNanos) {
            this.probe = probe;
            this.next = scheduler.schedule(this, firstDelayNanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public void run() {
            probe.probe(client);
            if (!cancelled && !scheduler.isShutdown()) {
                long interval = settings.interval().toNanos();
                long jitter = interval / 10;
                next = scheduler.schedule(this, interval - jitter + ThreadLocalRandom.current().nextLong(2 * jitter + 1),
                        TimeUnit.NANOSECONDS);
            }
        }

        void cancel() {
            cancelled = true;
            next.cancel(false);
        }
    }

    /**
     * @param base a client whose pool the probes share; they get the probe timeout and no routing
     */
    public HealthChecker(HealthCheckSettings settings, OkHttpClient base, String service,
            dev.backendrouter.router.internal.routing.Events events) {
        this.settings = settings;
        this.events = events;
        this.client = base.newBuilder().callTimeout(settings.timeout()).followRedirects(false).build();
        this.threads = new DaemonThreads("backend-router-health-" + service + "-" + ROUTERS.incrementAndGet());
        this.scheduler = Executors.newScheduledThreadPool(2, threads);
    }

    /** Starts probing every backend of {@code table} not probed yet, and stops probing the ones it no longer has. */
    public synchronized void track(RoutingTable table) {
        Map<String, MemberRef> wanted = new LinkedHashMap<>();
        table.members().forEach(member -> wanted.putIfAbsent(member.state().url(), member));
        probes.entrySet().removeIf(entry -> {
            boolean gone = !wanted.containsKey(entry.getKey());
            if (gone) {
                entry.getValue().cancel();
            }
            return gone;
        });
        long interval = settings.interval().toNanos();
        // first probes spread over the second half of an interval: awaitHealthy() probes at once when asked
        wanted.forEach((url, member) -> probes.computeIfAbsent(url, u -> new Scheduled(new HealthProbe(member, settings, events),
                        interval / 2 + ThreadLocalRandom.current().nextLong(interval / 2 + 1)))
                .probe.member(member));
    }

    /** Probes every tracked backend once, now, on the checker's threads; does not wait. */
    public void probeAllSoon() {
        List<HealthProbe> current;
        synchronized (this) {
            current = probes.values().stream().map(scheduled -> scheduled.probe).toList();
        }
        current.forEach(probe -> scheduler.execute(() -> probe.probe(client)));
    }

    /** Probes every tracked backend once, now, on the calling thread. */
    public void probeAll() {
        List<HealthProbe> current;
        synchronized (this) {
            current = probes.values().stream().map(scheduled -> scheduled.probe).toList();
        }
        current.forEach(probe -> probe.probe(client));
    }

    @Override
    public synchronized void close() {
        probes.values().forEach(Scheduled::cancel);
        probes.clear();
        threads.shutdown(scheduler);
    }
}

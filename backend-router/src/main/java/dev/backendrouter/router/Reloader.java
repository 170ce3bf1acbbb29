package dev.backendrouter.router;

import dev.backendrouter.api.Problem;
import dev.backendrouter.api.Topology;
import dev.backendrouter.api.TopologyException;
import dev.backendrouter.router.internal.routing.DaemonThreads;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reloads a router's topology now and then, on one daemon thread; a refused topology is logged and heard, never thrown. */
final class Reloader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BackendRouter.class);
    private static final AtomicInteger ROUTERS = new AtomicInteger();

    private final DaemonThreads threads;
    private final ScheduledExecutorService scheduler;
    private final String service;
    private final Runnable reload;
    private final java.util.function.Supplier<Duration> next;
    private final Runnable onClose;

    Reloader(String service, Duration every, Runnable reload) {
        this(service, every, reload, () -> every, () -> { });
    }

    /**
     * @param next when to reload after a reload ({@code every}, or at once while a registry grants waiting requests)
     * @param onClose ends a reload in progress that waits on the network
     */
    Reloader(String service, Duration every, Runnable reload, java.util.function.Supplier<Duration> next, Runnable onClose) {
        this.threads = new DaemonThreads("backend-router-reload-" + service + "-" + ROUTERS.incrementAndGet());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(threads);
        this.service = service;
        this.reload = reload;
        this.next = next;
        this.onClose = onClose;
        schedule(next.get());
    }

    private void schedule(Duration delay) {
        try {
            scheduler.schedule(this::run, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // closed: no more reloads
        }
    }

    private void run() {
        try {
            reload.run();
        } catch (TopologyException e) {
            // already logged and heard by the router
        } catch (RuntimeException e) {
            LOG.warn("Reloading the topology of {} failed; the current one keeps serving: {}", service, e.toString());
        }
        schedule(next.get());
    }

    /** One log line for an applied topology: what changed. */
    static void logApplied(Topology previous, Topology current) {
        List<String> before = members(previous);
        List<String> after = members(current);
        List<String> added = after.stream().filter(m -> !before.contains(m)).toList();
        List<String> removed = before.stream().filter(m -> !after.contains(m)).toList();
        LOG.info("Topology of {} applied (version {} -> {}): {} groups, members added {}, removed {}", current.service(),
                versionLabel(previous), versionLabel(current), current.groups().size(), added, removed);
    }

    /** One log line for a topology whose TLS files changed under the same names. */
    static void logTlsFilesReread(Topology topology, List<String> files) {
        LOG.info("Topology of {}: TLS files changed on disk and were read again, members using them verify with the new "
                + "certificates on new connections: {}", topology.service(),
                files.stream().map(dev.backendrouter.api.internal.Texts::printable).toList());
    }

    private static String versionLabel(Topology topology) {
        return topology.version() != null ? topology.version() : "unversioned";
    }

    /** One log line for a refused topology, with every problem. */
    static void logRejected(String source, List<Problem> problems) {
        LOG.warn("Topology update {} was rejected; the current topology keeps serving. Problems: {}", updateOf(source), problems);
    }

    /**
     * A source as the subject of "Topology update ...": {@code of deployment 123 from the registry at ...}
     * and {@code of file-service} read as they are, a file or another source reads {@code from ...}.
     */
    static String updateOf(String source) {
        return source.startsWith("of ") || source.startsWith("from ") ? source : "from " + source;
    }

    private static List<String> members(Topology topology) {
        return topology.groups().stream().flatMap(g -> g.members().stream().map(m -> g.name() + "/" + m.name())).toList();
    }

    @Override
    public void close() {
        onClose.run();
        threads.shutdown(scheduler);
    }

}

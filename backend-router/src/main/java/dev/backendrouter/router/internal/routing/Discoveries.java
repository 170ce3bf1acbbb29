package dev.backendrouter.router.internal.routing;

import dev.backendrouter.api.BackendMember;
import dev.backendrouter.api.Problem;
import dev.backendrouter.api.internal.Texts;
import dev.backendrouter.router.spi.DiscoveredEndpoint;
import dev.backendrouter.router.spi.DiscoveryException;
import dev.backendrouter.router.spi.DiscoveryTarget;
import dev.backendrouter.router.spi.EndpointWatch;
import dev.backendrouter.router.spi.MemberDiscovery;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The discoveries that fill tiers from a URL that names many endpoints ({@code kubernetes://}), by
 * scheme, and one watch per such URL, kept across routing tables and closed when no table names it.
 * A change of any watch runs {@code onChange} once on this router's own thread, however many came
 * meanwhile: the router then builds one new table.
 */
public final class Discoveries implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Discoveries.class);
    /** Lines operators read go to the router's logger, as reloads do. */
    private static final Logger ROUTER_LOG = LoggerFactory.getLogger("dev.backendrouter.router.BackendRouter");
    /** The module that serves each known scheme, for the message when it is missing. */
    private static final Map<String, String> MODULES = Map.of("kubernetes", "dev.backendrouter:backend-router-kubernetes");
    /** The label of a discovered member that only still serves: {@code ready: "false"}; its plans try it last. */
    public static final String READY_LABEL = "ready";

    private final Map<String, MemberDiscovery> discoveries;
    private final List<MemberDiscovery> loaded;
    private final ConcurrentMap<String, EndpointWatch> open = new ConcurrentHashMap<>();
    private final AtomicBoolean pending = new AtomicBoolean();
    private final String service;
    private volatile Consumer<Discoveries> onChange = d -> { };
    private volatile ExecutorService thread;
    private DaemonThreads threads;
    private volatile boolean closed;

    public Discoveries(List<MemberDiscovery> explicit, String service) {
        Map<String, MemberDiscovery> byScheme = new HashMap<>();
        List<MemberDiscovery> all = new ArrayList<>();
        for (MemberDiscovery discovery : ServiceLoader.load(MemberDiscovery.class, Discoveries.class.getClassLoader())) {
            all.add(discovery);
            discovery.schemes().forEach(scheme -> byScheme.putIfAbsent(scheme.toLowerCase(Locale.ROOT), discovery));
        }
        for (MemberDiscovery discovery : explicit) {
            all.add(discovery);
            discovery.schemes().forEach(scheme -> byScheme.put(scheme.toLowerCase(Locale.ROOT), discovery));
        }
        this.discoveries = Map.copyOf(byScheme);
        this.loaded = List.copyOf(all);
        this.service = service;
    }

    /** Whether members of this URL are discovered rather than called. */
    public static boolean isDiscovered(BackendMember member) {
        return member.url() != null && MODULES.containsKey(String.valueOf(member.url().getScheme()).toLowerCase(Locale.ROOT));
    }

    /** What runs after watches changed: the router's rebuild. */
    public void onChange(Consumer<Discoveries> listener) {
        this.onChange = listener;
    }

    /**
     * The members a discovered entry stands for now: one per endpoint, with the entry's role,
     * priority, routing key, auth and settings, named {@code ENTRY-ENDPOINT}, its labels and the
     * endpoint's. The first call for a URL starts its watch; {@code null} with a problem when that fails.
     */
    List<BackendMember> members(BackendMember entry, String path, List<Problem> problems) {
        String scheme = entry.url().getScheme().toLowerCase(Locale.ROOT);
        MemberDiscovery discovery = discoveries.get(scheme);
        if (discovery == null) {
            return missing(entry, path, problems);
        }
        if (closed) {
            problems.add(new Problem(path + ".kubernetes", "the router is closed"));
            return null;
        }
        EndpointWatch watch;
        try {
            watch = open.computeIfAbsent(entry.url().toString(), url -> discovery.watch(new DiscoveryTarget(entry.name(), entry.url(), path),
                    this::changed));
        } catch (DiscoveryException e) {
            problems.add(new Problem(path + ".kubernetes" + (e.field() == null ? "" : "." + e.field()), e.getMessage()));
            return null;
        } catch (RuntimeException e) {
            problems.add(new Problem(path + ".kubernetes", "following " + Texts.printable(Texts.redacted(entry.url())) + " failed ("
                    + discovery + "): " + Texts.printable(String.valueOf(e.getMessage()), 300)
                    + "; check the discovery's configuration and that its source answers"));
            return null;
        }
        if (closed) {       // closed while it started: the watch must not outlive the router
            EndpointWatch opened = open.remove(entry.url().toString());
            if (opened != null) {
                closeQuietly(opened);
            }
            problems.add(new Problem(path + ".kubernetes", "the router is closed"));
            return null;
        }
        List<DiscoveredEndpoint> endpoints = watch.endpoints();
        used.put(entry.url().toString(), endpoints);
        List<BackendMember> members = new ArrayList<>();
        for (DiscoveredEndpoint endpoint : endpoints) {
            members.add(memberOf(entry, endpoint));
        }
        return members;
    }

    /**
     * The member an endpoint of a discovered entry is: named {@code ENTRY-ENDPOINT}, at the endpoint's
     * URL, with the entry's role, priority, routing key, auth and settings, its labels, the endpoint's,
     * and {@code ready}.
     */
    public static BackendMember memberOf(BackendMember entry, DiscoveredEndpoint endpoint) {
        Map<String, String> labels = new LinkedHashMap<>(entry.labels());
        labels.putAll(endpoint.labels());
        labels.put(READY_LABEL, String.valueOf(endpoint.ready()));
        return new BackendMember(entry.name() + "-" + endpoint.name(), endpoint.url(), entry.role(), entry.priority(),
                entry.weight(), entry.routingKey(), labels, entry.auth(), entry.timeouts(), entry.circuitBreaker(), entry.tls());
    }

    /** The problem of a discovered entry in a table built without discoveries. */
    static List<BackendMember> missing(BackendMember entry, String path, List<Problem> problems) {
        problems.add(new Problem(path + ".kubernetes", "backend " + Texts.printable(entry.name()) + " ("
                + Texts.printable(Texts.redacted(entry.url())) + ") needs the module "
                + MODULES.get(String.valueOf(entry.url().getScheme()).toLowerCase(Locale.ROOT))
                + " on the class path: add that dependency, or give the backend a url"));
        return null;
    }

    /** The watch of a discovered entry's URL, when one is open. */
    public EndpointWatch watchOf(BackendMember entry) {
        return open.get(entry.url().toString());
    }

    /** Every open watch, by URL. */
    public Map<String, EndpointWatch> watches() {
        return Map.copyOf(open);
    }

    /** Per URL: what its watch held at the last change (endpoints, connected), to tell what changed. */
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();

    private record Seen(List<DiscoveredEndpoint> endpoints, boolean connected) {
    }

    /** The endpoints each URL's members were made from, in the last table built. */
    private final Map<String, List<DiscoveredEndpoint>> used = new ConcurrentHashMap<>();

    /**
     * After the first table, once {@link #onChange} is set: remembers what each watch held for it,
     * tells of those that started from kept endpoints, and builds again at once when a watch changed
     * while the router was being made (that change told no one).
     */
    public void started(Events events) {
        boolean changedMeanwhile = false;
        for (Map.Entry<String, EndpointWatch> entry : open.entrySet()) {
            List<DiscoveredEndpoint> made = used.get(entry.getKey());
            seen.put(entry.getKey(), new Seen(made, entry.getValue().connected()));
            changedMeanwhile |= made != entry.getValue().endpoints();
            if (entry.getValue().startedFrom() != null) {
                events.topologyFromLastKnownGood(entry.getKey(), entry.getValue().startedFrom());
            }
        }
        if (changedMeanwhile) {
            changed();
        }
    }

    /**
     * After a new table is serving: an event for each watch whose endpoints or connection changed
     * (a watch replaces its list whole on a change, so the same list is no change), and a log line
     * when one lost or found its source.
     */
    public void announceChanges(Events events) {
        open.forEach((url, watch) -> {
            Seen now = new Seen(watch.endpoints(), watch.connected());
            Seen before = seen.put(url, now);
            if (before != null && before.connected() != now.connected()) {
                if (now.connected()) {
                    ROUTER_LOG.info("Discovery of {} is connected again; its members follow the source", url);
                } else {
                    ROUTER_LOG.warn("Discovery of {} lost its source, keeping its last members and reconnecting: {}", url,
                            watch.problem());
                }
            }
            if (before == null || before.connected() != now.connected() || before.endpoints() != now.endpoints()) {
                events.discoveryChanged(url, now.connected(), now.endpoints().size(), watch.problem());
            }
        });
        seen.keySet().retainAll(open.keySet());
    }

    private void changed() {
        if (closed || !pending.compareAndSet(false, true)) {
            return;         // a rebuild is queued already: it will see this change too
        }
        ExecutorService executor = thread();
        executor.execute(() -> {
            pending.set(false);
            try {
                onChange.accept(this);
            } catch (RuntimeException e) {
                LOG.warn("Applying discovered endpoints of {} failed: {}", service, e.toString());
            }
        });
    }

    private synchronized ExecutorService thread() {
        if (thread == null) {
            threads = new DaemonThreads("backend-router-discovery-" + service);
            thread = Executors.newSingleThreadExecutor(threads);
        }
        return thread;
    }

    /** Stops the watches {@code table} no longer names. */
    public void retain(RoutingTable table) {
        Set<String> used = new HashSet<>(table.discoveredUrls());
        open.entrySet().removeIf(entry -> {
            boolean gone = !used.contains(entry.getKey());
            if (gone) {
                closeQuietly(entry.getValue());
            }
            return gone;
        });
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.debug("Closing a discovery failed: {}", e.toString());
        }
    }

    /** Stops the rebuild thread first (a rebuild under way would open watches again), then the watches and discoveries. */
    @Override
    public void close() {
        closed = true;
        ExecutorService executor;
        DaemonThreads made;
        synchronized (this) {
            executor = thread;
            made = threads;
        }
        if (executor != null) {
            made.shutdown(executor);
        }
        open.values().forEach(Discoveries::closeQuietly);
        open.clear();
        loaded.forEach(Discoveries::closeQuietly);
    }
}

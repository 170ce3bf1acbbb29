package dev.backendrouter.router;

import dev.backendrouter.api.BackendGroup;
import dev.backendrouter.api.BackendRouterException;
import dev.backendrouter.api.Problem;
import dev.backendrouter.api.Topology;
import dev.backendrouter.api.TopologyException;
import dev.backendrouter.router.internal.cache.Caches;
import dev.backendrouter.router.internal.cache.RemoteCache;
import dev.backendrouter.router.internal.routing.CacheConnections;
import dev.backendrouter.router.internal.routing.Discoveries;
import dev.backendrouter.router.internal.cache.GenericCache;
import dev.backendrouter.router.internal.health.HealthChecker;
import dev.backendrouter.router.internal.http.HttpSettings;
import dev.backendrouter.router.internal.http.RoutingInterceptor;
import dev.backendrouter.router.internal.resilience.Breakers;
import dev.backendrouter.router.internal.resilience.RetryBudget;
import dev.backendrouter.router.internal.routing.AttemptLoop;
import dev.backendrouter.router.internal.routing.Events;
import dev.backendrouter.router.internal.routing.HedgePolicy;
import dev.backendrouter.router.internal.routing.MemberStates;
import dev.backendrouter.router.internal.routing.RoutingTable;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import okhttp3.OkHttpClient;

/**
 * Routes a service's calls across its backends by the topology: shards by routing key, reads
 * through replicas, primaries, backups and the archive, writes through primaries and backups,
 * failing over between members. Thread-safe; create one per service and close it at shutdown.
 *
 * <pre>{@code
 * try (BackendRouter router = BackendRouter.builder()
 *         .topology(TopologySource.file(Path.of("topology.yaml")))
 *         .stage("prod")
 *         .build()) {
 *
 *     // HTTP: the host is the group name
 *     OkHttpClient http = router.httpClient();
 *     try (Response response = http.newCall(new Request.Builder().url("http://storage/files/42").build()).execute()) {
 *         ...
 *     }
 *
 *     // any other client: the router picks the member, you make the call
 *     User alice = router.group("users").read(RoutingKey.of("alice"), member -> dao(member).find("alice"));
 * }
 * }</pre>
 */
public final class BackendRouter implements AutoCloseable {
    private final MemberStates states;
    private final Breakers breakers;
    private final LoadBalancing loadBalancing;
    private final AttemptLoop loop;
    private final OkHttpClient httpClient;
    private final boolean ownsHttpClient;
    private volatile RoutingTable table;
    private final Topology initial;
    private final HealthChecker healthChecker;
    private final HedgePolicy hedge;
    private final TopologySource source;
    private final Events events = new Events();
    private final Object reloading = new Object();
    private final Reloader reloader;
    private final Caches caches;
    private final GenericCache genericCache;
    private final String stage;
    private final CacheConnections cacheConnections;
    private final Discoveries discoveries;

    BackendRouter(BackendRouterBuilder builder, TopologySource source, Topology topology) {
        this.loadBalancing = builder.loadBalancing;
        builder.listeners.forEach(events::add);
        this.breakers = new Breakers(builder.breakerRegistry, builder.breakerConfig, builder.attemptTimeout, builder.ticker);
        this.states = new MemberStates(breakers, events);
        this.hedge = builder.hedging.enabled() ? new HedgePolicy(builder.hedging, topology.service()) : null;
        this.loop = new AttemptLoop(builder.ticker, builder.random, builder.maxAttempts, builder.readPreference,
                new RetryBudget(builder.ticker, builder.budgetRatio, builder.budgetFloorPerSecond), builder.backoff,
                builder.deadline, hedge, builder.maxRetryAfter, events);
        this.initial = topology;
        this.source = source;
        this.stage = builder.stage;
        this.cacheConnections = new CacheConnections(builder.cacheConnectors, builder.cacheMemberTimeout);
        this.discoveries = new Discoveries(builder.memberDiscoveries, topology.service());
        try {
            // the table opens the cache members' connections and the discovered tiers' watches:
            // a refused topology or a bad builder setting closes them
            this.table = RoutingTable.build(topology, states, loadBalancing, cacheConnections, discoveries, null,
                    described(source, topology));
            this.caches = new Caches(topology, builder.ticker, builder.nearCaches, builder.cacheStores, builder.readYourWrites,
                    builder.cacheTierTimeout != null ? builder.cacheTierTimeout : Duration.ofMillis(250), builder.cachePopulateQueue,
                    events, new RemoteCache(builder.ticker, events, builder.cacheMemberTimeout != null ? builder.cacheMemberTimeout
                            : CacheConnections.DEFAULT_TIMEOUT), builder.cacheCodec, builder.cacheValueLimit, builder.random);
        } catch (RuntimeException e) {
            cacheConnections.close();
            discoveries.close();
            throw e;
        }
        this.ownsHttpClient = builder.httpClient == null;
        OkHttpClient base = ownsHttpClient ? new OkHttpClient() : builder.httpClient;
        this.genericCache = new GenericCache(caches);
        this.httpClient = RoutingInterceptor.routedClient(base, this::table, loop,
                new HttpSettings(builder.attemptTimeout, builder.retryOnServerError, builder.retryOnTimeout), caches);
        this.healthChecker = builder.health.enabled() ? new HealthChecker(builder.health, base, topology.service(), events) : null;
        if (healthChecker != null) {
            healthChecker.track(table);
        }
        if (builder.reloadEvery == null) {
            this.reloader = null;
        } else if (source instanceof RegistryTopologySource registry) {
            this.reloader = new Reloader(topology.service(), builder.reloadEvery, () -> registry.asWaiter(this::reload),
                    () -> registry.nextLoadIn(builder.reloadEvery), registry::cancelWaiting);
        } else {
            this.reloader = new Reloader(topology.service(), builder.reloadEvery, this::reload);
        }
        if (source instanceof RegistryTopologySource registry) {
            String fallback = registry.takeFallback();
            if (fallback != null) {
                events.topologyFromLastKnownGood(registry.toString(), fallback);
            }
        }
        discoveries.onChange(d -> membersDiscovered());
        discoveries.started(events);
    }

    /**
     * The endpoints of a discovered tier changed: one new table from the same topology, swapped in
     * whole. Members that stay keep their state (it is kept by URL); calls under way finish on the
     * table they started with.
     */
    private void membersDiscovered() {
        synchronized (reloading) {
            RoutingTable current;
            synchronized (this) {
                current = table;
            }
            if (current == null) {
                return;
            }
            RoutingTable built;
            try {
                built = RoutingTable.build(current.topology(), states, loadBalancing, cacheConnections, discoveries, current,
                        described(source, current.topology()));
            } catch (TopologyException e) {
                cacheConnections.retain(current);
                Reloader.logRejected(e.source(), e.problems());
                events.topologyRejected(e.source(), e.problems());
                return;
            }
            synchronized (this) {
                if (table == null) {
                    return;
                }
                table = built;
                states.retain(built);
                cacheConnections.retain(built);
                if (healthChecker != null) {
                    healthChecker.track(built);
                }
            }
            discoveries.announceChanges(events);
        }
    }

    /** Starts a router; only the topology is required. */
    public static BackendRouterBuilder builder() {
        return new BackendRouterBuilder();
    }

    /**
     * An OkHttp client that routes requests to {@code http://GROUP/...} through the group and
     * sends every other request unchanged. Shares the connection pool and dispatcher of the
     * client given to the builder, if any.
     *
     * <ul>
     *   <li>GET, HEAD and OPTIONS are reads; PUT and DELETE idempotent writes; POST and PATCH
     *       writes sent once, unless the request has an {@code Idempotency-Key} header.
     *   <li>The routing key comes from a {@link dev.backendrouter.api.RoutingKey} tag or the
     *       {@code X-Routing-Key} header; per-call options from a {@link CallOptions} tag.
     *   <li>Each attempt carries the member's credentials and an {@code X-Request-Id} (the
     *       caller's, or a new one).
     *   <li>When every attempt got an error response, the last response is returned; when no
     *       attempt got a response, a {@link BackendRoutingIOException} is thrown.
     * </ul>
     */
    public OkHttpClient httpClient() {
        table();
        return httpClient;
    }

    /**
     * The group by that name, for calls with any client.
     *
     * @throws IllegalArgumentException when the topology has no such group
     */
    public RoutedGroup group(String name) {
        Objects.requireNonNull(name, "name");
        if (table().group(name) == null) {
            throw new IllegalArgumentException("No group '" + name + "' in the topology of " + topology().service()
                    + "; its groups are " + topology().groups().stream().map(BackendGroup::name).toList());
        }
        return new RoutedGroup(this, name);
    }

    /**
     * The registry holding one circuit breaker per backend (named after its member), for
     * resilience4j's own tools: metrics, events, manual transitions.
     */
    public CircuitBreakerRegistry circuitBreakerRegistry() {
        return breakers.registry();
    }

    /**
     * Waits until every group can take writes from a healthy backend — for each shard, a
     * PRIMARY, SHARD or BACKUP member whose health checks pass — probing every backend at once
     * and then on its schedule. For a service that should not take traffic before its backends
     * do. With health checks off, returns {@code true} at once.
     *
     * @return whether the backends became healthy within {@code timeout}
     */
    public boolean awaitHealthy(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        if (healthChecker == null) {
            return true;
        }
        long until = System.nanoTime() + timeout.toNanos();
        healthChecker.probeAllSoon();
        while (!table().writableByHealthyMembers()) {
            if (System.nanoTime() >= until) {
                return false;
            }
            Thread.sleep(Math.min(100, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
        }
        return true;
    }

    /** Probes every backend now, on the calling thread (tests; operators' "check now"). */
    void probeHealthNow() {
        if (healthChecker != null) {
            healthChecker.probeAll();
        }
    }

    /** Adds a listener; it hears everything from now on. See also {@link BackendRouterBuilder#listener}. */
    public void addListener(RouterListener listener) {
        events.add(java.util.Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Loads the topology from its source again and, when it is valid and differs, swaps it in
     * atomically. Backends whose URL stays keep their breaker, health and latency state; calls
     * under way finish on the topology they started with; removed members get no new calls. An
     * invalid topology is refused (a log line, {@link RouterListener#topologyRejected}) and the
     * current one keeps serving. Members' TLS files are read again too: when one changed on disk
     * (a rotated CA file or trust store, under the same name), the same topology is applied again
     * with the new certificates, and new connections verify with them.
     *
     * @return the topology serving after the reload
     * @throws TopologyException when the new topology was refused
     */
    public Topology reload() {
        if (source instanceof RegistryTopologySource registry) {
            registry.interruptWaiting();    // the reloader's waiting request would hold the lock for up to 30 s
        }
        synchronized (reloading) {       // one reload at a time; calls and close() never wait for its I/O
            RoutingTable current = table();
            Topology next;
            RoutingTable built;
            List<String> rotated = List.of();
            try {
                next = stageGuarded(stage, source, source.load());
                if (next.equals(current.topology())) {
                    rotated = current.changedTlsFiles();
                    if (rotated.isEmpty()) {
                        return current.topology();
                    }
                    next = current.topology();      // the same topology, its TLS files read again
                }
                built = RoutingTable.build(next, states, loadBalancing, cacheConnections, discoveries, current,
                        described(source, next));
            } catch (TopologyException e) {
                cacheConnections.retain(current);   // connections opened for the refused table
                discoveries.retain(current);
                Reloader.logRejected(e.source(), e.problems());
                events.topologyRejected(e.source(), e.problems());
                throw e;
            } catch (RuntimeException e) {
                cacheConnections.retain(current);
                discoveries.retain(current);
                throw e;
            }
            synchronized (this) {
                if (table == null) {
                    cacheConnections.close();   // what the build opened after close() closed the rest
                    return next;    // closed meanwhile: nothing to swap
                }
                caches.apply(next);
                table = built;
                states.retain(built);
                cacheConnections.retain(built);
                discoveries.retain(built);
                if (healthChecker != null) {
                    healthChecker.track(built);
                }
            }
            if (rotated.isEmpty()) {
                Reloader.logApplied(current.topology(), next);
            } else {
                Reloader.logTlsFilesReread(next, rotated);
            }
            events.topologyApplied(current.topology(), next);
            return next;
        }
    }

    /** What a topology came from, for messages: the source's name, or the service of a topology given whole. */
    private static String described(TopologySource source, Topology topology) {
        return source == null ? "of " + topology.service() : NamedSource.describe(source);
    }

    /**
     * The topology, when it is for the router's stage. Sources refuse other stages' members
     * themselves; this also holds for a source of the application's own that does not.
     */
    static Topology stageGuarded(String stage, TopologySource source, Topology topology) {
        if (stage == null) {
            return topology;
        }
        if (!stage.equals(topology.stage())) {
            String found = topology.stage() == null ? "the topology has no stage"
                    : "the topology is for stage '" + topology.stage() + "'";
            throw new TopologyException(Reloader.updateOf(NamedSource.describe(source)), List.of(new Problem("stage", found
                    + " but this router serves stage '" + stage + "': a router never calls another stage's backends")));
        }
        return topology;   // a topology with a stage holds no member labelled for another (Topology refuses it)
    }

    /** The topology calls are routed by now. */
    public Topology topology() {
        return table().topology();
    }

    /** The topology with every member's live state. */
    public RouterSnapshot snapshot() {
        return Snapshots.of(table(), caches);
    }

    /**
     * Stops routing: later calls fail with a {@link BackendRouterException}. When the router made
     * its own OkHttp client, its dispatcher is shut down and its idle connections closed; a client
     * given to the builder is left to its owner.
     */
    @Override
    public void close() {
        synchronized (this) {   // only to stop routing: a reload waiting to swap must not wait for close(), nor close() for it
            if (table == null) {
                return;
            }
            table = null;
        }
        if (reloader != null) {
            reloader.close();
        }
        if (healthChecker != null) {
            healthChecker.close();
        }
        if (hedge != null) {
            hedge.close();
        }
        caches.close();
        cacheConnections.close();
        discoveries.close();
        if (ownsHttpClient) {
            httpClient.dispatcher().executorService().shutdown();
            httpClient.connectionPool().evictAll();
        }
    }

    RoutingTable table() {
        RoutingTable current = table;
        if (current == null) {
            throw new BackendRouterException("The router of " + initial.service() + " is closed");
        }
        return current;
    }

    AttemptLoop loop() {
        return loop;
    }

    GenericCache genericCache() {
        return genericCache;
    }
}

package dev.backendrouter.router;

import dev.backendrouter.api.BackendGroup;
import dev.backendrouter.api.BackendRouterException;
import dev.backendrouter.api.Topology;
import dev.backendrouter.api.TopologyException;
import dev.backendrouter.router.internal.health.HealthChecker;
import dev.backendrouter.router.internal.http.HttpSettings;
import dev.backendrouter.router.internal.http.RoutingInterceptor;
import dev.backendrouter.router.internal.resilience.Breakers;
import dev.backendrouter.router.internal.resilience.RetryBudget;
import dev.backendrouter.router.internal.routing.AttemptLoop;
import dev.backendrouter.router.internal.routing.HedgePolicy;
import dev.backendrouter.router.internal.routing.MemberStates;
import dev.backendrouter.router.internal.routing.RoutingTable;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;
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

    private BackendRouter(Builder builder, Topology topology) {
        this.loadBalancing = builder.loadBalancing;
        this.breakers = new Breakers(builder.breakerRegistry, builder.breakerConfig, builder.attemptTimeout, builder.ticker);
        this.states = new MemberStates(breakers);
        this.hedge = builder.hedging.enabled() ? new HedgePolicy(builder.hedging, topology.service()) : null;
        this.loop = new AttemptLoop(builder.ticker, builder.random, builder.maxAttempts, builder.readPreference,
                new RetryBudget(builder.ticker, builder.budgetRatio, builder.budgetFloorPerSecond), builder.backoff,
                builder.deadline, hedge, builder.maxRetryAfter);
        this.initial = topology;
        this.table = RoutingTable.build(topology, states, loadBalancing);
        this.ownsHttpClient = builder.httpClient == null;
        OkHttpClient base = ownsHttpClient ? new OkHttpClient() : builder.httpClient;
        this.httpClient = RoutingInterceptor.routedClient(base, this::table, loop,
                new HttpSettings(builder.attemptTimeout, builder.retryOnServerError, builder.retryOnTimeout));
        this.healthChecker = builder.health.enabled() ? new HealthChecker(builder.health, base, topology.service()) : null;
        if (healthChecker != null) {
            healthChecker.track(table);
        }
    }

    public static Builder builder() {
        return new Builder();
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

    /** The topology calls are routed by now. */
    public Topology topology() {
        return table().topology();
    }

    /** The topology with every member's live state. */
    public RouterSnapshot snapshot() {
        return Snapshots.of(table());
    }

    /**
     * Stops routing: later calls fail with a {@link BackendRouterException}. When the router made
     * its own OkHttp client, its dispatcher is shut down and its idle connections closed; a client
     * given to the builder is left to its owner.
     */
    @Override
    public void close() {
        if (table == null) {
            return;
        }
        table = null;
        if (healthChecker != null) {
            healthChecker.close();
        }
        if (hedge != null) {
            hedge.close();
        }
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

    /** Builds a {@link BackendRouter}. Only the topology is required. */
    public static final class Builder {
        private TopologySource source;
        private String stage;
        private OkHttpClient httpClient;
        private Ticker ticker = Ticker.system();
        private RandomGenerator random = () -> ThreadLocalRandom.current().nextLong();
        private LoadBalancing loadBalancing = LoadBalancing.POWER_OF_TWO_CHOICES;
        private int maxAttempts = 3;
        private ReadPreference readPreference;
        private CircuitBreakerConfig breakerConfig;
        private CircuitBreakerRegistry breakerRegistry;
        private Duration attemptTimeout = Duration.ofSeconds(10);
        private Duration deadline;
        private double budgetRatio = 0.2;
        private int budgetFloorPerSecond = 2;
        private IntervalFunction backoff = IntervalFunction.ofExponentialRandomBackoff(Duration.ofMillis(50), 2.0, 0.5);
        private boolean retryOnServerError = true;
        private boolean retryOnTimeout = true;
        private Duration maxRetryAfter = Duration.ofSeconds(10);
        private HealthCheckSettings health = HealthCheckSettings.defaults();
        private Hedging hedging = Hedging.off();

        private Builder() {
        }

        /** Required: where the topology comes from. */
        public Builder topology(TopologySource source) {
            this.source = Objects.requireNonNull(source, "source");
            return this;
        }

        /** A topology built in code. */
        public Builder topology(Topology topology) {
            return topology(TopologySource.of(topology));
        }

        /** The stage this router serves: loads the stage's overlay and refuses other stages' members. */
        public Builder stage(String stage) {
            this.stage = Objects.requireNonNull(stage, "stage");
            return this;
        }

        /** A client whose connection pool, dispatcher and settings the routed client shares. */
        public Builder httpClient(OkHttpClient httpClient) {
            this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
            return this;
        }

        /** The time source for latencies and deadlines; default {@link Ticker#system()}. */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /** The random source of the load balancer; pass a seeded one for repeatable tests. */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /** How members of a tier are picked; default {@link LoadBalancing#POWER_OF_TWO_CHOICES}. */
        public Builder loadBalancing(LoadBalancing loadBalancing) {
            this.loadBalancing = Objects.requireNonNull(loadBalancing, "loadBalancing");
            return this;
        }

        /** How many failed attempts a call may make before it gives up; default 3. */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /**
         * The read preference of calls that name none. Unset, it is {@code REPLICA_PREFERRED}
         * where a group (or shard) has replicas and {@code PRIMARY} elsewhere.
         */
        public Builder readPreference(ReadPreference readPreference) {
            this.readPreference = Objects.requireNonNull(readPreference, "readPreference");
            return this;
        }

        /**
         * The circuit breaker settings of every backend, instead of the routing defaults (a
         * count window of 20 attempts, at least 10, opening at 50% failures or slow calls, open
         * for 10 s, 3 probes when half open; see docs/resilience.md).
         */
        public Builder circuitBreakerConfig(CircuitBreakerConfig config) {
            this.breakerConfig = Objects.requireNonNull(config, "config");
            return this;
        }

        /** A registry of the application's to create the breakers in, so its tooling sees them. */
        public Builder circuitBreakerRegistry(CircuitBreakerRegistry registry) {
            this.breakerRegistry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * How long one attempt may take (HTTP read and write timeouts, unless a member sets its
         * own); attempts slower than this count as slow calls for the breaker. Default 10 s.
         */
        public Builder attemptTimeout(Duration attemptTimeout) {
            this.attemptTimeout = positive(attemptTimeout, "attemptTimeout");
            return this;
        }

        /** The total deadline of calls that set none in their {@link CallOptions}; default none. */
        public Builder deadline(Duration deadline) {
            this.deadline = positive(deadline, "deadline");
            return this;
        }

        /**
         * The retry budget: extra attempts (failovers and retries) may add at most {@code ratio}
         * of the calls of the last ten seconds, plus {@code floorPerSecond}. Default 0.2 and 2:
         * with every backend failing, a call makes about {@code 1.2 + floor / calls-per-second}
         * attempts.
         */
        public Builder retryBudget(double ratio, int floorPerSecond) {
            if (ratio < 0 || floorPerSecond < 0) {
                throw new IllegalArgumentException("the retry budget's ratio and floor must not be negative");
            }
            this.budgetRatio = ratio;
            this.budgetFloorPerSecond = floorPerSecond;
            return this;
        }

        /**
         * The wait before walking the plan again once every member has been tried, by round
         * (1, 2, ...). Default: exponential from 50 ms, doubling, ±50% jitter. Moving to another
         * member never waits.
         */
        public Builder retryBackoff(IntervalFunction backoff) {
            this.backoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        /** Whether an HTTP 500 moves an idempotent call to another member; default {@code true}. */
        public Builder retryOnServerError(boolean retryOnServerError) {
            this.retryOnServerError = retryOnServerError;
            return this;
        }

        /**
         * Whether a timed-out HTTP attempt moves an idempotent call to another member; default
         * {@code true}. Turn it off when a timeout means the backend is overloaded and more
         * attempts would only add to its load.
         */
        public Builder retryOnTimeout(boolean retryOnTimeout) {
            this.retryOnTimeout = retryOnTimeout;
            return this;
        }

        /**
         * The longest {@code Retry-After} honoured with a wait before a retry; a backend asking
         * for longer gets no retry and the caller gets its answer. Default 10 s. Never past the
         * call's deadline.
         */
        public Builder maxRetryAfter(Duration maxRetryAfter) {
            this.maxRetryAfter = positive(maxRetryAfter, "maxRetryAfter");
            return this;
        }

        /** Hedged reads; default {@link Hedging#off()}. */
        public Builder hedging(Hedging hedging) {
            this.hedging = Objects.requireNonNull(hedging, "hedging");
            return this;
        }

        /** Active health checks; default {@link HealthCheckSettings#defaults()}. */
        public Builder healthChecks(HealthCheckSettings health) {
            this.health = Objects.requireNonNull(health, "health");
            return this;
        }

        private static Duration positive(Duration duration, String name) {
            Objects.requireNonNull(duration, name);
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + duration);
            }
            return duration;
        }

        /**
         * Loads the topology and builds the router.
         *
         * @throws TopologyException when the topology cannot be loaded or is invalid
         */
        public BackendRouter build() {
            if (source == null) {
                throw new IllegalStateException("a topology source is required: builder.topology(TopologySource.file(...))");
            }
            Topology topology = (stage == null ? source : source.forStage(stage)).load();
            return new BackendRouter(this, topology);
        }
    }
}

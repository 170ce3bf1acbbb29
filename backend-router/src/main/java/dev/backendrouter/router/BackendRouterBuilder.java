package dev.backendrouter.router;

import dev.backendrouter.api.NearCacheSettings;
import dev.backendrouter.api.Topology;
import dev.backendrouter.api.TopologyException;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;
import okhttp3.OkHttpClient;

/** Builds a {@link BackendRouter}. Only the topology is required. */
public final class BackendRouterBuilder {
    TopologySource source;
    String stage;
    OkHttpClient httpClient;
    Ticker ticker = Ticker.system();
    RandomGenerator random = () -> ThreadLocalRandom.current().nextLong();
    LoadBalancing loadBalancing = LoadBalancing.POWER_OF_TWO_CHOICES;
    int maxAttempts = 3;
    ReadPreference readPreference;
    CircuitBreakerConfig breakerConfig;
    CircuitBreakerRegistry breakerRegistry;
    Duration attemptTimeout = Duration.ofSeconds(10);
    Duration deadline;
    double budgetRatio = 0.2;
    int budgetFloorPerSecond = 2;
    IntervalFunction backoff = IntervalFunction.ofExponentialRandomBackoff(Duration.ofMillis(50), 2.0, 0.5);
    boolean retryOnServerError = true;
    boolean retryOnTimeout = true;
    Duration maxRetryAfter = Duration.ofSeconds(10);
    HealthCheckSettings health = HealthCheckSettings.defaults();
    Hedging hedging = Hedging.off();
    final Map<String, NearCacheSettings> nearCaches = new HashMap<>();
    final Map<String, CacheStore> cacheStores = new HashMap<>();
    Duration readYourWrites = Duration.ofSeconds(5);
    Duration cacheTierTimeout;
    Duration cacheMemberTimeout;
    final java.util.List<dev.backendrouter.router.spi.CacheConnector> cacheConnectors = new java.util.ArrayList<>();
    final java.util.List<dev.backendrouter.router.spi.MemberDiscovery> memberDiscoveries = new java.util.ArrayList<>();
    CacheCodec cacheCodec = CacheCodec.json();
    int cacheValueLimit = 1024 * 1024;
    int cachePopulateQueue = 256;
    Duration reloadEvery;
    final java.util.List<RouterListener> listeners = new java.util.ArrayList<>();

    BackendRouterBuilder() {
    }

    /** Required: where the topology comes from. */
    public BackendRouterBuilder topology(TopologySource source) {
        this.source = Objects.requireNonNull(source, "source");
        return this;
    }

    /** A topology built in code. */
    public BackendRouterBuilder topology(Topology topology) {
        return topology(TopologySource.of(topology));
    }

    /** The stage this router serves: loads the stage's overlay and refuses other stages' members. */
    public BackendRouterBuilder stage(String stage) {
        this.stage = Objects.requireNonNull(stage, "stage");
        return this;
    }

    /** A client whose connection pool, dispatcher and settings the routed client shares. */
    public BackendRouterBuilder httpClient(OkHttpClient httpClient) {
        this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
        return this;
    }

    /** The time source for latencies and deadlines; default {@link Ticker#system()}. */
    public BackendRouterBuilder ticker(Ticker ticker) {
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        return this;
    }

    /** The random source of the load balancer; pass a seeded one for repeatable tests. */
    public BackendRouterBuilder random(RandomGenerator random) {
        this.random = Objects.requireNonNull(random, "random");
        return this;
    }

    /** How members of a tier are picked; default {@link LoadBalancing#POWER_OF_TWO_CHOICES}. */
    public BackendRouterBuilder loadBalancing(LoadBalancing loadBalancing) {
        this.loadBalancing = Objects.requireNonNull(loadBalancing, "loadBalancing");
        return this;
    }

    /** How many failed attempts a call may make before it gives up; default 3. */
    public BackendRouterBuilder maxAttempts(int maxAttempts) {
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
    public BackendRouterBuilder readPreference(ReadPreference readPreference) {
        this.readPreference = Objects.requireNonNull(readPreference, "readPreference");
        return this;
    }

    /**
     * The circuit breaker settings of every backend, instead of the routing defaults (a
     * count window of 50 attempts, at least 20, opening at 50% failures or slow calls, open
     * for 10 s, 3 probes when half open; see docs/resilience.md).
     */
    public BackendRouterBuilder circuitBreakerConfig(CircuitBreakerConfig config) {
        this.breakerConfig = Objects.requireNonNull(config, "config");
        return this;
    }

    /** A registry of the application's to create the breakers in, so its tooling sees them. */
    public BackendRouterBuilder circuitBreakerRegistry(CircuitBreakerRegistry registry) {
        this.breakerRegistry = Objects.requireNonNull(registry, "registry");
        return this;
    }

    /**
     * How long one attempt may take (HTTP read and write timeouts, unless a member sets its
     * own); attempts slower than this count as slow calls for the breaker. Default 10 s.
     */
    public BackendRouterBuilder attemptTimeout(Duration attemptTimeout) {
        this.attemptTimeout = positive(attemptTimeout, "attemptTimeout");
        return this;
    }

    /** The total deadline of calls that set none in their {@link CallOptions}; default none. */
    public BackendRouterBuilder deadline(Duration deadline) {
        this.deadline = positive(deadline, "deadline");
        return this;
    }

    /**
     * The retry budget: extra attempts (failovers, retries, hedges) may add at most {@code ratio}
     * of the calls of the last ten seconds, plus {@code floorPerSecond}; a failover or retry that
     * gets an answer gives its share back. Default 0.2 and 2: with every backend failing, a call
     * makes about {@code 1.2 + floor / calls-per-second} attempts.
     */
    public BackendRouterBuilder retryBudget(double ratio, int floorPerSecond) {
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
    public BackendRouterBuilder retryBackoff(IntervalFunction backoff) {
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        return this;
    }

    /** Whether an HTTP 500 moves an idempotent call to another member; default {@code true}. */
    public BackendRouterBuilder retryOnServerError(boolean retryOnServerError) {
        this.retryOnServerError = retryOnServerError;
        return this;
    }

    /**
     * Whether a timed-out HTTP attempt moves an idempotent call to another member; default
     * {@code true}. Turn it off when a timeout means the backend is overloaded and more
     * attempts would only add to its load.
     */
    public BackendRouterBuilder retryOnTimeout(boolean retryOnTimeout) {
        this.retryOnTimeout = retryOnTimeout;
        return this;
    }

    /**
     * The longest {@code Retry-After} honoured with a wait before a retry; a backend asking
     * for longer gets no retry and the caller gets its answer. Default 10 s. Never past the
     * call's deadline.
     */
    public BackendRouterBuilder maxRetryAfter(Duration maxRetryAfter) {
        this.maxRetryAfter = positive(maxRetryAfter, "maxRetryAfter");
        return this;
    }

    /** Hedged reads; default {@link Hedging#off()}. */
    public BackendRouterBuilder hedging(Hedging hedging) {
        this.hedging = Objects.requireNonNull(hedging, "hedging");
        return this;
    }

    /**
     * A near cache for one group, over the topology's {@code cache.near} for that group. Reads
     * are answered from memory for the TTL; see docs/caching.md.
     */
    public BackendRouterBuilder nearCache(String group, NearCacheSettings settings) {
        Objects.requireNonNull(settings, "settings");
        if (settings.maxSize() != null && settings.maxSize() < 1) {
            throw new IllegalArgumentException("near cache maxSize must be at least 1, was " + settings.maxSize());
        }
        if (settings.ttl() != null && (settings.ttl().isNegative() || settings.ttl().isZero())) {
            throw new IllegalArgumentException("near cache ttl must be positive, was " + settings.ttl());
        }
        if (settings.staleIfError() != null && settings.staleIfError().isNegative()) {
            throw new IllegalArgumentException("near cache staleIfError must not be negative, was " + settings.staleIfError());
        }
        nearCaches.put(Objects.requireNonNull(group, "group"), settings);
        return this;
    }

    /** A non-HTTP cache tier for one group's generic cached reads. */
    public BackendRouterBuilder cacheStore(String group, CacheStore store) {
        cacheStores.put(Objects.requireNonNull(group, "group"), Objects.requireNonNull(store, "store"));
        return this;
    }

    /**
     * How long after a write through the router reads of the same key skip caches and replicas,
     * so a caller sees its own write; default 5 s, zero turns it off.
     */
    public BackendRouterBuilder readYourWrites(Duration window) {
        Objects.requireNonNull(window, "window");
        if (window.isNegative()) {
            throw new IllegalArgumentException("the read-your-writes window must not be negative, was " + window);
        }
        this.readYourWrites = window;
        return this;
    }

    /** How long a read from an HTTP CACHE member may take before it counts as a miss; default 250 ms. */
    public BackendRouterBuilder cacheTierTimeout(Duration timeout) {
        this.cacheTierTimeout = positive(timeout, "cacheTierTimeout");
        return this;
    }

    /**
     * How long an operation on a CACHE member served by a connector ({@code redis://}) may take
     * before it counts as a miss, unless the member sets {@code timeouts.attempt}; default 50 ms,
     * far below the data tiers' timeouts: a slow cache must not make reads slow.
     */
    public BackendRouterBuilder cacheMemberTimeout(Duration timeout) {
        this.cacheMemberTimeout = positive(timeout, "cacheMemberTimeout");
        return this;
    }

    /**
     * Fills tiers named by a URL of many endpoints ({@code kubernetes://}, written as a backend's
     * {@code kubernetes} block) — the module {@code backend-router-kubernetes} gives one, and is
     * also found on the class path without this. The router closes it on {@code close()}.
     */
    public BackendRouterBuilder memberDiscovery(dev.backendrouter.router.spi.MemberDiscovery discovery) {
        memberDiscoveries.add(Objects.requireNonNull(discovery, "discovery"));
        return this;
    }

    /**
     * A connector for CACHE members whose URL scheme it serves, over any found on the class path
     * with {@link java.util.ServiceLoader}. Adding {@code backend-router-redis} to the class path
     * is enough for {@code redis://} members; this is for class loaders ServiceLoader does not
     * see, and for connectors of your own.
     */
    public BackendRouterBuilder cacheConnector(dev.backendrouter.router.spi.CacheConnector connector) {
        cacheConnectors.add(Objects.requireNonNull(connector, "connector"));
        return this;
    }

    /** How generic values are stored on shared cache members ({@code redis://}); default {@link CacheCodec#json()}. */
    public BackendRouterBuilder cacheCodec(CacheCodec codec) {
        this.cacheCodec = Objects.requireNonNull(codec, "codec");
        return this;
    }

    /**
     * The largest entry written to a shared cache member ({@code redis://}), in bytes; a larger
     * answer is served but not stored there (counted as {@code tooLarge}). Default 1 MiB.
     */
    public BackendRouterBuilder cacheValueLimit(int bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("the cache value limit must be at least 1 byte, was " + bytes);
        }
        this.cacheValueLimit = bytes;
        return this;
    }

    /** How many background writes to CACHE members may wait; more are dropped (and counted). Default 256. */
    public BackendRouterBuilder cachePopulateQueue(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("the populate queue needs room for at least 1 write, was " + size);
        }
        this.cachePopulateQueue = size;
        return this;
    }

    /**
     * Reloads the topology from its source every {@code interval} (see
     * {@link BackendRouter#reload()}); default never. A file is read again, a registry polled.
     */
    public BackendRouterBuilder reloadEvery(Duration interval) {
        this.reloadEvery = positive(interval, "reloadEvery");
        return this;
    }

    /** Adds a listener: it hears calls, attempts, failovers, breaker and health changes, cache reads and topology changes. */
    public BackendRouterBuilder listener(RouterListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /** The source with the stage applied. */
    TopologySource effectiveSource() {
        return stage == null ? source : source.forStage(stage);
    }

    /** Active health checks; default {@link HealthCheckSettings#defaults()}. */
    public BackendRouterBuilder healthChecks(HealthCheckSettings health) {
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
        TopologySource effective = effectiveSource();   // once: a registry source keeps its ETag and fallback state
        Topology topology = BackendRouter.stageGuarded(stage, effective, effective.load());
        return new BackendRouter(this, effective, topology);
    }
}

package dev.backendrouter.benchmarks.jmh;

import dev.backendrouter.api.BackendGroup;
import dev.backendrouter.api.BackendMember;
import dev.backendrouter.api.BackendRole;
import dev.backendrouter.api.NearCacheSettings;
import dev.backendrouter.api.RoutingKey;
import dev.backendrouter.api.Topology;
import dev.backendrouter.router.BackendRouter;
import dev.backendrouter.router.BackendRouterBuilder;
import dev.backendrouter.router.HealthCheckSettings;
import dev.backendrouter.router.MemberCall;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/** Topologies, routers and baselines shared by the benchmarks, the allocation check and the heap measure. */
final class Fixtures {
    static final String SERVICE = "bench";
    static final String VALUE = "ok";
    /** The no-op attempt: no I/O, a constant answer, so only the router's own work is measured. */
    static final MemberCall<String> NOOP = member -> VALUE;
    static final Supplier<String> NOOP_SUPPLIER = () -> VALUE;

    /** Letters of a key-range bound; bounds are three letters, 26^3 of them. */
    private static final int PREFIXES = 26 * 26 * 26;

    private Fixtures() {
    }

    /** Members are never called over the network: URLs only need to be distinct and valid. */
    static String url(int i) {
        return "http://127.0.0.1:" + (20_000 + i);
    }

    /** One group of {@code members} PRIMARY members, each its own backend (URL) with its own breaker. */
    static Topology primaries(String group, int members) {
        List<BackendMember> list = new ArrayList<>(members);
        for (int i = 0; i < members; i++) {
            list.add(BackendMember.builder(group + "-" + i, url(i)).role(BackendRole.PRIMARY).build());
        }
        return Topology.builder().service(SERVICE).group(new BackendGroup(group, list, false)).build();
    }

    /** A primary and a backup, as in the hand-written resilience4j client the docs migrate from. */
    static Topology primaryAndBackup(String group) {
        return Topology.builder().service(SERVICE)
                .group(group,
                        BackendMember.builder(group + "-primary", url(0)).role(BackendRole.PRIMARY).priority(1).build(),
                        BackendMember.builder(group + "-backup", url(1)).role(BackendRole.BACKUP).priority(2).build())
                .build();
    }

    static BackendRouterBuilder routerBuilder(Topology topology) {
        return BackendRouter.builder().topology(topology).healthChecks(HealthCheckSettings.disabled());
    }

    static BackendRouter router(Topology topology) {
        return routerBuilder(topology).build();
    }

    static BackendRouter nearCachedRouter(String group, int maxSize) {
        return routerBuilder(primaryAndBackup(group))
                .nearCache(group, new NearCacheSettings(maxSize, Duration.ofHours(1), null))
                .build();
    }

    /**
     * The decorators a user writes by hand around one backend (docs/migrating-from-resilience4j.md):
     * the same breaker window as the router's, a 3-attempt retry with the same backoff. Decorated
     * once, the cheapest way to use them.
     */
    static Supplier<String> handDecorated(Supplier<String> call) {
        CircuitBreakerRegistry breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowSize(50)
                .minimumNumberOfCalls(20)
                .failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofSeconds(10))
                .build());
        Retry retry = Retry.of("storage", RetryConfig.custom()
                .maxAttempts(3)
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(Duration.ofMillis(50), 2.0, 0.5))
                .retryExceptions(IOException.class, CallNotPermittedException.class)
                .build());
        CircuitBreaker breaker = breakers.circuitBreaker("storage-primary");
        return Retry.decorateSupplier(retry, CircuitBreaker.decorateSupplier(breaker, call));
    }

    /**
     * A sharded group of {@code shards} SHARD members whose ranges cover every key without gaps:
     * key ranges from {@code a} to {@code zzz} ({@code users-a-azz}, {@code users-b-bzz}, ...) or
     * hash slots 0-16383.
     */
    static BackendGroup sharded(String group, int shards, boolean slots) {
        List<BackendMember> members = new ArrayList<>(shards);
        for (int i = 0; i < shards; i++) {
            String range = slots ? slotRange(i, shards) : keyRange(i, shards);
            members.add(BackendMember.builder(group + "-" + i, url(i)).role(BackendRole.SHARD).routingKey(range).build());
        }
        BackendGroup built = new BackendGroup(group, members, false);
        Topology.builder().service(SERVICE).group(built).build();   // validates: no gap, no overlap
        return built;
    }

    private static String slotRange(int i, int shards) {
        int from = (int) ((long) i * RoutingKey.SLOT_COUNT / shards);
        int to = (int) ((long) (i + 1) * RoutingKey.SLOT_COUNT / shards) - 1;
        return "users#" + from + "-" + to;
    }

    private static String keyRange(int i, int shards) {
        int from = (int) ((long) i * PREFIXES / shards);
        int next = (int) ((long) (i + 1) * PREFIXES / shards);
        return "users-" + lowerBound(from) + "-" + letters(next - 1);
    }

    /** A range's first key: trailing a's dropped, so "ac" (not "aca") follows a range ending "abz". */
    private static String lowerBound(int prefix) {
        String bound = letters(prefix);
        int end = bound.length();
        while (end > 1 && bound.charAt(end - 1) == 'a') {
            end--;
        }
        return bound.substring(0, end);
    }

    private static String letters(int prefix) {
        char[] chars = new char[3];
        for (int i = 2; i >= 0; i--) {
            chars[i] = (char) ('a' + prefix % 26);
            prefix /= 26;
        }
        return new String(chars);
    }

    /** Random lower-case keys of 1 to 12 letters, from a fixed seed. */
    static RoutingKey[] randomKeys(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        RoutingKey[] keys = new RoutingKey[count];
        for (int i = 0; i < count; i++) {
            char[] chars = new char[1 + random.nextInt(12)];
            for (int j = 0; j < chars.length; j++) {
                chars[j] = (char) ('a' + random.nextInt(26));
            }
            keys[i] = RoutingKey.of(new String(chars));
        }
        return keys;
    }
}

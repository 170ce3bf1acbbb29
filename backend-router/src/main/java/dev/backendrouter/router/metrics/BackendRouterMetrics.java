package dev.backendrouter.router.metrics;

import dev.backendrouter.api.BackendMember;
import dev.backendrouter.api.Problem;
import dev.backendrouter.api.Topology;
import dev.backendrouter.router.BackendRouter;
import dev.backendrouter.router.MemberHealth;
import dev.backendrouter.router.RouterListener;
import dev.backendrouter.router.RouterSnapshot;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * Micrometer metrics of a router. Micrometer is an optional dependency: only this class needs
 * it.
 *
 * <pre>{@code
 * BackendRouterMetrics.bind(router, meterRegistry);
 * }</pre>
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th></tr>
 *   <tr><td>{@code backend.router.calls}</td><td>timer</td><td>group, kind (read, write), outcome (success, not_found, failed)</td></tr>
 *   <tr><td>{@code backend.router.attempts}</td><td>timer</td><td>group, member, role, outcome (success, not_found, failed, final)</td></tr>
 *   <tr><td>{@code backend.router.failovers}</td><td>counter</td><td>group, member (the one moved away from)</td></tr>
 *   <tr><td>{@code backend.router.breaker.transitions}</td><td>counter</td><td>member, state (the new one)</td></tr>
 *   <tr><td>{@code backend.router.health.transitions}</td><td>counter</td><td>member, health (the new one)</td></tr>
 *   <tr><td>{@code backend.router.cache.reads}</td><td>counter</td><td>group, status (HIT, MISS, STALE, BYPASS)</td></tr>
 *   <tr><td>{@code backend.router.cache.member.reads}</td><td>timer</td><td>group, member, result (hit, miss, error,
 *       skipped): each read of a cache member served by a connector ({@code redis://}) and its latency</td></tr>
 *   <tr><td>{@code backend.router.cache.member.errors}</td><td>counter</td><td>group, member, operation (get, set, delete)</td></tr>
 *   <tr><td>{@code backend.router.cache.miss.ratio}</td><td>gauge, 0 to 1</td><td>group: of the reads that asked the
 *       group's cache members in the last minute, the share they could not answer (misses, errors, skipped); NaN
 *       before any</td></tr>
 *   <tr><td>{@code backend.router.topology.updates}</td><td>counter</td><td>result (applied, rejected)</td></tr>
 *   <tr><td>{@code backend.router.member.in.flight}</td><td>gauge</td><td>group, member, role</td></tr>
 *   <tr><td>{@code backend.router.member.latency}</td><td>gauge, ms</td><td>group, member, role</td></tr>
 *   <tr><td>{@code backend.router.member.healthy}</td><td>gauge, 1 or 0</td><td>group, member, role</td></tr>
 *   <tr><td>{@code backend.router.member.breaker.open}</td><td>gauge, 1 or 0</td><td>group, member, role</td></tr>
 * </table>
 *
 * Member gauges follow topology reloads: gauges of new members appear, gauges of removed members
 * read NaN.
 */
public final class BackendRouterMetrics implements RouterListener {
    private final MeterRegistry registry;
    private final WeakReference<BackendRouter> router;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Set<String> gauged = ConcurrentHashMap.newKeySet();
    private final Map<String, MissRatio> missRatios = new ConcurrentHashMap<>();

    private BackendRouterMetrics(BackendRouter router, MeterRegistry registry) {
        this.registry = registry;
        this.router = new WeakReference<>(router);
    }

    /** Binds the router's metrics to {@code registry}. */
    public static BackendRouterMetrics bind(BackendRouter router, MeterRegistry registry) {
        BackendRouterMetrics metrics = new BackendRouterMetrics(router, registry);
        router.addListener(metrics);        // first, so a reload meanwhile is not missed
        metrics.gaugeMembers(router.snapshot());
        return metrics;
    }

    private void gaugeMembers(RouterSnapshot snapshot) {
        for (RouterSnapshot.GroupSnapshot group : snapshot.groups()) {
            for (RouterSnapshot.MemberSnapshot member : group.members()) {
                String id = group.name() + "/" + member.name();
                if (member.labels().containsKey("pod") || !gauged.add(id)) {
                    // members of discovered endpoints come and go with pods: per-member series would pile up
                    continue;
                }
                Tags tags = Tags.of("group", group.name(), "member", member.name(), "role", member.role().name());
                gauge("backend.router.member.in.flight", tags, id, m -> m.inFlight());
                gauge("backend.router.member.latency", tags, id, RouterSnapshot.MemberSnapshot::latencyMillis);
                gauge("backend.router.member.healthy", tags, id, m -> m.health() == MemberHealth.UNHEALTHY ? 0 : 1);
                gauge("backend.router.member.breaker.open", tags, id, m -> "OPEN".equals(m.breaker()) ? 1 : 0);
            }
        }
    }

    private void gauge(String name, Tags tags, String id, ToDoubleFunction<RouterSnapshot.MemberSnapshot> value) {
        Gauge.builder(name, this, metrics -> metrics.read(id, value)).tags(tags).register(registry);
    }

    /** A member's value now, or NaN when the router is gone or the member left the topology. */
    private double read(String id, ToDoubleFunction<RouterSnapshot.MemberSnapshot> value) {
        BackendRouter current = router.get();
        if (current == null) {
            return Double.NaN;
        }
        try {
            for (RouterSnapshot.GroupSnapshot group : current.snapshot().groups()) {
                for (RouterSnapshot.MemberSnapshot member : group.members()) {
                    if (id.equals(group.name() + "/" + member.name())) {
                        return value.applyAsDouble(member);
                    }
                }
            }
        } catch (RuntimeException closed) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    private final Map<String, double[]> discovered = new ConcurrentHashMap<>();

    /**
     * {@code backend.router.discovery.connected} (1 or 0) and {@code backend.router.discovery.endpoints}
     * per discovered entry, and {@code backend.router.discovery.disconnects} counting lost watches.
     */
    @Override
    public void discoveryChanged(String source, boolean connected, int endpoints, String problem) {
        double[] values = discovered.computeIfAbsent(source, s -> {
            double[] fresh = {1, 0};
            Gauge.builder("backend.router.discovery.connected", fresh, v -> v[0]).tags("source", s).register(registry);
            Gauge.builder("backend.router.discovery.endpoints", fresh, v -> v[1]).tags("source", s).register(registry);
            return fresh;
        });
        if (!connected && values[0] == 1) {
            counter("backend.router.discovery.disconnects", "source", source).increment();
        }
        values[0] = connected ? 1 : 0;
        values[1] = endpoints;
    }

    private Timer timer(String name, String... tags) {
        return timers.computeIfAbsent(name + String.join(",", tags), k -> Timer.builder(name).tags(tags).register(registry));
    }

    private Counter counter(String name, String... tags) {
        return counters.computeIfAbsent(name + String.join(",", tags), k -> Counter.builder(name).tags(tags).register(registry));
    }

    @Override
    public void callFinished(String group, boolean write, String outcome, Duration duration, int attempts) {
        timer("backend.router.calls", "group", group, "kind", write ? "write" : "read", "outcome", outcome).record(duration);
    }

    @Override
    public void attemptFinished(String group, BackendMember member, String outcome, Duration duration) {
        timer("backend.router.attempts", "group", group, "member", member.name(), "role", member.role().name(),
                "outcome", outcome).record(duration);
    }

    @Override
    public void failover(String group, BackendMember from, String reason) {
        counter("backend.router.failovers", "group", group, "member", from.name()).increment();
    }

    @Override
    public void breakerStateChanged(String backend, String from, String to) {
        counter("backend.router.breaker.transitions", "member", backend, "state", to).increment();
    }

    @Override
    public void healthChanged(String backend, MemberHealth from, MemberHealth to) {
        counter("backend.router.health.transitions", "member", backend, "health", to.name()).increment();
    }

    @Override
    public void cacheRead(String group, String status) {
        counter("backend.router.cache.reads", "group", group, "status", status).increment();
    }

    @Override
    public void cacheMemberRead(String group, BackendMember member, String result, Duration duration) {
        timer("backend.router.cache.member.reads", "group", group, "member", member.name(), "result", result).record(duration);
        missRatios.computeIfAbsent(group, g -> {
            MissRatio ratio = new MissRatio();
            Gauge.builder("backend.router.cache.miss.ratio", ratio, r -> r.value(System.nanoTime())).tags("group", g)
                    .register(registry);
            return ratio;
        }).record(System.nanoTime(), !"hit".equals(result));
    }

    @Override
    public void cacheFailed(String group, BackendMember member, String operation, String reason) {
        counter("backend.router.cache.member.errors", "group", group, "member", member.name(), "operation", operation).increment();
    }

    @Override
    public void topologyApplied(Topology previous, Topology current) {
        counter("backend.router.topology.updates", "result", "applied").increment();
        BackendRouter bound = router.get();
        if (bound != null) {
            gaugeMembers(bound.snapshot());
        }
    }

    @Override
    public void topologyRejected(String source, List<Problem> problems) {
        counter("backend.router.topology.updates", "result", "rejected").increment();
    }
}

package dev.backendrouter.benchmarks.load;

import dev.backendrouter.api.BackendMember;
import dev.backendrouter.api.BackendRole;
import dev.backendrouter.api.Topology;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A primary and three read replicas answering in 2 ms, the third of which can be made 10× slower:
 * the fixture of the slow-replica and hedging scenarios. Reads go to the replicas (the router's
 * default read preference where a group has replicas); the primary serves only when they fail.
 */
final class Replicas implements AutoCloseable {
    static final long BASE_MICROS = 2_000;
    static final long SLOW_MICROS = 20_000;
    /** The first half second of every run is left out of its latencies: a fresh router learning its backends. */
    static final Duration WARM_UP = Duration.ofMillis(500);

    final SimBackend primary;
    final SimBackend[] replicas;

    private Replicas() {
        primary = SimBackend.start("primary").latencyMicros(BASE_MICROS);
        replicas = new SimBackend[] {
            SimBackend.start("replica-1").latencyMicros(BASE_MICROS),
            SimBackend.start("replica-2").latencyMicros(BASE_MICROS),
            SimBackend.start("replica-3").latencyMicros(BASE_MICROS)};
    }

    static Replicas start() {
        return new Replicas();
    }

    Topology topology() {
        BackendMember[] members = new BackendMember[4];
        members[0] = Clients.member(primary, BackendRole.PRIMARY);
        for (int i = 0; i < 3; i++) {
            members[i + 1] = Clients.member(replicas[i], BackendRole.READ_REPLICA);
        }
        return Clients.topology(members);
    }

    List<Nginx.Server> nginxServers() {
        return Arrays.stream(replicas).map(Nginx.Server::primary).toList();
    }

    SimBackend slowOne() {
        return replicas[2];
    }

    /** Makes the third replica 10× slower, or as fast as the others again. */
    void slow(boolean slow) {
        slowOne().latencyMicros(slow ? SLOW_MICROS : BASE_MICROS);
    }

    static Driver.Load load(Context context) {
        return Driver.Load.paced(16, 800, context.seconds(2.5, 5));
    }

    /**
     * Runs the load and returns its numbers past the warm-up, with the requests the backends got
     * per call ({@code requestsPerCall}) and the slow replica's share of them ({@code slowShare}).
     */
    Map<String, Double> measure(Driver.Load load, Driver.Call call) throws InterruptedException {
        primary.resetCounts();
        Arrays.stream(replicas).forEach(SimBackend::resetCounts);
        Samples samples = Driver.run(load, call);
        long requests = primary.requests() + Arrays.stream(replicas).mapToLong(SimBackend::requests).sum();
        return Numbers.of(samples.window(WARM_UP.toNanos(), Long.MAX_VALUE))
                .put("requestsPerCall", (double) requests / samples.calls())
                .put("slowShare", (double) slowOne().requests() / requests)
                .map();
    }

    @Override
    public void close() {
        primary.close();
        Arrays.stream(replicas).forEach(SimBackend::close);
    }
}

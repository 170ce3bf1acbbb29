package dev.backendrouter.router.reliability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.notFound;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.backendrouter.api.BackendMember;
import dev.backendrouter.api.BackendRole;
import dev.backendrouter.api.MemberTimeouts;
import dev.backendrouter.api.RoutingKey;
import dev.backendrouter.api.Topology;
import dev.backendrouter.router.BackendRouter;
import dev.backendrouter.router.CallOptions;
import dev.backendrouter.router.HealthCheckSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every WireMock fault and three delays against a member of each role, with a healthy member
 * where the routing rules send a read next. Each cell asserts the outcome of every call (an
 * answer from the member the rules name, or the documented exception), that no POST reached the
 * backends twice (their request journals), that the connection pool is idle again, and that no
 * thread of the router outlives {@code close()}.
 */
class FaultsByRoleIntegrationTest {
    /** The faulty member's attempt timeout in the cells whose delay passes it; every other member has {@link #TIMEOUT}. */
    private static final Duration FAULTY_TIMEOUT = Duration.ofMillis(250);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final List<BackendRole> ROLES = List.of(BackendRole.PRIMARY, BackendRole.BACKUP, BackendRole.SHARD,
            BackendRole.READ_REPLICA, BackendRole.CACHE, BackendRole.ARCHIVE);
    private static final String[] POSTS = {"/orders/http", "/orders/generic"};

    /** What a trouble does to an attempt. */
    enum Effect { FAILS, BREAKS_STREAM, ANSWERS_SLOWLY }

    enum Trouble {
        CONNECTION_RESET_BY_PEER(Effect.FAILS, r -> r.withFault(Fault.CONNECTION_RESET_BY_PEER)),
        EMPTY_RESPONSE(Effect.FAILS, r -> r.withFault(Fault.EMPTY_RESPONSE)),
        MALFORMED_RESPONSE_CHUNK(Effect.BREAKS_STREAM, r -> r.withFault(Fault.MALFORMED_RESPONSE_CHUNK)),
        RANDOM_DATA_THEN_CLOSE(Effect.FAILS, r -> r.withFault(Fault.RANDOM_DATA_THEN_CLOSE)),
        DELAY_PAST_TIMEOUT(Effect.FAILS, r -> r.withFixedDelay(1_000)),
        DRIBBLE_PAST_TIMEOUT(Effect.FAILS, r -> r.withChunkedDribbleDelay(2, 1_000)),
        DELAY_WITHIN_TIMEOUT(Effect.ANSWERS_SLOWLY, r -> r.withFixedDelay(100));

        final Effect effect;
        private final Function<ResponseDefinitionBuilder, ResponseDefinitionBuilder> response;

        Trouble(Effect effect, Function<ResponseDefinitionBuilder, ResponseDefinitionBuilder> response) {
            this.effect = effect;
            this.response = response;
        }

        ResponseDefinitionBuilder response(String name) {
            return response.apply(aResponse().withStatus(200).withBody(name));
        }

        boolean pastTimeout() {
            return this == DELAY_PAST_TIMEOUT || this == DRIBBLE_PAST_TIMEOUT;
        }
    }

    /** One call of a cell: what it is, and what the docs say it ends in. */
    private record Step(String label, boolean read, Supplier<String> call, String expected) {
    }

    private static Backend alpha;     // the faulty member
    private static Backend beta;      // where reads go next
    private static Backend gamma;     // another shard
    private static Backend down;      // a primary that refuses connections
    private static OkHttpClient app;
    private static final Calls.Tally TALLY = new Calls.Tally();
    private static int cells;
    private static long duplicateWrites;
    private static long leakedConnections;
    private static long threadsLeft;

    @BeforeAll
    static void start() {
        alpha = new Backend("alpha");
        beta = new Backend("beta");
        gamma = new Backend("gamma");
        down = Backend.stopped("down");
        app = Calls.appClient();
    }

    @AfterAll
    static void stop() {
        Stream.of(alpha, beta, gamma, down).forEach(Backend::close);
        app.dispatcher().executorService().shutdown();
        app.connectionPool().evictAll();
        if (cells == ROLES.size() * Trouble.values().length) {
            String suite = "faults-by-role";
            Figures.record(suite, "fault × role scenarios", cells);
            Figures.record(suite, "calls made", TALLY.calls.get());
            Figures.record(suite, "reads answered", TALLY.readsAnswered.get());
            Figures.record(suite, "reads failed as documented (exception or broken stream)", TALLY.readsFailedAsDocumented.get());
            Figures.record(suite, "writes answered", TALLY.writesAnswered.get());
            Figures.record(suite, "writes failed as documented (exception or broken stream)", TALLY.writesFailedAsDocumented.get());
            Figures.record(suite, "duplicate non-idempotent writes", duplicateWrites);
            Figures.record(suite, "connections leaked", leakedConnections);
            Figures.record(suite, "threads left after close", threadsLeft);
        }
    }

    static Stream<Arguments> cells() {
        return ROLES.stream().flatMap(role -> Arrays.stream(Trouble.values()).map(trouble -> Arguments.of(role, trouble)));
    }

    @ParameterizedTest(name = "{1} on the {0} member")
    @MethodSource("cells")
    void everyCallIsAnsweredOrFailsAsDocumented(BackendRole role, Trouble trouble) {
        Stream.of(alpha, beta, gamma).forEach(Backend::reset);
        alpha.stub(any(anyUrl()).atPriority(1).willReturn(trouble.response("alpha")));
        beta.stub(any(urlPathMatching("/missing/.*")).atPriority(1).willReturn(notFound()));
        Set<Thread> before = Leaks.threads();
        BackendRouter router = BackendRouter.builder()
                .topology(topology(role, trouble))
                .ticker(new ManualTicker())
                .attemptTimeout(TIMEOUT)
                .cacheTierTimeout(trouble.pastTimeout() ? FAULTY_TIMEOUT : TIMEOUT)
                .healthChecks(HealthCheckSettings.defaults().withInterval(Duration.ofHours(1)))
                .build();
        try (router) {
            for (Step step : steps(router, role, trouble.effect)) {
                String outcome = step.call().get();
                assertThat(outcome).as(step.label()).isEqualTo(step.expected());
                TALLY.count(step.read(), outcome);
            }
            for (String path : POSTS) {
                int reached = Stream.of(alpha, beta, gamma).mapToInt(b -> b.count(postRequestedFor(urlPathEqualTo(path)))).sum();
                duplicateWrites += Math.max(0, reached - 1);
                assertThat(reached).as("POST " + path + " reached the backends once").isEqualTo(1);
            }
            assertWhereCallsWent(role);
            int inUse = Leaks.connectionsInUse(router.httpClient()) + Leaks.connectionsInUse(app);
            leakedConnections += inUse;
            assertThat(inUse).as("connections in use after every response was closed").isZero();
        }
        List<String> left = Leaks.threadsLeft(before);
        threadsLeft += left.size();
        assertThat(left).as("threads left after close()").isEmpty();
        cells++;
    }

    /** The faulty member is alpha; beta serves next; gamma is the other shard; down refuses connections. */
    private static Topology topology(BackendRole role, Trouble trouble) {
        BackendMember.Builder faulty = BackendMember.builder("alpha", alpha.url()).role(role)
                .timeouts(trouble.pastTimeout() ? new MemberTimeouts(null, FAULTY_TIMEOUT) : MemberTimeouts.DEFAULTS);
        BackendMember.Builder next = BackendMember.builder("beta", beta.url());
        Topology.Builder topology = Topology.builder().service("faults");
        return switch (role) {
            case PRIMARY -> topology.group("storage", faulty.build(), next.role(BackendRole.BACKUP).priority(2).build()).build();
            case BACKUP -> topology.group("storage", BackendMember.builder("down", down.url()).build(), faulty.priority(2).build(),
                    next.role(BackendRole.BACKUP).priority(3).build()).build();
            case SHARD -> topology.group("users", faulty.routingKey("users-a-m").build(),
                    next.role(BackendRole.BACKUP).priority(2).routingKey("users-a-m").build(),
                    BackendMember.builder("gamma", gamma.url()).role(BackendRole.SHARD).routingKey("users-n-z").build()).build();
            default -> topology.group("storage", next.build(), faulty.build()).build();
        };
    }

    /** The calls of a cell and what routing.md and resilience.md say each ends in. */
    private static List<Step> steps(BackendRouter router, BackendRole role, Effect effect) {
        boolean sharded = role == BackendRole.SHARD;
        String group = sharded ? "users" : "storage";
        String key = sharded ? "alice" : null;
        boolean faultyFirst = role == BackendRole.PRIMARY || role == BackendRole.BACKUP || sharded || role == BackendRole.READ_REPLICA;
        boolean faultyWrites = role == BackendRole.PRIMARY || role == BackendRole.BACKUP || sharded;
        String slow = "200 alpha";
        // over HTTP a stream that breaks after its status line is the caller's to read; a generic attempt reads it whole
        String httpRead = !faultyFirst ? "200 beta" : byEffect(effect, "200 beta", "broken 200", slow);
        String genericRead = !faultyFirst ? "200 beta" : byEffect(effect, "200 beta", "200 beta", slow);
        if (role == BackendRole.CACHE) {
            httpRead = effect == Effect.ANSWERS_SLOWLY ? slow : "200 beta";     // a failing cache is a miss
        }
        String httpPost = !faultyWrites ? "200 beta" : byEffect(effect, "failed BackendCallException", "broken 200", slow);
        String genericPost = !faultyWrites ? "200 beta" : byEffect(effect, "failed BackendCallException", "failed BackendCallException", slow);
        String httpPut = !faultyWrites ? "200 beta" : byEffect(effect, "200 beta", "broken 200", slow);
        OkHttpClient http = router.httpClient();
        RoutingKey routingKey = key == null ? null : RoutingKey.of(key);
        List<Step> steps = new ArrayList<>();
        steps.add(new Step("GET /files/1", true, () -> Calls.http(http, Calls.get(group, "/files/1", key)), httpRead));
        steps.add(new Step("GET /files/2", true, () -> Calls.http(http, Calls.get(group, "/files/2", key)), httpRead));
        steps.add(new Step("generic read /files/3", true, () -> Calls.generic(() -> router.group(group).read(routingKey,
                Calls.fetch(app, "GET", "/files/3", TIMEOUT))), genericRead));
        if (sharded) {
            steps.add(new Step("GET /files/5 of the other shard", true, () -> Calls.http(http, Calls.get(group, "/files/5", "zoe")),
                    "200 gamma"));
            steps.add(new Step("generic read /files/6 of the other shard", true, () -> Calls.generic(() -> router.group(group)
                    .read(RoutingKey.of("zoe"), Calls.fetch(app, "GET", "/files/6", TIMEOUT))), "200 gamma"));
        }
        if (role == BackendRole.ARCHIVE) {
            // the primary answers not found: the archive is the only member left
            steps.add(new Step("GET /missing/1", true, () -> Calls.http(http, Calls.get(group, "/missing/1", key)),
                    byEffect(effect, "failed NoBackendAvailableException", "broken 200", slow)));
            steps.add(new Step("generic read /missing/2", true, () -> Calls.generic(() -> router.group(group).read(routingKey,
                    Calls.fetch(app, "GET", "/missing/2", TIMEOUT))), byEffect(effect, "failed NoBackendAvailableException",
                    "failed NoBackendAvailableException", slow)));
        }
        steps.add(new Step("POST /orders/http", false, () -> Calls.http(http, Calls.post(group, POSTS[0], key)), httpPost));
        steps.add(new Step("generic write POST /orders/generic", false, () -> Calls.generic(() -> router.group(group)
                .write(routingKey, CallOptions.defaults(), Calls.fetch(app, "POST", POSTS[1], TIMEOUT))), genericPost));
        steps.add(new Step("PUT /files/4", false, () -> Calls.http(http, Calls.put(group, "/files/4", key)), httpPut));
        return steps;
    }

    private static String byEffect(Effect effect, String fails, String breaksStream, String answersSlowly) {
        return switch (effect) {
            case FAILS -> fails;
            case BREAKS_STREAM -> breaksStream;
            case ANSWERS_SLOWLY -> answersSlowly;
        };
    }

    /** Writes never reach replicas, caches or archives; the archive is asked only after not found; other shards are left alone. */
    private static void assertWhereCallsWent(BackendRole role) {
        switch (role) {
            case READ_REPLICA, CACHE, ARCHIVE -> assertThat(alpha.count(postRequestedFor(anyUrl()))).as("POSTs to the " + role).isZero();
            case SHARD -> {
                assertThat(gamma.requests()).as("requests to the other shard: its own two reads").isEqualTo(2);
                assertThat(alpha.count(anyRequestedFor(urlPathMatching("/files/[56]"))) + beta.count(anyRequestedFor(
                        urlPathMatching("/files/[56]")))).as("the other shard's reads on this shard").isZero();
            }
            default -> {
            }
        }
        if (role == BackendRole.ARCHIVE) {
            assertThat(alpha.count(anyRequestedFor(urlPathMatching("/files/.*")))).as("archive asked for found items").isZero();
        }
    }
}

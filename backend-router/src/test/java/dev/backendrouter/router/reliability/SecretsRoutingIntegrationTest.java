package dev.backendrouter.router.reliability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.backendrouter.router.reliability.Secrets.API_KEY;
import static dev.backendrouter.router.reliability.Secrets.BEARER;
import static dev.backendrouter.router.reliability.Secrets.CUSTOM;
import static dev.backendrouter.router.reliability.Secrets.FROM_ENV;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.backendrouter.api.BackendCallException;
import dev.backendrouter.api.BackendMember;
import dev.backendrouter.api.NoBackendAvailableException;
import dev.backendrouter.api.Problem;
import dev.backendrouter.api.Topology;
import dev.backendrouter.router.BackendRouter;
import dev.backendrouter.router.BackendRoutingIOException;
import dev.backendrouter.router.HealthCheckSettings;
import dev.backendrouter.router.MemberHealth;
import dev.backendrouter.router.RouterListener;
import dev.backendrouter.router.RouterSnapshot;
import dev.backendrouter.router.TopologySource;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Calls through a router whose members hold secrets — an API key, a bearer token, a custom header
 * and a key from a placeholder — over real loopback HTTP (WireMock): failover, a backend that
 * echoes the key in its error answer, every member failing, an open breaker, health checks. Each
 * backend gets its own credential (the request journal shows it) and nothing printed shows any:
 * exceptions with their causes, the snapshot and its JSON, every log line, every listener argument.
 */
@Tag("captured-logs")
class SecretsRoutingIntegrationTest {
    /** A 503 whose error body quotes the key it was sent, as some APIs do ("invalid key sk-..."). */
    private static final String ECHOING_503 = "{\"error\":{\"code\":\"QUOTA\",\"message\":\"key " + API_KEY
            + " is over its quota\",\"request_id\":\"r-1\"}}";

    private final WireMockServer primary = backend();
    private final WireMockServer backup = backend();
    private final WireMockServer archive = backend();
    private final List<String> heard = new CopyOnWriteArrayList<>();

    @TempDir
    Path dir;

    private static WireMockServer backend() {
        WireMockServer server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().containerThreads(8)
                .jettyAcceptors(1));
        server.start();
        server.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().withStatus(200).withBody("ok")));
        return server;
    }

    @BeforeEach
    void forgetEarlierLogLines() {
        CapturedLogs.clear();
    }

    @AfterEach
    void stop() {
        primary.stop();
        backup.stop();
        archive.stop();
    }

    @AfterAll
    static void figures() {
        Secrets.recordFigures();
    }

    private static String refusedUrl() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }
    }

    /** storage: the primary (API key), the backup (bearer), the archive (a custom header); blobs: a key from ${API_KEY}. */
    private TopologySource topology(String primaryUrl, String backupUrl) throws IOException {
        Path file = Files.writeString(dir.resolve("topology.yaml"), """
                service: file-service
                groups:
                  storage:
                    backends:
                      - { name: fs-1, url: "%s", auth: { header: X-API-Key, value: "%s" } }
                      - { name: fs-2, url: "%s", role: BACKUP, priority: 2, auth: { bearer: "%s" } }
                      - { name: fs-3, url: "%s", role: ARCHIVE, auth: { header: X-Storage-Token, value: "%s" } }
                  blobs:
                    backends:
                      - { name: blob-1, url: "%s", auth: { header: X-API-Key, value: "${API_KEY}" } }
                """.formatted(primaryUrl, API_KEY, backupUrl, BEARER, archive.baseUrl(), CUSTOM, archive.baseUrl()));
        return TopologySource.file(file).withEnvironment(Map.of("API_KEY", FROM_ENV)::get);
    }

    /** A router that hears everything into {@link #heard}, as text. */
    private BackendRouter router(TopologySource source, HealthCheckSettings health, CircuitBreakerConfig breaker) {
        return BackendRouter.builder().topology(source).healthChecks(health).circuitBreakerConfig(breaker)
                .attemptTimeout(Duration.ofSeconds(2)).listener(new RouterListener() {
                    @Override
                    public void attemptFinished(String group, BackendMember member, String outcome, Duration duration) {
                        heard.add("attemptFinished " + group + " " + member + " " + outcome);
                    }

                    @Override
                    public void failover(String group, BackendMember from, String reason) {
                        heard.add("failover " + group + " " + from + " " + reason);
                    }

                    @Override
                    public void breakerStateChanged(String backend, String from, String to) {
                        heard.add("breakerStateChanged " + backend + " " + from + " " + to);
                    }

                    @Override
                    public void healthChanged(String backend, MemberHealth from, MemberHealth to) {
                        heard.add("healthChanged " + backend + " " + from + " " + to);
                    }

                    @Override
                    public void topologyApplied(Topology previous, Topology current) {
                        heard.add("topologyApplied " + previous + " " + current);
                    }

                    @Override
                    public void topologyRejected(String source, List<Problem> problems) {
                        heard.add("topologyRejected " + source + " " + problems);
                    }
                }).build();
    }

    private static CircuitBreakerConfig breakerNeverOpens() {
        return CircuitBreakerConfig.custom().failureRateThreshold(100).minimumNumberOfCalls(1_000).build();
    }

    private static Response call(BackendRouter router, String url) throws IOException {
        return router.httpClient().newCall(new Request.Builder().url(url).build()).execute();
    }

    /** The snapshot (toString and JSON), the router's parts, every listener argument and log line. */
    private void assertNothingPrintedShowsASecret(String scenario, BackendRouter router) {
        RouterSnapshot snapshot = router.snapshot();
        Secrets.assertCleanToString(scenario + ": snapshot", snapshot);
        String json = Secrets.assertCleanJson(scenario + ": snapshot", snapshot);
        assertThat(json).contains("X-API-Key: ****", "Authorization: Bearer ****", "X-Storage-Token: ****");
        Secrets.assertCleanToString(scenario + ": router", router);
        Secrets.assertCleanToString(scenario + ": group", router.group("storage"));
        Secrets.assertCleanToString(scenario + ": topology", router.topology());
        Secrets.assertClean(scenario + ": listener arguments", String.join("\n", heard));
        Secrets.assertLogsClean(scenario);
    }

    private static void assertCredential(WireMockServer server, String path, String header, String value, String absent) {
        List<LoggedRequest> requests = server.findAll(anyRequestedFor(urlPathEqualTo(path)));
        assertThat(requests).as("requests to %s", path).isNotEmpty();
        for (LoggedRequest request : requests) {
            assertThat(request.getHeader(header)).as("%s of a request to %s", header, path).isEqualTo(value);
            assertThat(request.containsHeader(absent)).as("another member's header %s", absent).isFalse();
        }
        Secrets.credentialChecked();
    }

    @Test
    void failoverSendsEachMemberItsOwnCredentialAndAnEchoedKeyIsNeverRepeated() throws IOException {
        primary.stubFor(get(urlPathEqualTo("/files/42")).willReturn(aResponse().withStatus(503)
                .withHeader("Content-Type", "application/json").withBody(ECHOING_503)));
        try (BackendRouter router = router(topology(primary.baseUrl(), backup.baseUrl()), HealthCheckSettings.disabled(),
                breakerNeverOpens())) {
            try (Response response = call(router, "http://storage/files/42")) {
                assertThat(response.code()).isEqualTo(200);
                Secrets.assertCleanToString("the routed response", response);
                Secrets.assertCleanToString("the request it answers", response.request());
            }
            try (Response response = call(router, "http://blobs/b/1")) {
                assertThat(response.code()).isEqualTo(200);
            }

            assertCredential(primary, "/files/42", "X-API-Key", API_KEY, "Authorization");
            assertCredential(backup, "/files/42", "Authorization", "Bearer " + BEARER, "X-API-Key");
            assertCredential(archive, "/b/1", "X-API-Key", FROM_ENV, "X-Storage-Token");
            assertThat(router.snapshot().groups().get(0).members().get(0).lastError()).contains("HTTP 503", "QUOTA", "****");
            assertThat(heard).anyMatch(line -> line.startsWith("failover storage"));
            assertNothingPrintedShowsASecret("failover after an echoing 503", router);
        }
    }

    @Test
    void whenEveryMemberFailsTheExceptionAndItsCausesShowNoSecret() throws IOException {
        primary.stubFor(get(urlPathEqualTo("/files/42")).willReturn(aResponse().withStatus(503)
                .withHeader("Content-Type", "application/json").withBody(ECHOING_503)));
        try (BackendRouter router = router(topology(primary.baseUrl(), refusedUrl()), HealthCheckSettings.disabled(),
                breakerNeverOpens());
                BackendRouter unreachable = router(topology(refusedUrl(), refusedUrl()), HealthCheckSettings.disabled(),
                        breakerNeverOpens())) {
            try (Response kept = call(router, "http://storage/files/42")) {
                assertThat(kept.code()).as("the primary's answer, kept while the backup was refused").isEqualTo(503);
            }
            BackendRoutingIOException http = catchThrowableOfType(BackendRoutingIOException.class,
                    () -> call(unreachable, "http://storage/files/42").close());
            BackendCallException generic = catchThrowableOfType(BackendCallException.class,
                    () -> router.group("storage").read(null, member -> {
                        assertThat(member.auth().headerValue().reveal()).as("the member's credential, for the caller's client")
                                .isIn(API_KEY, "Bearer " + BEARER);
                        throw new IOException("the client of " + member + " failed");
                    }));

            assertThat(http.routerException()).isInstanceOf(BackendCallException.class);
            assertThat(http.getMessage()).contains("fs-1", "fs-2", "connection refused");
            assertThat(generic.attempts()).extracting(a -> a.member()).contains("fs-1", "fs-2");
            Secrets.assertClean("the routed OkHttp call's exception", http);
            Secrets.assertClean("the generic call's exception", generic);
            Secrets.assertCleanToString("its attempts", generic.attempts());
            assertCredential(primary, "/files/42", "X-API-Key", API_KEY, "Authorization");
            assertNothingPrintedShowsASecret("every member failing", router);
            assertNothingPrintedShowsASecret("no member reachable", unreachable);
        }
    }

    @Test
    void anOpenBreakerFailsFastAndSaysSoWithoutASecret() throws IOException {
        CircuitBreakerConfig opensAtOnce = CircuitBreakerConfig.custom().slidingWindowSize(2).minimumNumberOfCalls(2)
                .failureRateThreshold(50).waitDurationInOpenState(Duration.ofMinutes(5)).build();
        try (BackendRouter router = router(topology(refusedUrl(), refusedUrl()), HealthCheckSettings.disabled(), opensAtOnce)) {
            for (int i = 0; i < 3; i++) {
                catchThrowableOfType(BackendRoutingIOException.class, () -> call(router, "http://storage/files/42").close());
            }
            BackendRoutingIOException open = catchThrowableOfType(BackendRoutingIOException.class,
                    () -> call(router, "http://storage/files/42").close());

            assertThat(open.routerException()).isInstanceOf(NoBackendAvailableException.class);
            assertThat(router.snapshot().groups().get(0).members()).extracting(RouterSnapshot.MemberSnapshot::breaker)
                    .contains("OPEN");
            assertThat(CapturedLogs.events()).anyMatch(e -> e.message().startsWith("Circuit breaker of fs-1: CLOSED -> OPEN"));
            Secrets.assertClean("the fail-fast exception of open breakers", open);
            assertNothingPrintedShowsASecret("breakers opening", router);
        }
    }

    @Test
    void healthProbesCarryTheCredentialAndAnUnhealthyVerdictShowsNone() throws Exception {
        primary.stubFor(get(urlPathEqualTo("/health")).willReturn(aResponse().withStatus(503)
                .withHeader("Content-Type", "application/json").withBody(ECHOING_503)));
        HealthCheckSettings fast = HealthCheckSettings.defaults().withInterval(Duration.ofMillis(50)).withThresholds(1, 1);
        try (BackendRouter router = router(topology(primary.baseUrl(), backup.baseUrl()), fast, breakerNeverOpens())) {
            assertThat(router.awaitHealthy(Duration.ofSeconds(10))).isTrue();
            long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (router.snapshot().groups().get(0).members().get(0).health() != MemberHealth.UNHEALTHY
                    && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            try (Response response = call(router, "http://storage/files/7")) {
                assertThat(response.code()).isEqualTo(200);
            }

            assertThat(router.snapshot().groups().get(0).members().get(0).health()).isEqualTo(MemberHealth.UNHEALTHY);
            assertThat(CapturedLogs.events()).anyMatch(e -> e.message().matches("Health of fs-1: \\w+ -> UNHEALTHY"));
            assertCredential(primary, "/health", "X-API-Key", API_KEY, "Authorization");
            assertCredential(backup, "/health", "Authorization", "Bearer " + BEARER, "X-API-Key");
            assertCredential(backup, "/files/7", "Authorization", "Bearer " + BEARER, "X-API-Key");
            assertNothingPrintedShowsASecret("health checks", router);
        }
    }
}

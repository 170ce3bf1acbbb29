package dev.backendrouter.router;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.backendrouter.api.Attempt;
import dev.backendrouter.api.BackendAuth;
import dev.backendrouter.api.BackendMember;
import dev.backendrouter.api.BackendRole;
import dev.backendrouter.api.MissingRoutingKeyException;
import dev.backendrouter.api.NoBackendAvailableException;
import dev.backendrouter.api.NoShardForKeyException;
import dev.backendrouter.api.RoutingKey;
import dev.backendrouter.api.Topology;
import java.io.IOException;
import java.util.List;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The routed OkHttp client against real servers on loopback: the registry's three patterns and the HTTP rules. */
class HttpRoutingIntegrationTest {
    private final List<LoopbackBackend> backends = new java.util.ArrayList<>();
    private final OkHttpClient base = new OkHttpClient();

    private LoopbackBackend backend(String name) {
        LoopbackBackend backend = new LoopbackBackend(name);
        backends.add(backend);
        return backend;
    }

    @AfterEach
    void stopBackends() {
        backends.forEach(LoopbackBackend::close);
        base.dispatcher().executorService().shutdown();
        base.connectionPool().evictAll();
    }

    private static BackendMember member(LoopbackBackend backend, BackendRole role, int priority) {
        return BackendMember.builder(backend.name(), backend.url()).role(role).priority(priority).build();
    }

    private BackendRouter router(String group, BackendMember... members) {
        return BackendRouter.builder().httpClient(base).healthChecks(HealthCheckSettings.disabled())
                .topology(Topology.builder().service("file-service").group(group, members).build()).build();
    }

    private static String get(OkHttpClient http, String url) throws IOException {
        try (Response response = http.newCall(new Request.Builder().url(url).build()).execute()) {
            return response.code() + " " + response.body().string();
        }
    }

    @Test
    void primaryAndBackupFailOverAndFailBack() throws IOException {
        LoopbackBackend primary = backend("file-system-server-1");
        LoopbackBackend backup = backend("file-system-server-2");
        try (BackendRouter router = router("storage", member(primary, BackendRole.PRIMARY, 1), member(backup, BackendRole.BACKUP, 2))) {
            OkHttpClient http = router.httpClient();
            assertThat(get(http, "http://storage/files/42")).isEqualTo("200 file-system-server-1");
            assertThat(primary.requests()).extracting(LoggedRequest::getUrl).containsExactly("/files/42");

            primary.stop();
            for (int i = 0; i < 5; i++) {
                assertThat(get(http, "http://storage/files/" + i)).isEqualTo("200 file-system-server-2");
            }
            primary.start();
            assertThat(get(http, "http://storage/files/7")).isEqualTo("200 file-system-server-1");
            assertThat(backup.requests()).hasSize(5);
            assertConnectionsReturnedToPool();
        }
    }

    @Test
    void shardsByTagOrHeaderAndRefusesCallsWithoutAnOwner() throws IOException {
        LoopbackBackend am = backend("file-system-server-1");
        LoopbackBackend nz = backend("file-system-server-2");
        Topology topology = Topology.builder().service("file-service").group("users",
                BackendMember.builder(am.name(), am.url()).role(BackendRole.SHARD).routingKey("users-a-m").build(),
                BackendMember.builder(nz.name(), nz.url()).role(BackendRole.SHARD).routingKey("users-n-z").build()).build();
        try (BackendRouter router = BackendRouter.builder().topology(topology).httpClient(base).healthChecks(HealthCheckSettings.disabled()).build()) {
            OkHttpClient http = router.httpClient();
            Request alice = new Request.Builder().url("http://users/files").tag(RoutingKey.class, RoutingKey.of("alice")).build();
            try (Response response = http.newCall(alice).execute()) {
                assertThat(response.body().string()).isEqualTo("file-system-server-1");
            }
            Request zoe = new Request.Builder().url("http://users/files").header("X-Routing-Key", "zoe").build();
            try (Response response = http.newCall(zoe).execute()) {
                assertThat(response.body().string()).isEqualTo("file-system-server-2");
            }
            assertThatThrownBy(() -> http.newCall(new Request.Builder().url("http://users/files").build()).execute())
                    .isInstanceOfSatisfying(BackendRoutingIOException.class,
                            e -> assertThat(e.routerException()).isInstanceOf(MissingRoutingKeyException.class));
            assertThatThrownBy(() -> http.newCall(new Request.Builder().url("http://users/files")
                    .header("X-Routing-Key", "7").build()).execute())
                    .hasCauseInstanceOf(NoShardForKeyException.class);
            assertThat(am.requests()).hasSize(1);
            assertThat(nz.requests()).hasSize(1);
        }
    }

    @Test
    void cacheAndStorageReadsReachTheStorageOnAMiss() throws IOException {
        LoopbackBackend cache = backend("redis-cache").stub(any(anyUrl()).willReturn(aResponse().withStatus(404)));
        LoopbackBackend storage = backend("file-system-server");
        try (BackendRouter router = router("storage", member(cache, BackendRole.CACHE, 1), member(storage, BackendRole.PRIMARY, 2))) {
            assertThat(get(router.httpClient(), "http://storage/files/1")).isEqualTo("200 file-system-server");
            try (Response response = router.httpClient().newCall(new Request.Builder().url("http://storage/files/1")
                    .put(RequestBody.create("x", MediaType.get("text/plain"))).build()).execute()) {
                assertThat(response.code()).isEqualTo(200);
            }
            assertThat(storage.requests()).extracting(LoggedRequest::getMethod).extracting(Object::toString)
                    .containsExactly("GET", "PUT");
        }
    }

    @Test
    void replicasTakeReadsNeverWrites() throws IOException {
        LoopbackBackend primary = backend("primary");
        LoopbackBackend replica = backend("replica");
        try (BackendRouter router = router("users", member(primary, BackendRole.PRIMARY, 1), member(replica, BackendRole.READ_REPLICA, 1))) {
            OkHttpClient http = router.httpClient();
            assertThat(get(http, "http://users/u/1")).isEqualTo("200 replica");
            Request fresh = new Request.Builder().url("http://users/u/1")
                    .tag(CallOptions.class, CallOptions.defaults().withReadPreference(ReadPreference.PRIMARY)).build();
            try (Response response = http.newCall(fresh).execute()) {
                assertThat(response.body().string()).isEqualTo("primary");
            }
            for (String method : List.of("PUT", "DELETE", "POST", "PATCH")) {
                RequestBody body = method.equals("DELETE") ? null : RequestBody.create("{}", MediaType.get("application/json"));
                try (Response response = http.newCall(new Request.Builder().url("http://users/u/1").method(method, body).build()).execute()) {
                    assertThat(response.body().string()).isEqualTo("primary");
                }
            }
            assertThat(replica.requests()).extracting(r -> r.getMethod().toString()).containsExactly("GET");
            replica.stop();
            assertThat(get(http, "http://users/u/2")).as("a dead replica falls through to the primary").isEqualTo("200 primary");
        }
    }

    @Test
    void eachReadPreferenceOverHttp() throws IOException {
        LoopbackBackend primary = backend("primary");
        LoopbackBackend replica = backend("replica");
        LoopbackBackend backup = backend("backup");
        try (BackendRouter router = router("users", member(primary, BackendRole.PRIMARY, 1),
                member(replica, BackendRole.READ_REPLICA, 1), member(backup, BackendRole.BACKUP, 2))) {
            java.util.Map<ReadPreference, String> served = new java.util.EnumMap<>(ReadPreference.class);
            for (ReadPreference preference : ReadPreference.values()) {
                Request request = new Request.Builder().url("http://users/u/1")
                        .tag(CallOptions.class, CallOptions.defaults().withReadPreference(preference)).build();
                try (Response response = router.httpClient().newCall(request).execute()) {
                    served.put(preference, response.body().string());
                }
            }
            assertThat(served).containsEntry(ReadPreference.PRIMARY, "primary")
                    .containsEntry(ReadPreference.PRIMARY_PREFERRED, "primary")
                    .containsEntry(ReadPreference.REPLICA, "replica")
                    .containsEntry(ReadPreference.REPLICA_PREFERRED, "replica");
            assertThat(served.get(ReadPreference.NEAREST)).isIn("primary", "replica", "backup");
            primary.stop();
            replica.stop();
            assertThat(get(router.httpClient(), "http://users/u/2")).as("replica and primary down: the backup").isEqualTo("200 backup");
            Request replicaOnly = new Request.Builder().url("http://users/u/3")
                    .tag(CallOptions.class, CallOptions.defaults().withReadPreference(ReadPreference.REPLICA)).build();
            assertThatThrownBy(() -> router.httpClient().newCall(replicaOnly).execute())
                    .hasCauseInstanceOf(NoBackendAvailableException.class);
            assertThat(backup.requests()).extracting(LoggedRequest::getUrl).contains("/u/2").doesNotContain("/u/3");
        }
    }

    @Test
    void theArchiveAnswersOnlyAfterHotTiersSayNotFound() throws IOException {
        LoopbackBackend primary = backend("primary").stub(com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo("/files/old")).willReturn(aResponse().withStatus(404)));
        LoopbackBackend archive = backend("archive");
        try (BackendRouter router = router("storage", member(primary, BackendRole.PRIMARY, 1), member(archive, BackendRole.ARCHIVE, 1))) {
            OkHttpClient http = router.httpClient();
            assertThat(get(http, "http://storage/files/new")).isEqualTo("200 primary");
            assertThat(archive.requests()).isEmpty();
            assertThat(get(http, "http://storage/files/old")).isEqualTo("200 archive");
            archive.stub(any(anyUrl()).willReturn(aResponse().withStatus(404).withBody("gone")));
            assertThat(get(http, "http://storage/files/old")).as("not found anywhere: the last 404").isEqualTo("404 gone");
            primary.stub(any(anyUrl()).willReturn(aResponse().withStatus(503)));
            assertThat(get(http, "http://storage/files/x")).as("a failure is not a not-found").isEqualTo("503 ");
            assertThat(archive.requests()).hasSize(2);
            assertConnectionsReturnedToPool();
        }
    }

    @Test
    void postIsSentOnceUnlessItNeverArrivedOrHasAnIdempotencyKey() throws IOException {
        LoopbackBackend primary = backend("primary").stub(any(anyUrl()).willReturn(aResponse().withStatus(503)));
        LoopbackBackend backup = backend("backup");
        try (BackendRouter router = router("orders", member(primary, BackendRole.PRIMARY, 1), member(backup, BackendRole.BACKUP, 2))) {
            OkHttpClient http = router.httpClient();
            RequestBody body = RequestBody.create("{\"item\":1}", MediaType.get("application/json"));
            try (Response response = http.newCall(new Request.Builder().url("http://orders/orders").post(body).build()).execute()) {
                assertThat(response.code()).isEqualTo(503);
            }
            assertThat(backup.requests()).isEmpty();
            try (Response response = http.newCall(new Request.Builder().url("http://orders/orders").post(body)
                    .header("Idempotency-Key", "order-1").build()).execute()) {
                assertThat(response.body().string()).isEqualTo("backup");
            }
            try (Response response = http.newCall(new Request.Builder().url("http://orders/orders/1").put(body).build()).execute()) {
                assertThat(response.body().string()).as("PUT is idempotent").isEqualTo("backup");
            }
            primary.stop();
            base.connectionPool().evictAll(); // a backend that is down refuses new connections
            try (Response response = http.newCall(new Request.Builder().url("http://orders/orders").post(body).build()).execute()) {
                assertThat(response.body().string()).as("refused: it never arrived").isEqualTo("backup");
            }
            assertThat(backup.requests()).extracting(r -> r.getBodyAsString()).containsOnly("{\"item\":1}").hasSize(3);
        }
    }

    @Test
    void everyAttemptCarriesTheMembersCredentialsAndOneRequestId() throws IOException {
        LoopbackBackend primary = backend("primary").stub(any(anyUrl()).willReturn(aResponse().withStatus(502)));
        LoopbackBackend backup = backend("backup");
        Topology topology = Topology.builder().service("s").group("school",
                BackendMember.builder(primary.name(), primary.url() + "/api").auth(BackendAuth.apiKey("X-API-Key", "k-1")).build(),
                BackendMember.builder(backup.name(), backup.url()).role(BackendRole.BACKUP).auth(BackendAuth.bearer("t-2")).build())
                .build();
        try (BackendRouter router = BackendRouter.builder().topology(topology).httpClient(base).healthChecks(HealthCheckSettings.disabled()).build()) {
            assertThat(get(router.httpClient(), "http://school/students?page=2")).isEqualTo("200 backup");
            LoggedRequest first = primary.requests().get(0);
            LoggedRequest second = backup.requests().get(0);
            assertThat(first.getUrl()).isEqualTo("/api/students?page=2");
            assertThat(first.getHeader("X-API-Key")).isEqualTo("k-1");
            assertThat(first.containsHeader("Authorization")).isFalse();
            assertThat(second.getUrl()).isEqualTo("/students?page=2");
            assertThat(second.getHeader("Authorization")).isEqualTo("Bearer t-2");
            assertThat(second.containsHeader("X-API-Key")).isFalse();
            assertThat(first.getHeader("X-Request-Id")).matches("[0-9a-f-]{36}").isEqualTo(second.getHeader("X-Request-Id"));

            try (Response response = router.httpClient().newCall(new Request.Builder().url("http://school/x")
                    .header("X-Request-Id", "req-77").build()).execute()) {
                assertThat(response.code()).isEqualTo(200);
            }
            assertThat(backup.requests().get(1).getHeader("X-Request-Id")).isEqualTo("req-77");
            assertThat(router.snapshot().groups().get(0).members()).extracting(RouterSnapshot.MemberSnapshot::auth)
                    .containsExactly("X-API-Key: ****", "Authorization: Bearer ****");
        }
    }

    @Test
    void errorResponsesAreReturnedAndNoResponseIsAnIoException() throws IOException {
        LoopbackBackend one = backend("one").stub(any(anyUrl()).willReturn(aResponse().withStatus(503).withBody("busy one")));
        LoopbackBackend two = backend("two").stub(any(anyUrl()).willReturn(aResponse().withStatus(504).withBody("busy two")));
        try (BackendRouter router = router("storage", member(one, BackendRole.PRIMARY, 1), member(two, BackendRole.BACKUP, 2))) {
            // one, two, then after a backoff one again: three failed attempts, the last response wins
            assertThat(get(router.httpClient(), "http://storage/a")).isEqualTo("503 busy one");
            one.stop();
            two.stop();
            assertThatThrownBy(() -> get(router.httpClient(), "http://storage/a"))
                    .isInstanceOfSatisfying(BackendRoutingIOException.class, e -> {
                        assertThat(e.routerException()).isInstanceOfSatisfying(NoBackendAvailableException.class, n ->
                                assertThat(n.attempts()).extracting(Attempt::member).containsExactly("one", "two", "one"));
                        assertThat(e.getMessage()).contains("one (" + one.url() + "): connection refused: is one running, "
                                + "and is the URL right?");
                    });
            assertConnectionsReturnedToPool();
        }
    }

    @Test
    void credentialsNeverFollowARedirectToAnotherHost() throws IOException {
        LoopbackBackend elsewhere = backend("elsewhere");
        LoopbackBackend member = backend("member")
                .stub(any(urlPathEqualTo("/away")).willReturn(aResponse().withStatus(302).withHeader("Location", elsewhere.url() + "/landing")))
                .stub(any(urlPathEqualTo("/here")).willReturn(aResponse().withStatus(302).withHeader("Location", "/landing")));
        Topology topology = Topology.builder().service("s").group("school",
                BackendMember.builder(member.name(), member.url()).auth(BackendAuth.apiKey("X-API-Key", "SECRET-KEY")).build()).build();
        try (BackendRouter router = BackendRouter.builder().topology(topology).httpClient(base).healthChecks(HealthCheckSettings.disabled()).build()) {
            try (Response response = router.httpClient().newCall(new Request.Builder().url("http://school/away").build()).execute()) {
                assertThat(response.body().string()).isEqualTo("elsewhere");
                assertThat(response.request().header("X-API-Key")).as("the caller's view holds no secret").isNull();
                assertThat(response.request().toString()).doesNotContain("SECRET-KEY");
            }
            assertThat(elsewhere.requests()).singleElement().satisfies(r -> assertThat(r.containsHeader("X-API-Key")).isFalse());
            assertThat(member.requests()).singleElement().satisfies(r -> assertThat(r.getHeader("X-API-Key")).isEqualTo("SECRET-KEY"));

            assertThat(get(router.httpClient(), "http://school/here")).isEqualTo("200 member");
            assertThat(member.requests()).hasSize(3).allSatisfy(r -> assertThat(r.getHeader("X-API-Key")).isEqualTo("SECRET-KEY"));
        }
    }

    @Test
    void aMembersAttemptTimeoutMovesTheCallOn() throws IOException {
        LoopbackBackend slow = backend("slow").stub(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("late")
                .withFixedDelay(2_000)));
        LoopbackBackend backup = backend("backup");
        Topology topology = Topology.builder().service("s").group("storage",
                BackendMember.builder(slow.name(), slow.url()).timeouts(new dev.backendrouter.api.MemberTimeouts(null,
                        java.time.Duration.ofMillis(200))).build(),
                BackendMember.builder(backup.name(), backup.url()).role(BackendRole.BACKUP).priority(2).build()).build();
        try (BackendRouter router = BackendRouter.builder().topology(topology).httpClient(base).healthChecks(HealthCheckSettings.disabled()).build()) {
            assertThat(get(router.httpClient(), "http://storage/files/1")).isEqualTo("200 backup");
            assertThat(router.snapshot().groups().get(0).members().get(0).lastError()).startsWith("timed out: is slow overloaded?");
        }
    }

    @Test
    void aOneShotBodyIsNeverSentTwice() throws IOException {
        LoopbackBackend primary = backend("primary").stub(any(anyUrl()).willReturn(aResponse().withStatus(503).withBody("busy")));
        LoopbackBackend backup = backend("backup");
        try (BackendRouter router = router("uploads", member(primary, BackendRole.PRIMARY, 1), member(backup, BackendRole.BACKUP, 2))) {
            RequestBody oneShot = new RequestBody() {
                @Override
                public MediaType contentType() {
                    return MediaType.get("application/octet-stream");
                }

                @Override
                public void writeTo(okio.BufferedSink sink) throws IOException {
                    sink.writeUtf8("stream");
                }

                @Override
                public boolean isOneShot() {
                    return true;
                }
            };
            try (Response response = router.httpClient().newCall(new Request.Builder().url("http://uploads/u/1").put(oneShot).build()).execute()) {
                assertThat(response.code()).isEqualTo(503);
                assertThat(response.body().string()).isEqualTo("busy");
            }
            assertThat(backup.requests()).isEmpty();
        }
    }

    @Test
    void aBadRoutingKeyHeaderIsARoutingFailure() {
        LoopbackBackend shard = backend("shard");
        Topology topology = Topology.builder().service("s").group("users",
                BackendMember.builder(shard.name(), shard.url()).role(BackendRole.SHARD).routingKey("users-a-z").build()).build();
        try (BackendRouter router = BackendRouter.builder().topology(topology).httpClient(base).healthChecks(HealthCheckSettings.disabled()).build()) {
            assertThatThrownBy(() -> router.httpClient().newCall(new Request.Builder().url("http://users/x")
                    .header("X-Routing-Key", "a".repeat(2000)).build()).execute())
                    .isInstanceOf(BackendRoutingIOException.class)
                    .hasMessageContaining("Bad X-Routing-Key header on GET http://users/...: invalid routing key");
            assertThat(shard.requests()).isEmpty();
        }
    }

    @Test
    void hostsThatAreNotGroupsPassThrough() throws IOException {
        LoopbackBackend direct = backend("direct");
        LoopbackBackend routed = backend("routed");
        try (BackendRouter router = router("storage", member(routed, BackendRole.PRIMARY, 1))) {
            assertThat(get(router.httpClient(), direct.url() + "/plain")).isEqualTo("200 direct");
            assertThat(direct.requests().get(0).containsHeader("X-Request-Id")).isFalse();
            assertThat(routed.requests()).isEmpty();
        }
    }

    /** Every response body was closed: each connection in the shared pool is idle again. */
    private void assertConnectionsReturnedToPool() {
        assertThat(base.connectionPool().idleConnectionCount()).isEqualTo(base.connectionPool().connectionCount());
    }
}

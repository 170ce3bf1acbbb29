package dev.backendrouter.router;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backendrouter.api.BackendMember;
import dev.backendrouter.api.BackendRole;
import dev.backendrouter.api.Problem;
import dev.backendrouter.api.Topology;
import dev.backendrouter.api.TopologyException;
import dev.backendrouter.router.spi.CacheConnection;
import dev.backendrouter.router.spi.CacheConnector;
import dev.backendrouter.router.spi.CacheEndpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cache members served by a {@link CacheConnector}, without any integration module on the class
 * path: the missing module is a problem with its path; the explicit hook serves; connections
 * follow reloads and close with the router.
 */
class CacheConnectorIntegrationTest {
    private final LoopbackBackend storage = new LoopbackBackend("file-system-server");
    @TempDir
    Path dir;

    /** A cache in this JVM's memory behind the SPI, counting what the router asks of it. */
    static final class MemoryConnector implements CacheConnector {
        final Map<String, byte[]> values = new ConcurrentHashMap<>();
        final List<String> opened = new CopyOnWriteArrayList<>();
        final List<String> closed = new CopyOnWriteArrayList<>();
        volatile boolean connectorClosed;
        volatile boolean deletesFail;
        final List<String> deleted = new CopyOnWriteArrayList<>();

        @Override
        public Set<String> schemes() {
            return Set.of("redis");
        }

        @Override
        public CacheConnection open(CacheEndpoint endpoint) {
            opened.add(endpoint.name() + " " + endpoint.url() + " " + endpoint.auth() + " " + endpoint.timeout().toMillis() + "ms");
            return new CacheConnection() {
                @Override
                public CompletionStage<byte[]> get(String key) {
                    return CompletableFuture.completedFuture(values.get(key));
                }

                @Override
                public CompletionStage<Void> set(String key, byte[] value, Duration ttl) {
                    values.put(key, value);
                    return CompletableFuture.completedFuture(null);
                }

                @Override
                public CompletionStage<Void> delete(List<String> keys) {
                    if (deletesFail) {
                        return CompletableFuture.failedFuture(new java.io.IOException("the delete was lost"));
                    }
                    keys.forEach(values::remove);
                    deleted.addAll(keys);
                    return CompletableFuture.completedFuture(null);
                }

                @Override
                public CompletionStage<Void> ping() {
                    return CompletableFuture.completedFuture(null);
                }

                @Override
                public void close() {
                    closed.add(endpoint.name());
                }
            };
        }

        @Override
        public void close() {
            connectorClosed = true;
        }
    }

    @BeforeEach
    void start() {
        storage.stub(get(urlEqualTo("/files/42")).willReturn(aResponse().withStatus(200).withBody("forty-two")));
    }

    @AfterEach
    void stop() {
        storage.close();
    }

    private Path topology(String name, String cacheUrl) throws Exception {
        return Files.writeString(dir.resolve(name), "service: file-service\n"
                + "groups:\n"
                + "  files:\n"
                + "    backends:\n"
                + "      - { name: " + name.replace(".yaml", "") + ", url: \"" + cacheUrl + "\", role: CACHE, priority: 1 }\n"
                + "      - { name: file-system-server, url: \"" + storage.url() + "\", role: PRIMARY, priority: 2 }\n");
    }

    @Test
    void aDeleteTheCacheDidNotGetIsOwedItsKeyIsReadFromStorageAndItIsSentAgain() throws Exception {
        storage.stub(get(urlEqualTo("/files/7")).willReturn(aResponse().withStatus(200).withBody("seven")));
        MemoryConnector memory = new MemoryConnector();
        String key = "br:file-service:files:h:GET /files/7";
        memory.values.put(key, "not an answer of ours, but held".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        try (BackendRouter router = BackendRouter.builder().topology(TopologySource.file(topology("redis-cache.yaml",
                        "redis://localhost:6379/0"))).cacheConnector(memory).readYourWrites(Duration.ZERO)
                .healthChecks(HealthCheckSettings.disabled()).build()) {
            memory.deletesFail = true;
            try (Response write = router.httpClient().newCall(new Request.Builder().url("http://files/files/7")
                    .delete().build()).execute()) {
                assertThat(write.code()).isEqualTo(200);
            }
            long before = storage.requests().size();
            // the entry is still held, but its delete is owed: the read skips the member and asks storage
            try (Response read = router.httpClient().newCall(new Request.Builder().url("http://files/files/7").build()).execute()) {
                assertThat(read.body().string()).isEqualTo("seven");
            }
            assertThat(storage.requests()).hasSize((int) before + 1);
            assertThat(memory.values).containsKey(key);

            // the member's next good answer sends the owed delete again
            memory.deletesFail = false;
            try (Response other = router.httpClient().newCall(new Request.Builder().url("http://files/files/42").build()).execute()) {
                assertThat(other.body().string()).isEqualTo("forty-two");
            }
            long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!memory.deleted.contains(key) && System.nanoTime() < until) {
                Thread.sleep(5);
            }
            assertThat(memory.deleted).as("the owed delete, sent again").contains(key);
        }
    }

    @Test
    void withoutTheModuleARedisMemberIsAProblemNamingMemberPathAndArtifact() throws Exception {
        Path file = topology("redis-cache.yaml", "redis://localhost:6379/0");
        assertThatThrownBy(() -> BackendRouter.builder().topology(TopologySource.file(file)).build())
                .isInstanceOfSatisfying(TopologyException.class, e -> assertThat(e.problems()).containsExactly(new Problem(
                        "groups.files.backends[0].url", "cache member redis-cache (redis://localhost:6379/0) needs the module "
                        + "dev.backendrouter:backend-router-redis on the class path: add that dependency, or give the member "
                        + "an http(s) URL")));
    }

    @Test
    void aReloadToARedisMemberWithoutTheModuleIsRefusedAndTheOldTopologyServes() throws Exception {
        Topology before = Topology.builder().service("file-service").group("files",
                BackendMember.builder("file-system-server", storage.url()).role(BackendRole.PRIMARY).build()).build();
        Path next = topology("redis-cache.yaml", "redis://localhost:6379/0");
        TopologySource[] current = {TopologySource.of(before)};
        try (BackendRouter router = BackendRouter.builder().topology(() -> current[0].load())
                .healthChecks(HealthCheckSettings.disabled()).build()) {
            current[0] = TopologySource.file(next);
            assertThatThrownBy(router::reload).isInstanceOf(TopologyException.class)
                    .hasMessageContaining("backend-router-redis");
            assertThat(router.topology()).isEqualTo(before);
            try (Response response = router.httpClient().newCall(new Request.Builder().url("http://files/files/42").build()).execute()) {
                assertThat(response.body().string()).isEqualTo("forty-two");
            }
        }
    }

    @Test
    void anExplicitConnectorServesReadsAndItsConnectionsFollowReloadsAndClose() throws Exception {
        MemoryConnector memory = new MemoryConnector();
        Path first = topology("cache-a.yaml", "redis://:pw@cache-a:6379/0");
        TopologySource[] current = {TopologySource.file(first)};
        try (BackendRouter router = BackendRouter.builder().topology(() -> current[0].load())
                .cacheConnector(memory).healthChecks(HealthCheckSettings.disabled()).build()) {
            assertThat(memory.opened).containsExactly("cache-a redis://cache-a:6379/0 Password[password=****] 50ms");
            for (int i = 0; i < 3; i++) {
                try (Response response = router.httpClient().newCall(new Request.Builder().url("http://files/files/42").build()).execute()) {
                    assertThat(response.body().string()).isEqualTo("forty-two");
                }
                if (i == 0) {
                    long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                    while (memory.values.isEmpty() && System.nanoTime() < until) {
                        Thread.sleep(5);
                    }
                }
            }
            assertThat(memory.values).containsOnlyKeys("br:file-service:files:h:GET /files/42");
            assertThat(storage.requests()).hasSize(1);
            assertThat(router.snapshot().groups().get(0).cache().tierHits()).isEqualTo(2);

            current[0] = TopologySource.file(topology("cache-b.yaml", "redis://cache-b:6379/0"));
            router.reload();
            assertThat(memory.closed).containsExactly("cache-a");
            assertThat(memory.opened).hasSize(2);
        }
        assertThat(memory.closed).containsExactly("cache-a", "cache-b");
        assertThat(memory.connectorClosed).isTrue();
    }
}

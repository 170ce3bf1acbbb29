package dev.backendrouter.redis;

import static dev.backendrouter.redis.Routers.await;
import static dev.backendrouter.redis.Routers.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backendrouter.router.BackendRouter;
import dev.backendrouter.router.metrics.BackendRouterMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** rediss:// with a test certificate, Sentinel, several CACHE tiers by priority, and the metrics. */
class RedisTopologiesIntegrationTest {
    static Storage storage;
    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        storage = new Storage();
        storage.put("/files/42", "forty-two");
    }

    @AfterAll
    static void stop() {
        storage.close();
    }

    @Test
    void redissIsVerifiedAgainstTheMembersCertificatesAndByDefaultAgainstTheJvms() throws Exception {
        HeldCertificate ca = new HeldCertificate.Builder().certificateAuthority(0).commonName("test-ca").build();
        HeldCertificate server = new HeldCertificate.Builder().signedBy(ca).commonName("localhost")
                .addSubjectAlternativeName("localhost").addSubjectAlternativeName("127.0.0.1").build();
        Path caFile = Files.writeString(dir.resolve("ca.pem"), ca.certificatePem());
        Path certFile = Files.writeString(dir.resolve("server.pem"), server.certificatePem());
        Path keyFile = Files.writeString(dir.resolve("server.key"), server.privateKeyPkcs8Pem());
        int tlsPort = RedisServer.freePort();
        try (RedisServer redis = RedisServer.start(List.of("--tls-port", Integer.toString(tlsPort), "--tls-cert-file",
                certFile.toString(), "--tls-key-file", keyFile.toString(), "--tls-ca-cert-file", caFile.toString(),
                "--tls-auth-clients", "no"))) {
            String url = "rediss://localhost:" + tlsPort + "/0";
            Path trusted = Routers.write(dir, "trusted.yaml", Routers.pattern3(url,
                    ", tls: { trustedCertificates: \"" + caFile + "\" }", storage.url()));
            Heard heard = new Heard();
            try (BackendRouter first = Routers.router(trusted, b -> b.listener(heard));
                    BackendRouter second = Routers.router(trusted, b -> b.listener(heard))) {
                get(first.httpClient(), "http://files/files/42");
                await("cached over TLS", () -> first.snapshot().groups().get(0).cache().populated() == 1);
                assertThat(get(second.httpClient(), "http://files/files/42")[0]).isEqualTo("200 forty-two");
                assertThat(heard.reads("hit")).isEqualTo(1);
                assertThat(heard.failures).isEmpty();
            }
            assertThat(redis.command("DBSIZE")).isEqualTo("1");

            // the JVM's CAs do not know the test CA: the handshake fails, the read does not
            Path untrusted = Routers.write(dir, "untrusted.yaml", Routers.pattern3(url, "", storage.url()));
            Heard refused = new Heard();
            try (BackendRouter router = Routers.router(untrusted, b -> b.listener(refused))) {
                assertThat(get(router.httpClient(), "http://files/files/42")[0]).isEqualTo("200 forty-two");
                assertThat(refused.failures).anyMatch(line -> line.contains("TLS with redis-cache") && line.contains("tls.trustedCertificates"));
                assertThat(refused.reads("hit")).isZero();
            }
        }
    }

    @Test
    void aSentinelUrlFindsTheMaster() {
        try (RedisServer master = RedisServer.start();
                RedisServer sentinel = RedisServer.start(List.of("--sentinel",
                        "sentinel monitor mymaster 127.0.0.1 " + master.port() + " 1",
                        "sentinel resolve-hostnames no"))) {
            String url = "redis-sentinel://127.0.0.1:" + sentinel.port() + "/0#mymaster";
            Path topology = Routers.write(dir, "sentinel.yaml", Routers.pattern3(url, "", storage.url()));
            try (BackendRouter router = Routers.router(topology)) {
                get(router.httpClient(), "http://files/files/42");
                await("cached on the master", () -> "1".equals(master.command("EXISTS", "br:file-service:files:h:GET /files/42")));
                get(router.httpClient(), "http://files/files/42");
                assertThat(router.snapshot().groups().get(0).cache().tierHits()).isEqualTo(1);
            }
        }
    }

    @Test
    void cacheTiersAreTriedByPriority() {
        try (RedisServer second = RedisServer.start()) {
            int nothingThere = RedisServer.freePort();
            Path topology = Routers.write(dir, "tiers.yaml", "service: file-service\n"
                    + "groups:\n"
                    + "  files:\n"
                    + "    backends:\n"
                    + "      - { name: cache-1, url: \"redis://127.0.0.1:" + nothingThere + "/0\", role: CACHE, priority: 1 }\n"
                    + "      - { name: cache-2, url: \"" + second.url(0) + "\", role: CACHE, priority: 2 }\n"
                    + "      - { name: file-system-server, url: \"" + storage.url() + "\", role: PRIMARY, priority: 3 }\n");
            Heard heard = new Heard();
            try (BackendRouter router = Routers.router(topology, b -> b.listener(heard))) {
                get(router.httpClient(), "http://files/files/42");
                await("cached on cache-2", () -> "1".equals(second.command("EXISTS", "br:file-service:files:h:GET /files/42")));
                assertThat(get(router.httpClient(), "http://files/files/42")[0]).isEqualTo("200 forty-two");
                assertThat(heard.reads).contains("cache-2 miss", "cache-2 hit").doesNotContain("cache-1 hit", "cache-1 miss");
                // cache-1 is asked first each time: it fails, or is skipped while it tries to connect again
                assertThat(heard.reads.get(0)).isIn("cache-1 error", "cache-1 skipped");
                assertThat(heard.reads.get(heard.reads.indexOf("cache-2 hit") - 1)).isIn("cache-1 error", "cache-1 skipped");
                assertThat(heard.failures).anyMatch(line -> line.startsWith("files cache-1 get: cannot connect to cache-1"));
            }
        }
    }

    @Test
    void metricsCountHitsMissesErrorsAndTheMissRatio() {
        try (RedisServer redis = RedisServer.start()) {
            Path topology = Routers.write(dir, "t.yaml", Routers.pattern3(redis.url(0), "", storage.url()));
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            try (BackendRouter router = Routers.router(topology)) {
                BackendRouterMetrics.bind(router, registry);
                get(router.httpClient(), "http://files/files/42");
                await("cached", () -> router.snapshot().groups().get(0).cache().populated() == 1);
                get(router.httpClient(), "http://files/files/42");
                get(router.httpClient(), "http://files/files/42");
                redis.command("SET", "br:file-service:files:h:GET /files/43", "garbage");
                get(router.httpClient(), "http://files/files/43");

                assertThat(reads(registry, "hit")).isEqualTo(2);
                assertThat(reads(registry, "miss")).isEqualTo(1);
                assertThat(reads(registry, "error")).isEqualTo(1);
                assertThat(registry.get("backend.router.cache.member.errors").tags("member", "redis-cache", "operation", "get")
                        .counter().count()).isEqualTo(1);
                assertThat(registry.get("backend.router.cache.miss.ratio").tags("group", "files").gauge().value()).isEqualTo(0.5);
                assertThat(registry.get("backend.router.cache.member.reads").tags("result", "hit").timer().totalTime(
                        java.util.concurrent.TimeUnit.NANOSECONDS)).isPositive();
            }
        }
    }

    private static long reads(SimpleMeterRegistry registry, String result) {
        return registry.get("backend.router.cache.member.reads").tags("group", "files", "member", "redis-cache", "result", result)
                .timer().count();
    }
}

package dev.backendrouter.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backendrouter.api.BackendMember;
import dev.backendrouter.api.BackendRole;
import dev.backendrouter.api.MemberTls;
import dev.backendrouter.api.Topology;
import dev.backendrouter.router.reliability.TlsBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Health probes and hedged attempts, which run as calls of their own, verify each member its own way. */
class TlsProbesIntegrationTest {
    @TempDir
    Path dir;
    private TlsBackend secure;
    private String caPem;

    @BeforeEach
    void start() throws IOException {
        HeldCertificate ca = new HeldCertificate.Builder().certificateAuthority(0).build();
        HeldCertificate leaf = new HeldCertificate.Builder().addSubjectAlternativeName("localhost").signedBy(ca).build();
        secure = TlsBackend.https("secure", new HandshakeCertificates.Builder().heldCertificate(leaf, ca.certificate()).build());
        caPem = Files.writeString(dir.resolve("ca.pem"), ca.certificatePem()).toString();
    }

    @AfterEach
    void stop() {
        secure.close();
    }

    private Topology topology() {
        return Topology.builder().service("s").group("storage",
                BackendMember.builder("trusting", secure.url() + "/a").tls(MemberTls.trustedCertificates(caPem)).build(),
                BackendMember.builder("system-trust", secure.url() + "/b").role(BackendRole.BACKUP).build()).build();
    }

    private static MemberHealth healthOf(BackendRouter router, String name) {
        return router.snapshot().groups().get(0).members().stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow().health();
    }

    @Test
    void healthProbesVerifyEachMemberItsOwnWay() {
        try (BackendRouter router = BackendRouter.builder().topology(topology())
                .healthChecks(HealthCheckSettings.defaults().withInterval(Duration.ofHours(1))).build()) {
            for (int i = 0; i < 3; i++) {
                router.probeHealthNow();
            }
            assertThat(healthOf(router, "trusting")).isEqualTo(MemberHealth.HEALTHY);
            assertThat(healthOf(router, "system-trust")).isEqualTo(MemberHealth.UNHEALTHY);
            assertThat(secure.requests()).as("only the trusting member's probes reached the backend").isEqualTo(3);
        }
    }

    @Test
    void hedgedAttemptsVerifyEachMemberItsOwnWay() throws IOException {
        try (BackendRouter router = BackendRouter.builder().topology(topology()).hedging(Hedging.after(Duration.ofMinutes(1)))
                .healthChecks(HealthCheckSettings.disabled()).build()) {
            for (int i = 0; i < 3; i++) {
                try (Response response = router.httpClient().newCall(new Request.Builder().url("http://storage/x").build())
                        .execute()) {
                    assertThat(response.body().string()).isEqualTo("secure");
                }
            }
        }
        Topology untrusted = Topology.builder().service("s").group("storage",
                BackendMember.builder("system-trust", secure.url() + "/b").build()).build();
        try (BackendRouter router = BackendRouter.builder().topology(untrusted).hedging(Hedging.after(Duration.ofMinutes(1)))
                .healthChecks(HealthCheckSettings.disabled()).build()) {
            assertThatThrownBy(() -> router.httpClient().newCall(new Request.Builder().url("http://storage/x").build()).execute())
                    .isInstanceOf(BackendRoutingIOException.class)
                    .hasMessageContaining("system-trust (" + secure.url() + "/b): TLS certificate problem: the certificate is not trusted");
        }
        assertThat(secure.requests()).isEqualTo(3);
    }
}

package dev.backendrouter.router.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backendrouter.router.BackendRouter;
import dev.backendrouter.router.HealthCheckSettings;
import dev.backendrouter.router.RouterListener;
import dev.backendrouter.router.TopologySource;
import dev.backendrouter.api.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Certificates rotate under the same file name: the topology file does not change, the CA file
 * or trust store it names does. A reload reads the files again and applies the same topology with
 * the new certificates; a reload where nothing changed keeps the member's pooled connection.
 */
class TlsRotationIntegrationTest {
    private static final HealthCheckSettings NO_PROBES = HealthCheckSettings.defaults().withInterval(Duration.ofHours(1));

    @TempDir
    Path dir;

    private static String get(BackendRouter router) throws IOException {
        try (Response response = router.httpClient().newCall(new Request.Builder().url("http://storage/x").build()).execute()) {
            return response.body().string();
        }
    }

    @Test
    void aReloadReadsACaFileThatChangedUnderTheSameName() throws IOException {
        HeldCertificate ca = new HeldCertificate.Builder().commonName("Rotation CA").certificateAuthority(0).build();
        HeldCertificate next = new HeldCertificate.Builder().commonName("Next CA").certificateAuthority(0).build();
        HeldCertificate leaf = new HeldCertificate.Builder().commonName("secure").addSubjectAlternativeName("localhost")
                .signedBy(ca).build();
        Path pem = Files.writeString(dir.resolve("ca.pem"), ca.certificatePem());
        List<Topology> applied = new CopyOnWriteArrayList<>();
        int rotations = 0;
        try (TlsBackend secure = TlsBackend.https("secure",
                new HandshakeCertificates.Builder().heldCertificate(leaf, ca.certificate()).build())) {
            Path file = Files.writeString(dir.resolve("topology.yaml"), "service: rotation\ngroups:\n  storage:\n    backends:\n"
                    + "      - { name: secure, url: '" + secure.url() + "', tls: { trustedCertificates: '" + pem + "' } }\n");
            try (BackendRouter router = BackendRouter.builder().healthChecks(NO_PROBES).maxAttempts(1)
                    .topology(TopologySource.file(file))
                    .listener(new RouterListener() {
                        @Override
                        public void topologyApplied(Topology previous, Topology current) {
                            applied.add(current);
                        }
                    }).build()) {
                assertThat(get(router)).isEqualTo("secure");
                Topology before = router.topology();

                assertThat(router.reload()).as("nothing changed").isSameAs(before);
                assertThat(get(router)).isEqualTo("secure");
                assertThat(secure.connections()).as("nothing re-read, the pooled connection serves on").isEqualTo(1);
                assertThat(applied).isEmpty();

                Files.writeString(pem, next.certificatePem());          // rotated to a CA that did not sign the member
                assertThat(router.reload()).isEqualTo(before);
                rotations++;
                assertThatThrownBy(() -> get(router)).as("the file's new content is what verifies now")
                        .hasMessageContaining("TLS certificate problem");

                Files.writeString(pem, next.certificatePem() + ca.certificatePem());     // both, as a rotation has it
                router.reload();
                rotations++;
                assertThat(get(router)).isEqualTo("secure");
                assertThat(secure.connections()).as("the first, the refused handshake, and a new one verified by both CAs")
                        .isEqualTo(3);
                assertThat(applied).as("each re-read is applied once").hasSize(2).allSatisfy(t -> assertThat(t).isEqualTo(before));

                Files.delete(pem);
                assertThatThrownBy(router::reload).as("a rotated file that went missing refuses the reload")
                        .hasMessageContaining("groups.storage.backends[0].tls.trustedCertificates")
                        .hasMessageContaining("no such file");
                assertThat(get(router)).as("the last certificates serve on").isEqualTo("secure");
            }
        }
        Figures.record("hardening", "tls rotation: CA files changed under the same name and read again by a reload", rotations);
    }
}

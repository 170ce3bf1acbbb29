package dev.backendrouter.router.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.backendrouter.api.Problem;
import dev.backendrouter.api.TopologyException;
import dev.backendrouter.router.BackendRouter;
import dev.backendrouter.router.TopologySource;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad TLS settings and files are problems with their paths, never raw exceptions: a file's
 * fields when it is loaded, its certificate files when a router is built or reloaded; a refused
 * reload leaves the old topology serving.
 */
class TlsTopologyIntegrationTest {
    private static final String PIN = "sha256/" + "A".repeat(43) + "=";

    @TempDir
    Path dir;

    private Path topology(String members) throws IOException {
        return Files.writeString(dir.resolve("topology.yaml"), "service: tls-test\ngroups:\n  storage:\n    backends:\n"
                + members.indent(6));
    }

    private static String paths(TopologyException e) {
        return String.join("\n", e.problems().stream().map(Problem::toString).toList());
    }

    @Test
    void badTlsFieldsAreReportedWithTheirPaths() throws IOException {
        Path file = topology("""
                - { name: a, url: 'http://localhost:4001', tls: { pins: [ '%s' ] } }
                - { name: b, url: 'https://localhost:4002', tls: { trustedCertificate: ca.pem } }
                - { name: c, url: 'https://localhost:4003', tls: { pins: [ 'sha256/nope', 42, '%s' ] } }
                - { name: d, url: 'https://localhost:4004', tls: ca.pem }
                - { name: e, url: 'https://localhost:4005', tls: { trustedCertificates: ca.pem, trustStore: t.p12 } }
                - { name: f, url: 'https://localhost:4006', tls: { pins: 'sha256/x' , trustStorePassword: '${PASSWORD}' } }
                """.formatted(PIN, PIN));
        TopologyException e = catchThrowableOfType(TopologyException.class,
                () -> TopologySource.file(file).withEnvironment(name -> "s3cr3t").load());
        assertThat(e.problems()).extracting(Problem::path).containsExactlyInAnyOrder(
                "groups.storage.backends[0].tls",
                "groups.storage.backends[1].tls.trustedCertificate",
                "groups.storage.backends[2].tls.pins[1]",
                "groups.storage.backends[2].tls.pins[0]",
                "groups.storage.backends[3].tls",
                "groups.storage.backends[4].tls",
                "groups.storage.backends[5].tls.pins",
                "groups.storage.backends[5].tls.trustStorePassword");
        assertThat(paths(e)).doesNotContain("s3cr3t")
                .contains("groups.storage.backends[0].tls: tls settings apply to https members, but the url is "
                        + "'http://localhost:4001': use https:// or remove tls")
                .contains("groups.storage.backends[1].tls.trustedCertificate: unknown field (did you mean 'trustedCertificates'?)")
                .contains("groups.storage.backends[2].tls.pins[0]: 'sha256/nope' is not a pin")
                .contains("groups.storage.backends[3].tls: must be a mapping such as { trustedCertificates: ca.pem");
        Figures.record("tls", "bad tls fields reported with their paths", e.problems().size());
    }

    @Test
    void unusableFilesRefuseTheRouterWithWhatToCheck() throws Exception {
        HeldCertificate ca = new HeldCertificate.Builder().certificateAuthority(0).build();
        Files.writeString(dir.resolve("garbage.pem"), "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n");
        Files.writeString(dir.resolve("key-only.pem"), ca.privateKeyPkcs8Pem());
        Path store = dir.resolve("trust.p12");
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, null);
        keyStore.setCertificateEntry("ca", ca.certificate());
        try (OutputStream out = Files.newOutputStream(store)) {
            keyStore.store(out, "right".toCharArray());
        }
        Path file = topology("""
                - { name: a, url: 'https://localhost:4001', tls: { trustedCertificates: '%s' } }
                - { name: b, url: 'https://localhost:4002', tls: { trustedCertificates: '%s' } }
                - { name: c, url: 'https://localhost:4003', tls: { trustedCertificates: '%s' } }
                - { name: d, url: 'https://localhost:4004', tls: { trustStore: '%s', trustStorePassword: wrong } }
                - { name: e, url: 'https://localhost:4005', tls: { trustStore: '%s' } }
                """.formatted(dir.resolve("missing.pem"), dir.resolve("garbage.pem"), dir.resolve("key-only.pem"), store,
                dir.resolve("garbage.pem")));
        TopologySource source = TopologySource.file(file);
        assertThat(source.load().groups()).as("the loader does not read certificate files").hasSize(1);
        TopologyException e = catchThrowableOfType(TopologyException.class, () -> BackendRouter.builder().topology(source).build());
        assertThat(e.problems()).extracting(Problem::path).containsExactly(
                "groups.storage.backends[0].tls.trustedCertificates",
                "groups.storage.backends[1].tls.trustedCertificates",
                "groups.storage.backends[2].tls.trustedCertificates",
                "groups.storage.backends[3].tls.trustStore",
                "groups.storage.backends[4].tls.trustStore");
        assertThat(e.problems().get(0).message()).isEqualTo("no such file: '" + dir.resolve("missing.pem") + "'");
        assertThat(e.problems().get(1).message()).startsWith("'" + dir.resolve("garbage.pem") + "' is not a PEM file of "
                + "certificates (").endsWith("): it should hold one or more -----BEGIN CERTIFICATE----- blocks");
        assertThat(e.problems().get(2).message()).startsWith("'" + dir.resolve("key-only.pem") + "' has no certificate");
        assertThat(e.problems().get(3).message()).isEqualTo("cannot open the trust store '" + store + "' (wrong password): "
                + "check that it is a PKCS12 or JKS file and that trustStorePassword is its password");
        assertThat(e.problems().get(4).message()).startsWith("cannot open the trust store '" + dir.resolve("garbage.pem") + "' (")
                .endsWith("): check that it is a PKCS12 or JKS file and that trustStorePassword is its password");
        Figures.record("tls", "unusable certificate files refused with their paths", e.problems().size());
    }

    @Test
    void aReloadToABadCertificateFileKeepsTheOldTopologyServing() throws IOException {
        HeldCertificate ca = new HeldCertificate.Builder().certificateAuthority(0).build();
        HeldCertificate leaf = new HeldCertificate.Builder().addSubjectAlternativeName("localhost").signedBy(ca).build();
        Path pem = Files.writeString(dir.resolve("ca.pem"), ca.certificatePem());
        Path garbage = Files.writeString(dir.resolve("rotated.pem"), "not a certificate\n");
        try (TlsBackend secure = TlsBackend.https("secure",
                new HandshakeCertificates.Builder().heldCertificate(leaf, ca.certificate()).build())) {
            String member = "- { name: secure, url: '" + secure.url() + "', tls: { trustedCertificates: '%s' } }";
            Path file = topology(member.formatted(pem));
            try (BackendRouter router = BackendRouter.builder().topology(TopologySource.file(file)).build()) {
                assertThat(get(router)).isEqualTo("secure");
                topology(member.formatted(garbage));
                TopologyException e = catchThrowableOfType(TopologyException.class, router::reload);
                assertThat(e.problems()).extracting(Problem::path)
                        .containsExactly("groups.storage.backends[0].tls.trustedCertificates");
                assertThat(router.topology().group("storage").orElseThrow().members().get(0).tls().trustedCertificates())
                        .isEqualTo(pem.toString());
                assertThat(get(router)).as("the old topology serves on").isEqualTo("secure");

                Files.writeString(garbage, ca.certificatePem());
                assertThat(router.reload().group("storage").orElseThrow().members().get(0).tls().trustedCertificates())
                        .isEqualTo(garbage.toString());
                assertThat(get(router)).isEqualTo("secure");
            }
        }
        Figures.record("tls", "reloads refused for a bad certificate file, old topology serving", 1);
    }

    private static String get(BackendRouter router) throws IOException {
        try (Response response = router.httpClient().newCall(new Request.Builder().url("http://storage/x").build()).execute()) {
            return response.body().string();
        }
    }
}

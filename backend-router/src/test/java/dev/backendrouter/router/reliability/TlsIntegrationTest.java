package dev.backendrouter.router.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.backendrouter.api.BackendMember;
import dev.backendrouter.api.Problem;
import dev.backendrouter.api.TopologyException;
import dev.backendrouter.router.BackendRouter;
import dev.backendrouter.router.BackendRoutingIOException;
import dev.backendrouter.router.HealthCheckSettings;
import dev.backendrouter.router.RouterListener;
import dev.backendrouter.router.TopologySource;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.CertificatePinner;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS per member over real HTTPS on loopback: a private CA's certificate is refused by default
 * and accepted once trusted (PEM file, PKCS12 trust store); pins must match the verified chain;
 * members verified differently never share a connection. Bad settings and files are problems
 * with their paths, never raw exceptions, and a refused reload leaves the old topology serving.
 * Methods run in name order, so the suite's figures are recorded in one order on every machine.
 */
@TestMethodOrder(MethodOrderer.MethodName.class)
class TlsIntegrationTest {
    // health probes would add requests and connections to the exact counts these tests check
    private static final HealthCheckSettings NO_PROBES_DURING_A_TEST = HealthCheckSettings.defaults()
            .withInterval(Duration.ofHours(1));
    private static final String PIN = "sha256/" + "A".repeat(43) + "=";
    private static HeldCertificate ca;
    private static HeldCertificate leaf;
    private static HeldCertificate other;

    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();
    private final List<String> failovers = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void certificates() {
        ca = new HeldCertificate.Builder().commonName("Test Private CA").certificateAuthority(0).build();
        leaf = new HeldCertificate.Builder().commonName("secure").addSubjectAlternativeName("localhost").signedBy(ca).build();
        other = new HeldCertificate.Builder().commonName("Other CA").certificateAuthority(0).build();
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : open) {
            closeable.close();
        }
    }

    private TlsBackend secure() {
        TlsBackend backend = TlsBackend.https("secure",
                new HandshakeCertificates.Builder().heldCertificate(leaf, ca.certificate()).build());
        open.add(backend);
        return backend;
    }

    private TlsBackend plain() {
        TlsBackend backend = TlsBackend.http("plain");
        open.add(backend);
        return backend;
    }

    private Path caPem() throws IOException {
        return Files.writeString(dir.resolve("private-ca.pem"), ca.certificatePem());
    }

    /** A router over a topology file whose {@code storage} group has these YAML members. */
    private BackendRouter router(String... members) throws IOException {
        Path file = dir.resolve("topology.yaml");
        Files.writeString(file, "service: tls-test\ngroups:\n  storage:\n    backends:\n"
                + String.join("\n", members).indent(6));
        BackendRouter router = BackendRouter.builder().healthChecks(NO_PROBES_DURING_A_TEST)
                .topology(TopologySource.file(file).withEnvironment(name -> "changeit"))
                .listener(new RouterListener() {
                    @Override
                    public void failover(String group, BackendMember from, String reason) {
                        failovers.add(from.name() + ": " + reason);
                    }
                }).build();
        open.add(router);
        return router;
    }

    private static String get(BackendRouter router, String path) throws IOException {
        try (Response response = router.httpClient().newCall(new Request.Builder().url("http://storage" + path).build()).execute()) {
            return response.body().string();
        }
    }

    private long refusedCertificates() {
        return failovers.stream().filter(reason -> reason.contains("TLS certificate problem")).count();
    }

    @Test
    void aPrivateCertificateIsRefusedByDefaultAndTheNextMemberAnswers() throws IOException {
        TlsBackend secure = secure();
        TlsBackend plain = plain();
        try (BackendRouter router = router("- { name: secure, url: '" + secure.url() + "' }",
                "- { name: plain, url: '" + plain.url() + "', role: BACKUP }")) {
            for (int i = 0; i < 3; i++) {
                assertThat(get(router, "/files/" + i)).isEqualTo("plain");
            }
            try (Response posted = router.httpClient().newCall(new Request.Builder().url("http://storage/files")
                    .post(okhttp3.RequestBody.create("{}", okhttp3.MediaType.get("application/json"))).build()).execute()) {
                assertThat(posted.body().string()).as("a POST moves on too: nothing was sent").isEqualTo("plain");
            }
            assertThat(secure.requests()).as("a refused handshake never sends the request").isZero();
            assertThat(failovers).hasSize(4).allSatisfy(reason -> assertThat(reason)
                    .startsWith("secure: TLS certificate problem: the certificate is not trusted (")
                    .endsWith("trust its CA with tls.trustedCertificates or tls.trustStore, or fix its certificate or tls.pins"));
        }
        try (BackendRouter alone = router("- { name: secure, url: '" + secure.url() + "' }")) {
            assertThatThrownBy(() -> get(alone, "/files/1")).isInstanceOf(BackendRoutingIOException.class)
                    .hasMessageContaining("secure (" + secure.url() + ")")
                    .hasMessageContaining("TLS certificate problem: the certificate is not trusted")
                    .hasMessageContaining("trust its CA with tls.trustedCertificates");
        }
        Figures.record("tls", "calls answered by the next member after a refused certificate (3 GET, 1 POST)", 4);
        Figures.record("tls", "handshakes refused: certificate of an untrusted CA", refusedCertificates());
    }

    @Test
    void anHttpsUrlOnAPlainPortIsNotACertificateProblem() throws Exception {
        TlsBackend plain = plain();
        try (ServerSocket plainText = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread answering = new Thread(() -> {
                // answers the TLS hello in plain HTTP, as a plain server does
                try (Socket socket = plainText.accept()) {
                    socket.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes());
                } catch (IOException e) {
                    // the test's assertions tell
                }
            });
            answering.start();
            try (BackendRouter router = router("- { name: wrong-scheme, url: 'https://localhost:" + plainText.getLocalPort() + "' }",
                    "- { name: plain, url: '" + plain.url() + "', role: BACKUP }")) {
                assertThat(get(router, "/files/1")).isEqualTo("plain");
            }
            answering.join();
        }
        assertThat(failovers).singleElement().asString().startsWith("wrong-scheme: TLS failed (")
                .endsWith("): does wrong-scheme serve https on this port, with a protocol and cipher suite this JVM accepts?");
    }

    @Test
    void aCacheMemberOverHttpsIsVerifiedItsOwnWay() throws IOException {
        TlsBackend cache = secure();
        TlsBackend primary = plain();
        try (BackendRouter router = router("- { name: cache, url: '" + cache.url() + "', role: CACHE, tls: { trustedCertificates: '"
                + caPem() + "' } }", "- { name: plain, url: '" + primary.url() + "', role: PRIMARY, priority: 2 }")) {
            assertThat(get(router, "/files/1")).as("a hit: the cache member's own CA let the handshake through").isEqualTo("secure");
        }
        assertThat(primary.requests()).as("the primary is not asked").isZero();
        assertThat(failovers).isEmpty();
        Figures.record("hardening", "reads answered by an https cache member trusted by its own CA", 1);
    }

    @Test
    void trustedCertificatesFromAPemFile() throws IOException {
        TlsBackend secure = secure();
        try (BackendRouter router = router("- name: secure\n  url: '" + secure.url() + "'\n  tls: { trustedCertificates: '"
                + caPem() + "' }")) {
            for (int i = 0; i < 5; i++) {
                assertThat(get(router, "/files/" + i)).isEqualTo("secure");
            }
            assertThat(secure.connections()).as("attempts of one member share pooled connections").isEqualTo(1);
        }
        assertThat(failovers).isEmpty();
        Figures.record("tls", "calls answered when trusted: PEM file of the CA", 5);
    }

    @Test
    void trustedCertificatesFromAPkcs12TrustStore() throws Exception {
        TlsBackend secure = secure();
        Path store = dir.resolve("trust.p12");
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, null);
        keyStore.setCertificateEntry("private-ca", ca.certificate());
        try (OutputStream out = Files.newOutputStream(store)) {
            keyStore.store(out, "changeit".toCharArray());
        }
        try (BackendRouter router = router("- name: secure\n  url: '" + secure.url() + "'\n  tls: { trustStore: '" + store
                + "', trustStorePassword: '${TRUST_STORE_PASSWORD}' }")) {
            for (int i = 0; i < 5; i++) {
                assertThat(get(router, "/files/" + i)).isEqualTo("secure");
            }
        }
        assertThat(failovers).isEmpty();
        Figures.record("tls", "calls answered when trusted: PKCS12 trust store", 5);
    }

    @Test
    void pinsMustMatchAKeyOfTheVerifiedChain() throws IOException {
        TlsBackend secure = secure();
        String caPin = CertificatePinner.pin(ca.certificate());
        String otherPin = CertificatePinner.pin(other.certificate());
        String trusted = "tls: { trustedCertificates: '" + caPem() + "', pins: [ '";
        try (BackendRouter router = router("- name: secure\n  url: '" + secure.url() + "'\n  " + trusted + otherPin + "', '"
                + caPin + "' ] }")) {
            assertThat(get(router, "/files/1")).as("one pin of two matches the CA's key").isEqualTo("secure");
        }
        try (BackendRouter router = router("- name: secure\n  url: '" + secure.url() + "'\n  " + trusted + otherPin + "' ] }")) {
            assertThatThrownBy(() -> get(router, "/files/1")).isInstanceOf(BackendRoutingIOException.class)
                    .hasMessageContaining("secure (" + secure.url() + ")")
                    .hasMessageContaining("TLS certificate problem: no key of its certificate chain matches tls.pins")
                    .hasMessageContaining("(the chain's pins: " + CertificatePinner.pin(leaf.certificate()) + ": CN=secure, "
                            + caPin + ": CN=Test Private CA)")
                    .hasMessageContaining("fix its certificate or tls.pins");
        }
        assertThat(secure.requests()).isEqualTo(1);
        Figures.record("tls", "handshakes refused: no pin matches the chain", refusedCertificates());
        Figures.record("tls", "calls answered when trusted: a matching pin", 1);
    }

    @Test
    void membersVerifiedDifferentlyNeverShareAConnection() throws IOException {
        TlsBackend secure = secure();
        String pem = caPem().toString();
        try (BackendRouter router = router(
                "- { name: trusting, url: '" + secure.url() + "/a', tls: { trustedCertificates: '" + pem + "' } }",
                "- { name: system-trust, url: '" + secure.url() + "/b', role: BACKUP }",
                "- { name: pinned, url: '" + secure.url() + "/c', role: BACKUP, priority: 2, tls: { trustedCertificates: '"
                        + pem + "', pins: [ '" + CertificatePinner.pin(other.certificate()) + "' ] } }")) {
            assertThat(get(router, "/files/1")).isEqualTo("secure");
            assertThat(secure.connections()).isEqualTo(1);
        }
        // the same host and port, each member alone: a pooled connection of the trusting member must not serve the others
        try (BackendRouter router = router(
                "- { name: trusting, url: '" + secure.url() + "/a', tls: { trustedCertificates: '" + pem + "' } }")) {
            assertThat(get(router, "/files/1")).isEqualTo("secure");
        }
        assertThat(failovers).isEmpty();
        try (BackendRouter router = router(
                "- { name: trusting, url: '" + secure.url() + "/a', role: BACKUP, priority: 9, tls: { trustedCertificates: '"
                        + pem + "' } }",
                "- { name: system-trust, url: '" + secure.url() + "/b' }",
                "- { name: pinned, url: '" + secure.url() + "/c', role: BACKUP, tls: { trustedCertificates: '" + pem
                        + "', pins: [ '" + CertificatePinner.pin(other.certificate()) + "' ] } }")) {
            assertThat(get(router, "/warm")).as("refused twice, then the trusting member answers").isEqualTo("secure");
            assertThat(failovers).hasSize(2);
            assertThat(get(router, "/files/2")).isEqualTo("secure");
            assertThat(failovers).as("the trusting member's pooled connection served neither other member").hasSize(4);
            assertThat(failovers).filteredOn(reason -> reason.startsWith("system-trust: TLS certificate problem")).hasSize(2);
            assertThat(failovers).filteredOn(reason -> reason.startsWith("pinned: TLS certificate problem: no key")).hasSize(2);
        }
        Figures.record("tls", "handshakes refused on a host whose trusted connection was pooled", 2);
    }

    private Path topologyFile(String members) throws IOException {
        return Files.writeString(dir.resolve("topology.yaml"), "service: tls-test\ngroups:\n  storage:\n    backends:\n"
                + members.indent(6));
    }

    private static String paths(TopologyException e) {
        return String.join("\n", e.problems().stream().map(Problem::toString).toList());
    }

    @Test
    void badTlsFieldsAreReportedWithTheirPaths() throws IOException {
        Path file = topologyFile("""
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
        Files.writeString(dir.resolve("garbage.pem"), "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n");
        Files.writeString(dir.resolve("key-only.pem"), ca.privateKeyPkcs8Pem());
        Path store = dir.resolve("trust.p12");
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, null);
        keyStore.setCertificateEntry("ca", ca.certificate());
        try (OutputStream out = Files.newOutputStream(store)) {
            keyStore.store(out, "right".toCharArray());
        }
        Path file = topologyFile("""
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
        Path pem = caPem();
        Path garbage = Files.writeString(dir.resolve("rotated.pem"), "not a certificate\n");
        TlsBackend secure = secure();
        String member = "- { name: secure, url: '" + secure.url() + "', tls: { trustedCertificates: '%s' } }";
        Path file = topologyFile(member.formatted(pem));
        try (BackendRouter router = BackendRouter.builder().healthChecks(NO_PROBES_DURING_A_TEST)
                .topology(TopologySource.file(file)).build()) {
            assertThat(get(router, "/x")).isEqualTo("secure");
            topologyFile(member.formatted(garbage));
            TopologyException e = catchThrowableOfType(TopologyException.class, router::reload);
            assertThat(e.problems()).extracting(Problem::path)
                    .containsExactly("groups.storage.backends[0].tls.trustedCertificates");
            assertThat(router.topology().group("storage").orElseThrow().members().get(0).tls().trustedCertificates())
                    .isEqualTo(pem.toString());
            assertThat(get(router, "/x")).as("the old topology serves on").isEqualTo("secure");

            Files.writeString(garbage, ca.certificatePem());
            assertThat(router.reload().group("storage").orElseThrow().members().get(0).tls().trustedCertificates())
                    .isEqualTo(garbage.toString());
            assertThat(get(router, "/x")).isEqualTo("secure");
        }
        Figures.record("tls", "reloads refused for a bad certificate file, old topology serving", 1);
    }

    @Test
    void aReloadThatLeavesAMembersTlsAloneKeepsItsConnection() throws IOException {
        Path pem = caPem();
        TlsBackend secure = secure();
        String member = "- { name: secure, url: '" + secure.url() + "', tls: { trustedCertificates: '" + pem + "' } }";
        Path file = topologyFile(member);
        try (BackendRouter router = BackendRouter.builder().healthChecks(NO_PROBES_DURING_A_TEST)
                .topology(TopologySource.file(file)).build()) {
            assertThat(get(router, "/x")).isEqualTo("secure");
            topologyFile(member + "\n- { name: spare, url: 'http://127.0.0.1:1', role: BACKUP }");
            router.reload();
            assertThat(get(router, "/x")).isEqualTo("secure");
            assertThat(secure.connections()).as("the pooled connection serves on after the reload").isEqualTo(1);

            Files.writeString(pem, other.certificatePem() + ca.certificatePem());   // the CA file rotated
            topologyFile(member);
            router.reload();
            assertThat(get(router, "/x")).isEqualTo("secure");
            assertThat(secure.connections()).as("a changed CA file is verified on a new connection").isEqualTo(2);
        }
    }
}

package dev.backendrouter.router.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backendrouter.router.BackendRouter;
import dev.backendrouter.router.BackendRoutingIOException;
import dev.backendrouter.router.RouterListener;
import dev.backendrouter.router.TopologySource;
import dev.backendrouter.api.BackendMember;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.CertificatePinner;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS per member over real HTTPS on loopback: a private CA's certificate is refused by default
 * and accepted once trusted (PEM file, PKCS12 trust store); pins must match the verified chain;
 * members verified differently never share a connection.
 */
class TlsIntegrationTest {
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

    @AfterAll
    static void noState() {
        ca = leaf = other = null;
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
        BackendRouter router = BackendRouter.builder().topology(TopologySource.file(file).withEnvironment(name -> "changeit"))
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
            assertThat(secure.requests()).as("a refused handshake never sends the request").isZero();
            assertThat(failovers).hasSize(3).allSatisfy(reason -> assertThat(reason)
                    .startsWith("secure: TLS certificate problem: the certificate is not trusted (")
                    .endsWith("trust its CA with tls.trustedCertificates or tls.trustStore, or fix its certificate or tls.pins"));
        }
        try (BackendRouter alone = router("- { name: secure, url: '" + secure.url() + "' }")) {
            assertThatThrownBy(() -> get(alone, "/files/1")).isInstanceOf(BackendRoutingIOException.class)
                    .hasMessageContaining("secure (" + secure.url() + ")")
                    .hasMessageContaining("TLS certificate problem: the certificate is not trusted")
                    .hasMessageContaining("trust its CA with tls.trustedCertificates");
        }
        Figures.record("tls", "calls answered by the next member after a refused certificate", 3);
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
}

package dev.backendrouter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code probe} verifies an https member as the router does: with its own tls settings. */
class ProbeTlsIntegrationTest {
    @TempDir
    Path dir;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private HttpsServer server;
    private HeldCertificate ca;

    @BeforeEach
    void start() throws IOException {
        ca = new HeldCertificate.Builder().certificateAuthority(0).build();
        HeldCertificate leaf = new HeldCertificate.Builder().addSubjectAlternativeName("localhost").signedBy(ca).build();
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(
                new HandshakeCertificates.Builder().heldCertificate(leaf, ca.certificate()).build().sslContext()));
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.setExecutor(executor);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        executor.shutdownNow();
    }

    @Test
    void aMemberTrustingItsCaIsUpAndOneWithoutIsDownForItsCertificate() throws IOException {
        String url = "https://localhost:" + server.getAddress().getPort();
        Path pem = Files.writeString(dir.resolve("ca.pem"), ca.certificatePem());
        String file = Files.writeString(dir.resolve("topology.yaml"), """
                service: file-service
                groups:
                  storage:
                    backends:
                      - { name: trusting, url: '%s/a', tls: { trustedCertificates: '%s' } }
                      - { name: system-trust, url: '%s/b', role: BACKUP }
                """.formatted(url, pem, url)).toString();

        CliRun run = CliRun.run("probe", file);

        assertThat(run.exit()).isEqualTo(3);
        List<String> lines = run.out().lines().toList();
        assertThat(lines.get(1)).matches("storage +trusting +PRIMARY +" + url + "/a +200 +\\d+ ms");
        assertThat(lines.get(2)).matches("storage +system-trust +BACKUP +" + url + "/b +DOWN +\\d+ ms +TLS failed: .*");
    }
}

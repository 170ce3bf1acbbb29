package dev.backendrouter.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backendrouter.api.MemberTls;
import dev.backendrouter.router.BackendRouter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Base64;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** A backend's tls settings as backend-router.* properties: the file's fields in kebab-case. */
class TlsPropertiesTest {
    private static final String PIN_1 = "sha256/" + "A".repeat(43) + "=";
    private static final String PIN_2 = "sha256/" + "B".repeat(43) + "=";

    @Test
    void tlsPropertiesReachTheMember(@TempDir Path dir) throws Exception {
        Path pem = Files.writeString(dir.resolve("ca.pem"), aCaOfTheJvm());
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(BackendRouterAutoConfiguration.class))
                .withPropertyValues("spring.application.name=file-service", "backend-router.health.enabled=false",
                        "backend-router.groups.storage.backends[0].name=fs-1",
                        "backend-router.groups.storage.backends[0].url=https://localhost:8443",
                        "backend-router.groups.storage.backends[0].tls.trusted-certificates=" + pem,
                        "backend-router.groups.storage.backends[0].tls.pins[0]=" + PIN_1,
                        "backend-router.groups.storage.backends[0].tls.pins[1]=" + PIN_2)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    MemberTls tls = context.getBean(BackendRouter.class).topology().group("storage").orElseThrow()
                            .members().get(0).tls();
                    assertThat(tls).isEqualTo(MemberTls.trustedCertificates(pem.toString()).withPins(PIN_1, PIN_2));
                });
    }

    /** A real CA certificate as PEM, without a certificate library: one the JVM trusts. */
    private static String aCaOfTheJvm() throws Exception {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        X509Certificate ca = ((X509TrustManager) factory.getTrustManagers()[0]).getAcceptedIssuers()[0];
        return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(ca.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }
}

package dev.backendrouter.router.reliability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.backendrouter.api.BackendMember;
import dev.backendrouter.api.BackendRole;
import dev.backendrouter.api.MemberTls;
import dev.backendrouter.api.NoBackendAvailableException;
import dev.backendrouter.api.Topology;
import dev.backendrouter.router.BackendRouter;
import dev.backendrouter.router.BackendRoutingIOException;
import dev.backendrouter.router.HealthCheckSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A refused certificate is final for that member within a call: trying it again would meet the
 * same certificate, so the call moves on to the next member and never comes back to it, however
 * many attempts it may make. The error says which check failed: trust, host name, validity, pins.
 */
class CertificateRefusedIntegrationTest {
    private static final HeldCertificate CA = new HeldCertificate.Builder().commonName("Refusal CA").certificateAuthority(0).build();
    private static final String WRONG_PIN = "sha256/" + "A".repeat(43) + "=";

    @TempDir
    Path dir;

    private static TlsBackend serving(HeldCertificate leaf) {
        return TlsBackend.https("secure", new HandshakeCertificates.Builder().heldCertificate(leaf, CA.certificate()).build());
    }

    private static HeldCertificate.Builder leaf() {
        return new HeldCertificate.Builder().commonName("secure").signedBy(CA);
    }

    /** One member, three attempts allowed: each refused certificate costs one handshake, and the message names the check. */
    @Test
    void theOnlyMembersRefusedCertificateIsTriedOnceAndTheErrorSaysWhichCheckFailed() throws IOException {
        Path caPem = Files.writeString(dir.resolve("ca.pem"), CA.certificatePem());
        record Case(String what, HeldCertificate leaf, MemberTls tls, String says) {
        }
        long now = System.currentTimeMillis();
        Case[] cases = {
            new Case("not trusted", leaf().addSubjectAlternativeName("localhost").build(), MemberTls.DEFAULTS,
                    "the certificate is not trusted"),
            new Case("another host's", leaf().addSubjectAlternativeName("files.example").build(),
                    MemberTls.trustedCertificates(caPem.toString()), "the certificate does not name the URL's host"),
            new Case("expired", leaf().addSubjectAlternativeName("localhost")
                    .validityInterval(now - TimeUnit.DAYS.toMillis(30), now - TimeUnit.DAYS.toMillis(1)).build(),
                    MemberTls.trustedCertificates(caPem.toString()), "the certificate has expired"),
            new Case("no pin matching", leaf().addSubjectAlternativeName("localhost").build(),
                    MemberTls.trustedCertificates(caPem.toString()).withPins(WRONG_PIN), "no key of its certificate chain matches tls.pins"),
        };
        int refusedOnce = 0;
        for (Case refusal : cases) {
            try (TlsBackend secure = serving(refusal.leaf());
                    BackendRouter router = BackendRouter.builder().healthChecks(HealthCheckSettings.disabled()).maxAttempts(3)
                            .topology(Topology.builder().service("tls").group("storage",
                                    BackendMember.builder("secure", secure.url()).tls(refusal.tls()).build()).build())
                            .build()) {
                BackendRoutingIOException thrown = catchThrowableOfType(BackendRoutingIOException.class, () ->
                        router.httpClient().newCall(new okhttp3.Request.Builder().url("http://storage/files/1").build()).execute());
                assertThat(thrown).as(refusal.what()).isNotNull();
                NoBackendAvailableException failed = (NoBackendAvailableException) thrown.routerException();
                assertThat(failed.getMessage()).as(refusal.what()).contains("TLS certificate problem: " + refusal.says());
                assertThat(failed.attempts()).as(refusal.what()).filteredOn(a -> a.tried()).hasSize(1);
                assertThat(secure.connections()).as(refusal.what() + ": one handshake, not three").isEqualTo(1);
                refusedOnce++;
            }
        }
        Figures.record("hardening", "certificate refusals final for the member after one handshake (trust, host, expiry, pins)",
                refusedOnce);
    }

    /** A refused primary is not tried again in the later rounds a failing backup brings. */
    @Test
    void laterRoundsTryTheOtherMembersOnly() throws IOException {
        WireMockServer backup = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        backup.start();
        backup.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503)));
        try (TlsBackend secure = serving(leaf().addSubjectAlternativeName("localhost").build());
                BackendRouter router = BackendRouter.builder().healthChecks(HealthCheckSettings.disabled()).maxAttempts(3)
                        .topology(Topology.builder().service("tls").group("storage",
                                BackendMember.builder("secure", secure.url()).build(),
                                BackendMember.builder("backup", backup.baseUrl()).role(BackendRole.BACKUP).priority(2).build())
                                .build())
                        .build()) {
            try (okhttp3.Response response = router.httpClient().newCall(
                    new okhttp3.Request.Builder().url("http://storage/files/1").build()).execute()) {
                assertThat(response.code()).as("the backup's last answer").isEqualTo(503);
            }
            assertThat(secure.connections()).as("the refused primary: one handshake in the first round only").isEqualTo(1);
            assertThat(backup.findAll(anyRequestedFor(anyUrl()))).as("the two attempts left went to the backup").hasSize(2);
        } finally {
            backup.stop();
        }
    }
}

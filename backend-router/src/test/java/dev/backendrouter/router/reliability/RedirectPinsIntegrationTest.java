package dev.backendrouter.router.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

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
import okhttp3.CertificatePinner;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pinned member's redirect keeps its trust and pins. Both servers below hold certificates of
 * one CA, the pinned member's under {@code localhost}, the other under {@code 127.0.0.1}: OkHttp
 * alone would follow the redirect and verify the other host with the first member's trust and no
 * pins at all (shown first). The router follows it only to a member, checked its own way.
 */
class RedirectPinsIntegrationTest {
    private static final HeldCertificate CA = new HeldCertificate.Builder().commonName("Redirect CA").certificateAuthority(0).build();
    private static final HeldCertificate PINNED = leaf("localhost");
    private static final HeldCertificate ELSEWHERE = leaf("127.0.0.1");

    @TempDir
    Path dir;
    private MemberTls pinnedTls;

    private static HeldCertificate leaf(String host) {
        return new HeldCertificate.Builder().commonName(host).addSubjectAlternativeName(host).signedBy(CA).build();
    }

    private static TlsBackend serving(String name, HeldCertificate leaf) {
        return TlsBackend.https(name, new HandshakeCertificates.Builder().heldCertificate(leaf, CA.certificate()).build());
    }

    @BeforeEach
    void trustTheCa() throws IOException {
        Path caPem = Files.writeString(dir.resolve("ca.pem"), CA.certificatePem());
        pinnedTls = MemberTls.trustedCertificates(caPem.toString()).withPins(CertificatePinner.pin(PINNED.certificate()));
    }

    private static BackendRouter router(BackendMember... members) {
        return BackendRouter.builder().healthChecks(HealthCheckSettings.disabled()).maxAttempts(3)
                .topology(Topology.builder().service("redirects").group("storage", members).build()).build();
    }

    private static NoBackendAvailableException refused(BackendRouter router) {
        BackendRoutingIOException thrown = catchThrowableOfType(BackendRoutingIOException.class, () ->
                router.httpClient().newCall(new Request.Builder().url("http://storage/files/1").build()).execute());
        assertThat(thrown).as("the call fails").isNotNull();
        return (NoBackendAvailableException) thrown.routerException();
    }

    @Test
    void plainOkHttpFollowsThePinnedHostsRedirectUnpinned() throws IOException {
        try (TlsBackend elsewhere = serving("elsewhere", ELSEWHERE);
                TlsBackend pinned = serving("pinned", PINNED).redirectingTo(elsewhere.ipUrl())) {
            HandshakeCertificates trust = new HandshakeCertificates.Builder().addTrustedCertificate(CA.certificate()).build();
            OkHttpClient client = new OkHttpClient.Builder().sslSocketFactory(trust.sslSocketFactory(), trust.trustManager())
                    .certificatePinner(new CertificatePinner.Builder().add("localhost", CertificatePinner.pin(PINNED.certificate())).build())
                    .build();
            try (Response response = client.newCall(new Request.Builder().url(pinned.url() + "/files/1").build()).execute()) {
                assertThat(response.body().string()).as("the unpinned host answered: what the guard is for").isEqualTo("elsewhere");
            }
            client.connectionPool().evictAll();
        }
    }

    @Test
    void aRedirectToAHostThatIsNoMemberIsRefusedAndTheNextMemberAnswers() throws IOException {
        try (TlsBackend elsewhere = serving("elsewhere", ELSEWHERE);
                TlsBackend plain = TlsBackend.http("plain");
                TlsBackend pinned = serving("pinned", PINNED);
                TlsBackend backup = TlsBackend.http("backup")) {
            int refusals = 0;
            for (String target : new String[] {elsewhere.ipUrl(), plain.url()}) {
                pinned.redirectingTo(target);
                try (BackendRouter router = router(BackendMember.builder("pinned", pinned.url()).tls(pinnedTls).build())) {
                    NoBackendAvailableException failed = refused(router);
                    assertThat(failed.getMessage()).as(target)
                            .contains("pinned (" + pinned.url() + ") redirected to " + target + "/files/1, which is not a member")
                            .contains("Check the Location");
                    assertThat(failed.attempts()).as("final for the member: one attempt of three").filteredOn(a -> a.tried()).hasSize(1);
                    refusals++;
                }
            }
            assertThat(elsewhere.requests() + plain.requests()).as("nothing was sent to the other hosts").isZero();
            pinned.redirectingTo(elsewhere.ipUrl());
            try (BackendRouter router = router(BackendMember.builder("pinned", pinned.url()).tls(pinnedTls).build(),
                    BackendMember.builder("backup", backup.url()).role(BackendRole.BACKUP).priority(2).build());
                    Response response = router.httpClient().newCall(new Request.Builder().url("http://storage/files/1").build()).execute()) {
                assertThat(response.body().string()).as("the next member answers").isEqualTo("backup");
            }
            Figures.record("hardening", "redirects from a pinned member to a host that is no member, refused (https, http)", refusals);
        }
    }

    @Test
    void aRedirectToAMemberIsFollowedOnlyWhenThatMembersOwnTrustAndPinsPass() throws IOException {
        try (TlsBackend elsewhere = serving("elsewhere", ELSEWHERE);
                TlsBackend pinned = serving("pinned", PINNED).redirectingTo(elsewhere.ipUrl())) {
            MemberTls elsewherePinned = pinnedTls.withPins(CertificatePinner.pin(ELSEWHERE.certificate()));
            try (BackendRouter router = router(BackendMember.builder("pinned", pinned.url()).tls(pinnedTls).build(),
                    BackendMember.builder("elsewhere", elsewhere.ipUrl()).tls(elsewherePinned).role(BackendRole.BACKUP).priority(2).build());
                    Response response = router.httpClient().newCall(new Request.Builder().url("http://storage/files/1").build()).execute()) {
                assertThat(response.body().string()).as("followed: the member's own pin matches").isEqualTo("elsewhere");
            }
            int answered = elsewhere.requests();
            try (BackendRouter router = router(BackendMember.builder("pinned", pinned.url()).tls(pinnedTls).build(),
                    BackendMember.builder("elsewhere", elsewhere.ipUrl()).tls(pinnedTls).role(BackendRole.BACKUP).priority(2).build())) {
                NoBackendAvailableException failed = refused(router);
                assertThat(failed.getMessage())
                        .contains("pinned (" + pinned.url() + ") redirected to " + elsewhere.ipUrl() + "/files/1, the URL of member elsewhere")
                        .contains("no key of its certificate chain matches that member's tls.pins");
                assertThat(failed.attempts()).as("elsewhere itself, tried next, refuses its pins").filteredOn(a -> a.tried()).hasSize(2);
            }
            assertThat(elsewhere.requests()).as("the redirect under the wrong pins sent nothing").isEqualTo(answered);
            Figures.record("hardening", "redirects to a member followed under that member's own pins, refused when they fail", 2);
        }
    }
}

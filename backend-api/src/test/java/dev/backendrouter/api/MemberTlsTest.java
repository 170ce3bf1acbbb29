package dev.backendrouter.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The TLS settings of a member: defaults, the secret kept out of text, and the rules with their paths. */
class MemberTlsTest {
    private static final String PIN = "sha256/" + "A".repeat(43) + "=";

    private static List<String> problems(BackendMember... members) {
        return Topology.builder().service("s").group("storage", members).problems().stream().map(Problem::toString).toList();
    }

    @Test
    void aMemberWithoutSettingsTrustsTheJvmsCasWithoutPins() {
        BackendMember member = BackendMember.builder("a", "https://h:8443").build();
        assertThat(member.tls()).isSameAs(MemberTls.DEFAULTS);
        assertThat(member.tls().isDefault()).isTrue();
        assertThat(MemberTls.pins(PIN)).isEqualTo(new MemberTls(null, null, null, List.of(PIN)));
        assertThat(MemberTls.trustedCertificates("ca.pem").withPins(PIN))
                .isEqualTo(new MemberTls("ca.pem", null, null, List.of(PIN)));
        assertThat(problems(BackendMember.builder("a", "https://h:8443").tls(MemberTls.trustedCertificates("ca.pem")
                .withPins(PIN, "sha256/" + "B".repeat(43) + "=")).build())).isEmpty();
    }

    @Test
    void theTrustStorePasswordNeverShows() {
        BackendMember member = BackendMember.builder("a", "https://h:8443")
                .tls(MemberTls.trustStore("trust.p12", "s3cr3t-pass")).build();
        assertThat(member.tls().toString()).doesNotContain("s3cr3t-pass").contains("trust.p12", "****");
        assertThat(member.toString()).doesNotContain("s3cr3t-pass");
        assertThat(Topology.builder().service("s").group("g", member).build().toString()).doesNotContain("s3cr3t-pass");
        BackendMember blank = BackendMember.builder("a", "https://h:8443").tls(MemberTls.trustStore("t.p12", " \n")).build();
        assertThat(problems(blank)).containsExactly("groups.storage.backends[0].tls.trustStorePassword: "
                + "the secret is empty: is its environment variable set?");
    }

    @Test
    void everyRuleNamesItsPath() {
        BackendMember plain = BackendMember.builder("a", "http://h:80").tls(MemberTls.pins(PIN)).build();
        BackendMember both = BackendMember.builder("b", "https://h:1")
                .tls(new MemberTls("ca.pem", "trust.p12", null, List.of())).build();
        BackendMember badPins = BackendMember.builder("c", "https://h:2")
                .tls(MemberTls.pins("sha256/short=", "sha1/" + "A".repeat(27) + "=", PIN)).build();
        BackendMember passwordOnly = BackendMember.builder("d", "https://h:3")
                .tls(new MemberTls(null, null, Secret.of("pw"), List.of())).build();
        BackendMember blankFile = BackendMember.builder("e", "https://h:4").tls(MemberTls.trustedCertificates("")).build();
        assertThat(problems(plain, both, badPins, passwordOnly, blankFile)).containsExactly(
                "groups.storage.backends[0].tls: tls settings apply to https members, but the url is 'http://h:80': "
                        + "use https:// or remove tls",
                "groups.storage.backends[1].tls: give either trustedCertificates (a PEM file) or trustStore "
                        + "(a PKCS12 or JKS file), not both",
                "groups.storage.backends[2].tls.pins[0]: 'sha256/short=' is not a pin: write sha256/ and the base64 SHA-256"
                        + " of the certificate's public key (44 characters, ending in '='), as OkHttp's CertificatePinner prints it",
                "groups.storage.backends[2].tls.pins[1]: 'sha1/AAAAAAAAAAAAAAAAAAAAAAAAAAA=' is not a pin: write sha256/ and"
                        + " the base64 SHA-256 of the certificate's public key (44 characters, ending in '='), as OkHttp's"
                        + " CertificatePinner prints it",
                "groups.storage.backends[3].tls.trustStorePassword: a password without a trustStore: give trustStore, "
                        + "or remove the password",
                "groups.storage.backends[4].tls.trustedCertificates: '' is not a file name: is its environment variable set?");
    }

    @Test
    void oneBackendIsVerifiedOneWay() {
        BackendMember first = BackendMember.builder("a", "https://h:8443").tls(MemberTls.trustedCertificates("ca.pem")).build();
        BackendMember same = BackendMember.builder("a", "https://h:8443").tls(MemberTls.trustedCertificates("ca.pem")).build();
        BackendMember other = BackendMember.builder("c", "https://h:8443/").build();
        List<String> problems = Topology.builder().service("s")
                .group("one", first).group("two", same).group("three", other).problems().stream().map(Problem::toString).toList();
        assertThat(problems).containsExactly("groups.three.backends[0].tls: backend https://h:8443/ is also "
                + "groups.one.backends[0] with other tls settings; one backend is verified one way, so give both the same tls");
    }
}

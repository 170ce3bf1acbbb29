package dev.backendrouter.api;

import java.util.List;
import java.util.Objects;

/**
 * How the router verifies an {@code https} member's certificate. By default ({@link #DEFAULTS})
 * the certificate must chain to a CA the JVM trusts and name the URL's host. A member may trust
 * other CAs instead (a private CA, a self-signed certificate), from a PEM file or a PKCS12/JKS
 * trust store, and may pin public keys of its certificate chain on top of that.
 *
 * <pre>{@code
 * BackendMember.builder("fs-1", "https://fs-1.internal:8443")
 *     .tls(MemberTls.trustedCertificates("/etc/file-service/internal-ca.pem")
 *         .withPins("sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",     // current key
 *                   "sha256/BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB="))   // next key
 *     .build();
 * }</pre>
 *
 * Files are read when the router builds its routing table (at start and at each reload), not
 * when the topology is built; a file that cannot be read or parsed refuses the topology.
 * The trust store's password is a {@link Secret}: {@code toString()} and JSON mappers never show it.
 *
 * @param trustedCertificates a PEM file of the certificates to trust in place of the JVM's CAs,
 *     or {@code null}
 * @param trustStore a PKCS12 or JKS file of the certificates to trust in place of the JVM's CAs,
 *     or {@code null}; give this or {@code trustedCertificates}, not both
 * @param trustStorePassword the trust store's password, or {@code null} when it has none
 * @param pins public key pins, {@code sha256/} and the base64 SHA-256 of a certificate's
 *     public key (as {@code okhttp3.CertificatePinner} prints them); one of them must match a
 *     certificate of the verified chain; never {@code null}
 */
public record MemberTls(String trustedCertificates, String trustStore, Secret trustStorePassword, List<String> pins) {

    /** The JVM's trusted CAs, no pins. */
    public static final MemberTls DEFAULTS = new MemberTls(null, null, null, List.of());

    public MemberTls {
        pins = pins == null ? List.of() : List.copyOf(pins);
    }

    /** Trusts the certificates of a PEM file (one or more {@code BEGIN CERTIFICATE} blocks) instead of the JVM's CAs. */
    public static MemberTls trustedCertificates(String pemFile) {
        return new MemberTls(Objects.requireNonNull(pemFile, "pemFile"), null, null, List.of());
    }

    /** Trusts the certificates of a PKCS12 or JKS trust store instead of the JVM's CAs; {@code password} may be {@code null}. */
    public static MemberTls trustStore(String file, String password) {
        return new MemberTls(null, Objects.requireNonNull(file, "file"), Secret.ofNullable(password), List.of());
    }

    /** Trusts the certificates of a PKCS12 or JKS trust store instead of the JVM's CAs; {@code password} may be {@code null}. */
    public static MemberTls trustStore(String file, Secret password) {
        return new MemberTls(null, Objects.requireNonNull(file, "file"), password, List.of());
    }

    /** The JVM's trusted CAs, and these pins. */
    public static MemberTls pins(String... pins) {
        return DEFAULTS.withPins(pins);
    }

    /** These settings with these pins (replacing any earlier ones). Pin at least two keys: the current one and the next. */
    public MemberTls withPins(String... pins) {
        return new MemberTls(trustedCertificates, trustStore, trustStorePassword, List.of(pins));
    }

    /** Whether these are the defaults: the JVM's CAs and no pins. */
    public boolean isDefault() {
        return equals(DEFAULTS);
    }

    @Override
    public String toString() {
        return "MemberTls[trustedCertificates=" + trustedCertificates + ", trustStore=" + trustStore
                + ", trustStorePassword=" + trustStorePassword + ", pins=" + pins + "]";
    }
}

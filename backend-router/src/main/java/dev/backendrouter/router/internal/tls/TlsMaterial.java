package dev.backendrouter.router.internal.tls;

import dev.backendrouter.api.MemberTls;
import dev.backendrouter.api.Problem;
import dev.backendrouter.api.internal.Texts;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.CertificatePinner;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;

/**
 * What one member's {@link MemberTls} settings become for OkHttp: a socket factory and trust
 * manager over its own trusted certificates (or none, to keep the client's), and a pinner for
 * its host (or none). OkHttp keys pooled connections by these, so a connection made for one
 * member's trust never serves a member verified another way.
 */
public final class TlsMaterial {
    private final SSLSocketFactory socketFactory;
    private final X509TrustManager trustManager;
    private final CertificatePinner pinner;
    // keyed by identity (OkHttpClient has no equals): the router's few long-lived base clients
    private final Map<OkHttpClient, OkHttpClient> clients = new ConcurrentHashMap<>();
    private final MemberTls settings;
    private final String host;
    private final String file;
    private final byte[] fileBytes;

    private TlsMaterial(SSLSocketFactory socketFactory, X509TrustManager trustManager, CertificatePinner pinner,
            MemberTls settings, String host, String file, byte[] fileBytes) {
        this.socketFactory = socketFactory;
        this.trustManager = trustManager;
        this.pinner = pinner;
        this.settings = settings;
        this.host = host;
        this.file = file;
        this.fileBytes = fileBytes;
    }

    /** {@link #load(MemberTls, String, String, List, TlsMaterial)} with nothing to reuse. */
    public static TlsMaterial load(MemberTls tls, String host, String path, List<Problem> problems) {
        return load(tls, host, path, problems, null);
    }

    /**
     * Reads the member's files and builds its material, or adds a problem at {@code path} (the
     * member's {@code tls}) and returns {@code null}. Never throws for a bad file. Returns
     * {@code previous} itself when it was made from the same settings, host and file content, so
     * a reload that leaves a member's TLS alone keeps its pooled connections.
     */
    public static TlsMaterial load(MemberTls tls, String host, String path, List<Problem> problems, TlsMaterial previous) {
        int before = problems.size();
        String file = tls.trustedCertificates() != null ? tls.trustedCertificates() : tls.trustStore();
        String filePath = path + (tls.trustedCertificates() != null ? ".trustedCertificates" : ".trustStore");
        byte[] bytes = file == null ? null : read(file, filePath, problems);
        if (file != null && bytes == null) {
            return null;
        }
        if (previous != null && previous.settings.equals(tls) && previous.host.equals(host)
                && Arrays.equals(previous.fileBytes, bytes)) {
            return previous;
        }
        X509TrustManager trustManager = null;
        if (tls.trustedCertificates() != null) {
            trustManager = trustManager(pemCertificates(bytes, file, filePath, problems), file, filePath, problems);
        } else if (tls.trustStore() != null) {
            trustManager = trustManager(storeCertificates(tls, filePath, problems), file, filePath, problems);
        }
        SSLSocketFactory socketFactory = null;
        if (trustManager != null) {
            try {
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, new TrustManager[] {trustManager}, null);
                socketFactory = context.getSocketFactory();
            } catch (GeneralSecurityException e) {
                problems.add(new Problem(path, "the JVM cannot make a TLS context: " + e.getMessage()));
            }
        }
        CertificatePinner pinner = null;
        if (!tls.pins().isEmpty()) {
            try {
                pinner = new CertificatePinner.Builder().add(host, tls.pins().toArray(String[]::new)).build();
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(path + ".pins", "OkHttp refuses these pins for host " + host + ": " + e.getMessage()));
            }
        }
        return problems.size() > before ? null : new TlsMaterial(socketFactory, trustManager, pinner, tls, host, file, bytes);
    }

    /**
     * The file this material was read from when it now reads differently or cannot be read, else
     * {@code null}: certificates rotated under the same name, which a reload must pick up even
     * when the topology itself did not change.
     */
    public String changedFile() {
        if (file == null) {
            return null;
        }
        try {
            return Arrays.equals(fileBytes, Files.readAllBytes(Path.of(file))) ? null : file;
        } catch (IOException | InvalidPathException e) {
            return file;        // the rebuild reports why
        }
    }

    /** The trust manager over the member's own certificates, or {@code null} to keep the JVM's. */
    public X509TrustManager trustManager() {
        return trustManager;
    }

    /** The pinner for the member's host, or {@code null} when the member has no pins. */
    public CertificatePinner pinner() {
        return pinner;
    }

    /** The attempt's chain verifying this member's way; only an application interceptor may call this. */
    public Interceptor.Chain apply(Interceptor.Chain chain) {
        Interceptor.Chain applied = chain;
        if (socketFactory != null) {
            applied = applied.withSslSocketFactory(socketFactory, trustManager);
        }
        if (pinner != null) {
            applied = applied.withCertificatePinner(pinner);
        }
        return applied;
    }

    /** {@code base} verifying this member's way; it shares base's pool and dispatcher. Made once per base. */
    public OkHttpClient client(OkHttpClient base) {
        OkHttpClient client = clients.get(base);
        return client != null ? client : clients.computeIfAbsent(base, this::derive);
    }

    private OkHttpClient derive(OkHttpClient base) {
        OkHttpClient.Builder builder = base.newBuilder();
        if (socketFactory != null) {
            builder.sslSocketFactory(socketFactory, trustManager);
        }
        if (pinner != null) {
            builder.certificatePinner(pinner);
        }
        return builder.build();
    }

    private static List<Certificate> pemCertificates(byte[] bytes, String file, String path, List<Problem> problems) {
        if (!new String(bytes, StandardCharsets.ISO_8859_1).contains("-----BEGIN CERTIFICATE-----")) {
            problems.add(new Problem(path, shown(file) + " has no certificate: it should hold one or more "
                    + "-----BEGIN CERTIFICATE----- blocks, of the CA (or the self-signed certificate) the member's chain ends in"));
            return List.of();
        }
        try {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(bytes));
            return new ArrayList<>(certificates);
        } catch (GeneralSecurityException e) {
            problems.add(new Problem(path, shown(file) + " is not a PEM file of certificates (" + reason(e)
                    + "): it should hold one or more -----BEGIN CERTIFICATE----- blocks"));
            return List.of();
        }
    }

    private static List<Certificate> storeCertificates(MemberTls tls, String path, List<Problem> problems) {
        String file = tls.trustStore();
        char[] password = tls.trustStorePassword() == null ? null : tls.trustStorePassword().reveal().toCharArray();
        try {
            KeyStore store = KeyStore.getInstance(new File(file), password);
            List<Certificate> certificates = new ArrayList<>();
            for (String alias : Collections.list(store.aliases())) {
                if (store.isCertificateEntry(alias)) {
                    certificates.add(store.getCertificate(alias));
                }
            }
            if (certificates.isEmpty()) {
                problems.add(new Problem(path, shown(file) + " has no trusted certificate entry: import the CA with "
                        + "keytool -importcert, or give its PEM file as trustedCertificates"));
            }
            return certificates;
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            boolean wrongPassword = e.getCause() instanceof UnrecoverableKeyException || e instanceof UnrecoverableKeyException;
            problems.add(new Problem(path, "cannot open the trust store " + shown(file) + " ("
                    + (wrongPassword ? "wrong password" : reason(e)) + "): check that it is a PKCS12 or JKS file"
                    + " and that trustStorePassword is its password"));
            return List.of();
        }
    }

    private static X509TrustManager trustManager(List<Certificate> certificates, String file, String path, List<Problem> problems) {
        if (certificates.isEmpty()) {
            return null;
        }
        try {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            for (int i = 0; i < certificates.size(); i++) {
                trusted.setCertificateEntry("trusted-" + i, certificates.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trusted);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    return x509;
                }
            }
            problems.add(new Problem(path, "the JVM has no X.509 trust manager for " + shown(file)));
        } catch (IOException | GeneralSecurityException e) {
            problems.add(new Problem(path, "cannot trust the certificates of " + shown(file) + ": " + reason(e)));
        }
        return null;
    }

    private static byte[] read(String file, String path, List<Problem> problems) {
        try {
            return Files.readAllBytes(Path.of(file));
        } catch (NoSuchFileException e) {
            problems.add(new Problem(path, "no such file: " + shown(file) + relativeHint(file)));
        } catch (AccessDeniedException e) {
            problems.add(new Problem(path, "cannot read " + shown(file) + ": permission denied for this process"));
        } catch (IOException | InvalidPathException e) {
            problems.add(new Problem(path, "cannot read " + shown(file) + ": " + reason(e)));
        }
        return null;
    }

    private static String relativeHint(String file) {
        Path path = Path.of(file);
        return path.isAbsolute() ? "" : " (a relative path is read from the working directory, "
                + Path.of("").toAbsolutePath() + ")";
    }

    private static String shown(String file) {
        return "'" + Texts.printable(file) + "'";
    }

    private static String reason(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return Texts.printable(message.replaceAll("\\s+", " ").trim());
    }
}

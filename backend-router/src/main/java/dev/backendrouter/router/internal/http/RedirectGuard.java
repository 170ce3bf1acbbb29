package dev.backendrouter.router.internal.http;

import dev.backendrouter.router.internal.routing.MemberRef;
import dev.backendrouter.router.internal.routing.RedirectRefusedException;
import dev.backendrouter.router.internal.routing.RoutingTable;
import dev.backendrouter.router.internal.tls.TlsMaterial;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.function.Supplier;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.CertificatePinner;
import okhttp3.Connection;
import okhttp3.Handshake;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The network interceptor that keeps a member's trust and pins on the redirects OkHttp follows.
 * OkHttp verifies a follow-up with the call's own TLS settings, which are the first member's: its
 * pins name only its host, so another host would go unpinned. A request that leaves its member's
 * scheme, host and port therefore goes on only to a member of the topology, and only once the
 * connection there passes that member's own trust and pins; a member with TLS settings of its own
 * is never followed anywhere else. A member verified the client's way keeps OkHttp's behaviour
 * towards hosts that are not members.
 */
final class RedirectGuard implements Interceptor {
    private final Supplier<RoutingTable> table;
    private final OkHttpClient base;

    RedirectGuard(Supplier<RoutingTable> table, OkHttpClient base) {
        this.table = table;
        this.base = base;
    }

    /** Tags an attempt with the member it is sent to, for this guard to know where the call began. */
    static void tag(Request.Builder attempt, MemberRef member) {
        attempt.tag(MemberRef.class, member);
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        MemberRef from = request.tag(MemberRef.class);
        HttpUrl url = request.url();
        if (from == null || from.httpBase() == null || sameOrigin(from.httpBase(), url)) {
            return chain.proceed(request);
        }
        MemberRef to = table.get().memberAt(url);
        if (to == null) {
            if (from.tls() == null) {
                return chain.proceed(request);
            }
            throw new RedirectRefusedException(from + " redirected to " + shown(url) + ", which is not a member of the topology: "
                    + "a member with tls settings of its own is followed only to a member whose own trust and pins apply. "
                    + "Check the Location its answer sends, or add that host as a member with its own tls settings");
        }
        if (url.isHttps()) {
            verify(from, to, url, chain.connection());
        }
        return chain.proceed(request);
    }

    private void verify(MemberRef from, MemberRef to, HttpUrl url, Connection connection) throws IOException {
        Handshake handshake = connection == null ? null : connection.handshake();
        if (handshake == null) {
            throw refused(from, to, url, "no TLS handshake to check", null);
        }
        TlsMaterial material = to.tls();
        X509TrustManager trust = material != null && material.trustManager() != null ? material.trustManager() : clientTrust();
        try {
            trust.checkServerTrusted(handshake.peerCertificates().toArray(X509Certificate[]::new), "UNKNOWN");
        } catch (java.security.cert.CertificateException e) {
            throw refused(from, to, url, "its certificate is not trusted there (" + e.getMessage() + ")", e);
        }
        CertificatePinner pinner = material != null && material.pinner() != null ? material.pinner() : base.certificatePinner();
        try {
            pinner.check(url.host(), handshake.peerCertificates());
        } catch (SSLPeerUnverifiedException e) {
            throw refused(from, to, url, "no key of its certificate chain matches that member's tls.pins", e);
        }
    }

    private static RedirectRefusedException refused(MemberRef from, MemberRef to, HttpUrl url, String why, Throwable cause) {
        return new RedirectRefusedException(from + " redirected to " + shown(url) + ", the URL of member " + to.name()
                + ", but " + why + ": check " + to.name() + "'s tls settings, or the Location " + from.name() + " sends", cause);
    }

    private X509TrustManager clientTrust() throws IOException {
        X509TrustManager client = base.x509TrustManager();
        if (client != null) {
            return client;
        }
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    return x509;
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("the JVM's default trust manager cannot be made: " + e.getMessage(), e);
        }
        throw new IOException("the JVM has no default X.509 trust manager");
    }

    private static boolean sameOrigin(HttpUrl member, HttpUrl url) {
        return member.port() == url.port() && member.host().equals(url.host()) && member.scheme().equals(url.scheme());
    }

    /** The URL without its query, user or password: those may hold what the backend should keep. */
    private static String shown(HttpUrl url) {
        return url.newBuilder().query(null).username("").password("").build().toString();
    }
}

package dev.backendrouter.router.spi;

import dev.backendrouter.api.BackendAuth;
import dev.backendrouter.api.internal.Texts;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.X509TrustManager;

/**
 * What a {@link CacheConnector} needs to reach one cache member.
 *
 * @param name the member's name, for the connector's own messages
 * @param url the member's URL, without credentials ({@code rediss://cache:6380/0})
 * @param auth the member's credentials: {@link BackendAuth.Password} or none
 * @param trustManager the certificates a TLS member is verified against (its {@code tls} settings),
 *     or {@code null} for the JVM's trusted CAs
 * @param timeout how long one operation may take before it fails
 * @param connectTimeout how long connecting may take
 */
public record CacheEndpoint(String name, URI url, BackendAuth auth, X509TrustManager trustManager, Duration timeout,
        Duration connectTimeout) {

    public CacheEndpoint {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
    }

    @Override
    public String toString() {
        return "CacheEndpoint[" + name + ", " + Texts.redacted(url) + ", auth=" + auth + ", timeout=" + timeout + "]";
    }
}

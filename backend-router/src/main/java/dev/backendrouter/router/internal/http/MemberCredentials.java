package dev.backendrouter.router.internal.http;

import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * A member's credential, travelling as a request tag to {@link Network}, which adds it only to
 * requests sent to that member's own scheme, host and port. A redirect to any other host
 * therefore never carries it, and the request a caller sees on the response never holds it.
 */
record MemberCredentials(String scheme, String host, int port, String header, String value) {

    static MemberCredentials of(HttpUrl base, String header, String value) {
        return new MemberCredentials(base.scheme(), base.host(), base.port(), header, value);
    }

    boolean appliesTo(HttpUrl url) {
        return url.scheme().equals(scheme) && url.host().equals(host) && url.port() == port;
    }

    @Override
    public String toString() {
        return "MemberCredentials[" + scheme + "://" + host + ":" + port + ", " + header + ": ****]";
    }

    /** The network interceptor that puts the credential on the wire. */
    static final class Network implements Interceptor {
        @Override
        public Response intercept(Chain chain) throws java.io.IOException {
            Request request = chain.request();
            MemberCredentials credentials = request.tag(MemberCredentials.class);
            if (credentials != null && credentials.appliesTo(request.url())) {
                request = request.newBuilder().header(credentials.header(), credentials.value()).build();
            }
            return chain.proceed(request);
        }
    }
}

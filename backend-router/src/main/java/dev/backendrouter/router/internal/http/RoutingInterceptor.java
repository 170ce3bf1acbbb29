package dev.backendrouter.router.internal.http;

import dev.backendrouter.api.BackendRouterException;
import dev.backendrouter.api.RoutingKey;
import dev.backendrouter.router.BackendRoutingIOException;
import dev.backendrouter.router.CallOptions;
import dev.backendrouter.router.internal.cache.Caches;
import dev.backendrouter.router.internal.routing.AttemptLoop;
import dev.backendrouter.router.internal.routing.GroupRoute;
import dev.backendrouter.router.internal.routing.RoutingTable;
import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The HTTP front door: an application interceptor that routes requests whose host is a group
 * name ({@code http://storage/files/42}) and lets every other request pass untouched.
 */
public final class RoutingInterceptor implements Interceptor {
    /** Header that carries the routing key when the request has no {@link RoutingKey} tag. */
    public static final String ROUTING_KEY = "X-Routing-Key";
    /** Header that makes a POST or PATCH safe to send again. */
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final Supplier<RoutingTable> table;
    private final AttemptLoop loop;
    private final HttpSettings settings;
    private final OkHttpClient direct;
    private final HttpCache cache;

    private RoutingInterceptor(Supplier<RoutingTable> table, AttemptLoop loop, HttpSettings settings, OkHttpClient direct,
            Caches caches) {
        this.table = table;
        this.loop = loop;
        this.settings = settings;
        this.direct = direct;
        this.cache = new HttpCache(caches, loop);
    }

    /**
     * The routed client: {@code base} with this interceptor, the one that keeps members' trust and
     * pins on redirects, and the one that puts member credentials on the wire.
     */
    public static OkHttpClient routedClient(OkHttpClient base, Supplier<RoutingTable> table, AttemptLoop loop,
            HttpSettings settings, Caches caches) {
        // hedged attempts run as calls of their own on this client: the base with credentials, without routing
        RedirectGuard redirects = new RedirectGuard(table, base);
        OkHttpClient direct = base.newBuilder().addNetworkInterceptor(redirects)
                .addNetworkInterceptor(new MemberCredentials.Network()).build();
        return base.newBuilder()
                .addInterceptor(new RoutingInterceptor(table, loop, settings, direct, caches))
                .addNetworkInterceptor(redirects)
                .addNetworkInterceptor(new MemberCredentials.Network())
                .build();
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        GroupRoute group;
        try {
            group = table.get().group(request.url().host());
        } catch (BackendRouterException e) {
            throw new BackendRoutingIOException(e);
        }
        if (group == null) {
            return chain.proceed(request);
        }
        String method = request.method();
        boolean write = !isRead(method);
        CallOptions options = request.tag(CallOptions.class);
        if (options == null) {
            options = CallOptions.defaults();
        }
        if (write && options.idempotent() == null) {
            options = options.withIdempotent(method.equals("PUT") || method.equals("DELETE")
                    || request.header(IDEMPOTENCY_KEY) != null);
        }
        String requestId = request.header(HttpRunner.REQUEST_ID);
        HttpCall call = new HttpCall(chain, request, requestId != null ? requestId : newRequestId(), write,
                !write || Boolean.TRUE.equals(options.idempotent()), settings, direct);
        RoutingKey key = routingKey(request);
        try {
            if (!write) {
                return cache.read(call, group, key, options);
            }
            Response response = loop.run(group, key, true, options, HttpRunner.INSTANCE, call);
            cache.written(call, group, key, response);
            return response;
        } catch (BackendRouterException e) {
            throw new BackendRoutingIOException(e);
        }
    }

    static boolean isRead(String method) {
        return method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS");
    }

    private static RoutingKey routingKey(Request request) throws IOException {
        RoutingKey tagged = request.tag(RoutingKey.class);
        if (tagged != null) {
            return tagged;
        }
        String header = request.header(ROUTING_KEY);
        if (header == null) {
            return null;
        }
        try {
            return RoutingKey.of(header);
        } catch (IllegalArgumentException e) {
            throw new BackendRoutingIOException(new BackendRouterException("Bad " + ROUTING_KEY + " header on "
                    + request.method() + " " + request.url().redact() + ": " + e.getMessage()));
        }
    }

    /** A random (version 4) UUID without {@link UUID#randomUUID()}'s contended secure random. */
    private static String newRequestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }
}

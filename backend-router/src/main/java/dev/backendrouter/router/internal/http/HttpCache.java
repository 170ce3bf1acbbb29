package dev.backendrouter.router.internal.http;

import dev.backendrouter.api.BackendAuth;
import dev.backendrouter.api.RoutingKey;
import dev.backendrouter.router.CallOptions;
import dev.backendrouter.router.ReadPreference;
import dev.backendrouter.router.internal.cache.CacheStats;
import dev.backendrouter.router.internal.cache.CacheStatus;
import dev.backendrouter.router.internal.cache.Caches;
import dev.backendrouter.router.internal.cache.NearCache;
import dev.backendrouter.router.internal.routing.AttemptLoop;
import dev.backendrouter.router.internal.routing.GroupRoute;
import dev.backendrouter.router.internal.routing.MemberRef;
import dev.backendrouter.router.internal.routing.ShardRoute;
import dev.backendrouter.router.internal.routing.Tier;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import okhttp3.CacheControl;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Cache-first HTTP reads and cache invalidation on writes: the near cache, then the group's CACHE
 * members, then the data tiers; answers written back to the CACHE members in the background.
 */
final class HttpCache {
    /** A request header or query parameter that skips the caches, as the backends' own {@code nocache}. */
    static final String NO_CACHE_PARAMETER = "nocache";

    private final Caches caches;
    private final AttemptLoop loop;

    HttpCache(Caches caches, AttemptLoop loop) {
        this.caches = caches;
        this.loop = loop;
    }

    Response read(HttpCall call, GroupRoute group, RoutingKey key, CallOptions options) throws IOException {
        Request request = call.request();
        ShardRoute route = group.route(key);
        NearCache near = caches.near(group.name());
        CacheStats stats = caches.stats(group.name());
        boolean cached = near != null || route.cacheTiers().length > 0;
        if (caches.recentWrites().recentlyWritten(writeKey(group, key, request))) {
            // read-your-writes: the caller's own write may not have reached caches and replicas yet
            options = options.withReadPreference(ReadPreference.PRIMARY);
            return bypass(call, group, key, options, stats, cached);
        }
        if (!cached || options.noCache() || noCacheAsked(request)) {
            return bypass(call, group, key, options, stats, cached);
        }
        CallOptions callOptions = options;
        try {
            NearCache.Read read = near == null
                    ? new NearCache.Read(load(call, group, route, key, callOptions, stats).value(), CacheStatus.MISS)
                    : near.read(nearKey(key, request), () -> load(call, group, route, key, callOptions, stats));
            return respond(read, request);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private Response bypass(HttpCall call, GroupRoute group, RoutingKey key, CallOptions options, CacheStats stats,
            boolean cached) {
        Response response = loop.run(group, key, false, options, HttpRunner.INSTANCE, call);
        if (!cached) {
            return response;
        }
        stats.bypassed();
        return response.newBuilder().header(CachedResponse.CACHE_HEADER, CacheStatus.BYPASS.name()).build();
    }

    /** The caller's own copy of a shared answer, or the streamed one it loaded itself; marked with where it came from. */
    private static Response respond(NearCache.Read read, Request request) {
        Object value = read.value();
        if (value instanceof CachedResponse cached) {
            return cached.toResponse(request, read.status().name());
        }
        return ((Response) value).newBuilder().header(CachedResponse.CACHE_HEADER, read.status().name()).build();
    }

    /** The cache tier, then the data tiers; a data answer goes back to the cache tier in the background. */
    private NearCache.Loaded load(HttpCall call, GroupRoute group, ShardRoute route, RoutingKey key, CallOptions options,
            CacheStats stats) {
        try {
            for (Tier tier : route.cacheTiers()) {
                CachedResponse hit = askCacheMember(call, tier.pickForCache(loop.random()));
                if (hit != null) {
                    stats.tierHit();
                    return new NearCache.Loaded(hit, true, Long.MAX_VALUE, false, true);
                }
            }
            if (route.cacheTiers().length > 0) {
                stats.tierMiss();
            }
            Response response = loop.run(group, key, false, options, HttpRunner.INSTANCE, call);
            CacheControl control = response.cacheControl();
            boolean cacheable = response.code() == 200 && !control.noStore() && !control.noCache()
                    && varyOnlyOnEncoding(response);
            long ttl = control.maxAgeSeconds() >= 0 ? TimeUnit.SECONDS.toNanos(control.maxAgeSeconds()) : Long.MAX_VALUE;
            boolean failed = response.code() >= 500 || response.code() == 429;
            CachedResponse whole = CachedResponse.of(response);
            if (whole == null) {
                return new NearCache.Loaded(response, false, 0, failed, false);
            }
            if (cacheable) {
                for (Tier tier : route.cacheTiers()) {
                    MemberRef member = tier.pickForCache(loop.random());
                    if (member != null) {
                        caches.populator().submit(() -> writeCacheMember(call, member, whole), stats);
                    }
                }
            }
            return new NearCache.Loaded(whole, cacheable, ttl, failed, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean varyOnlyOnEncoding(Response response) {
        for (String vary : response.headers("Vary")) {
            for (String field : vary.split(",")) {
                if (!field.isBlank() && !field.trim().equalsIgnoreCase("Accept-Encoding")) {
                    return false;
                }
            }
        }
        return true;
    }

    /** A GET on one cache member: 200 is a hit; 404, any error, a slow answer or an open breaker a miss. */
    private CachedResponse askCacheMember(HttpCall call, MemberRef member) {
        if (member == null) {
            return null;
        }
        CircuitBreaker breaker = member.state().breaker();
        if (!breaker.tryAcquirePermission()) {
            return null;
        }
        long start = loop.ticker().nanoTime();
        okhttp3.Call attempt = cacheCall(call, cacheRequest(call, member).get());
        try (Response response = attempt.execute()) {
            breaker.onSuccess(loop.ticker().nanoTime() - start, TimeUnit.NANOSECONDS);
            return response.code() == 200 ? CachedResponse.of(response.newBuilder().build()) : null;
        } catch (IOException | RuntimeException e) {
            breaker.onError(loop.ticker().nanoTime() - start, TimeUnit.NANOSECONDS, e);
            return null;
        }
    }

    private void writeCacheMember(HttpCall call, MemberRef member, CachedResponse answer) {
        send(call, member, cacheRequest(call, member).put(RequestBody.create(answer.body(), answer.contentType())));
    }

    /** After a write: forget the path in the near cache and on the cache members, and remember it for read-your-writes. */
    void written(HttpCall call, GroupRoute group, RoutingKey key, Response response) {
        if (!response.isSuccessful()) {
            return;
        }
        Request request = call.request();
        caches.recentWrites().wrote(writeKey(group, key, request));
        NearCache near = caches.near(group.name());
        if (near != null) {
            String prefix = keyText(key) + "|";
            String path = request.url().encodedPath();
            near.invalidate(k -> k.startsWith(prefix) && (samePath(k, prefix + "GET " + path) || samePath(k, prefix + "HEAD " + path)));
        }
        for (Tier tier : group.route(key).cacheTiers()) {
            for (MemberRef member : tier.members()) {
                send(call, member, cacheRequest(call, member).delete());
            }
        }
    }

    private static boolean samePath(String key, String start) {
        return key.equals(start) || key.startsWith(start + "?");
    }

    /** A best-effort request to a cache member, guarded by its breaker; failures are ignored. */
    private void send(HttpCall call, MemberRef member, Request.Builder request) {
        CircuitBreaker breaker = member.state().breaker();
        if (!breaker.tryAcquirePermission()) {
            return;
        }
        long start = loop.ticker().nanoTime();
        try (Response response = cacheCall(call, request).execute()) {
            breaker.onSuccess(loop.ticker().nanoTime() - start, TimeUnit.NANOSECONDS);
        } catch (IOException | RuntimeException e) {
            breaker.onError(loop.ticker().nanoTime() - start, TimeUnit.NANOSECONDS, e);
        }
    }

    /** A call to a cache member, bounded by the cache-tier timeout: a slow cache is a miss, not a slow read. */
    private okhttp3.Call cacheCall(HttpCall call, Request.Builder request) {
        okhttp3.Call cacheCall = call.direct().newCall(request.build());
        cacheCall.timeout().timeout(caches.tierTimeout().toNanos(), TimeUnit.NANOSECONDS);
        return cacheCall;
    }

    private static Request.Builder cacheRequest(HttpCall call, MemberRef member) {
        Request.Builder request = new Request.Builder()
                .url(HttpRunner.rewrite(call.request().url(), member.httpBase()))
                .header(HttpRunner.REQUEST_ID, call.requestId());
        BackendAuth auth = member.member().auth();
        if (auth.headerName() != null) {
            request.tag(MemberCredentials.class, MemberCredentials.of(member.httpBase(), auth.headerName(), auth.headerValue()));
        }
        return request;
    }

    private static boolean noCacheAsked(Request request) {
        String flag = request.url().queryParameter(NO_CACHE_PARAMETER);
        if (flag != null && !flag.equalsIgnoreCase("false") && !flag.equals("0")) {
            return true;
        }
        return request.cacheControl().noCache() || request.header(NO_CACHE_HEADER) != null;
    }

    /** A request header that skips the caches. */
    static final String NO_CACHE_HEADER = "X-Backend-Router-No-Cache";

    private static String keyText(RoutingKey key) {
        return key == null ? "" : key.normalized();
    }

    private static String nearKey(RoutingKey key, Request request) {
        String query = request.url().encodedQuery();
        return keyText(key) + "|" + request.method() + " " + request.url().encodedPath() + (query == null ? "" : "?" + query);
    }

    private static String writeKey(GroupRoute group, RoutingKey key, Request request) {
        return group.name() + "|" + keyText(key) + "|" + request.url().encodedPath();
    }
}

package dev.backendrouter.router.internal.http;

import dev.backendrouter.api.BackendAuth;
import dev.backendrouter.api.RoutingKey;
import dev.backendrouter.router.CallOptions;
import dev.backendrouter.router.ReadPreference;
import dev.backendrouter.router.internal.cache.CacheKeys;
import dev.backendrouter.router.internal.cache.CacheStats;
import dev.backendrouter.router.internal.cache.CacheStatus;
import dev.backendrouter.router.internal.cache.Caches;
import dev.backendrouter.router.internal.cache.Generation;
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
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Cache-first HTTP reads and cache invalidation on writes: the near cache, then the shard's CACHE
 * members (HTTP cache services, or Redis through a connector), then the data tiers; answers
 * written back to the CACHE members in the background.
 * Groups with no cache and nothing that can lag (no replicas) go straight to the attempt loop.
 */
final class HttpCache {
    /** A query parameter that skips the caches, as the backends' own {@code nocache}. */
    static final String NO_CACHE_PARAMETER = "nocache";
    /** A request header that skips the caches. */
    static final String NO_CACHE_HEADER = "X-Backend-Router-No-Cache";

    private final Caches caches;
    private final AttemptLoop loop;

    HttpCache(Caches caches, AttemptLoop loop) {
        this.caches = caches;
        this.loop = loop;
    }

    Response read(HttpCall call, GroupRoute group, RoutingKey key, CallOptions options) throws IOException {
        NearCache near = caches.near(group.name());
        boolean cached = near != null || group.hasCacheTier();
        if (!cached && !(caches.readYourWritesOn() && group.mayServeOldAnswers())) {
            return loop.run(group, key, false, options, HttpRunner.INSTANCE, call);
        }
        Request request = call.request();
        ShardRoute route = group.route(key);
        CacheStats stats = caches.stats(group.name());
        if (caches.recentWrites().mayHoldAny() && caches.recentWrites().recentlyWritten(writeKey(group, route, request))) {
            // read-your-writes: the caller's own write may not have reached caches and replicas yet
            return bypass(call, group, key, options.readPreference() == null
                    ? options.withReadPreference(ReadPreference.PRIMARY) : options, stats, cached);
        }
        if (!cached || options.noCache() || noCacheAsked(request) || personal(request)) {
            return bypass(call, group, key, options, stats, cached);
        }
        try {
            NearCache.Read read = caches.loads(group.name()).read(nearKey(route, request),
                    () -> load(call, group, route, key, options, stats));
            caches.heard(group.name(), read.status());
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
        caches.heard(group.name(), CacheStatus.BYPASS);
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
        Generation writes = caches.writes(group.name());
        long generation = writes.current();
        try {
            String remoteKey = null;
            for (Tier tier : route.cacheTiers()) {
                MemberRef picked = tier.pickForCache(loop.random());
                if (picked != null && picked.cache() != null) {
                    remoteKey = remoteKey != null ? remoteKey : remoteKey(group, route, call.request());
                    HttpEntryCodec.Entry entry = caches.remote().get(group.name(), picked, remoteKey, HttpEntryCodec::decode);
                    if (entry != null) {
                        stats.tierHit();
                        // the near cache keeps it no longer than the origin's max-age allows, minus its time in Redis
                        return new NearCache.Loaded(entry.answer(), true, entry.freshNanos(System.currentTimeMillis()), false,
                                entry.answer().body().length);
                    }
                    continue;
                }
                CachedResponse hit = askCacheMember(call, picked);
                if (hit != null) {
                    stats.tierHit();
                    return new NearCache.Loaded(hit, true, Long.MAX_VALUE, false, hit.body().length);
                }
            }
            if (route.cacheTiers().length > 0) {
                stats.tierMiss();
            }
            Response response = loop.run(group, key, false, options, HttpRunner.INSTANCE, call);
            CacheControl control = response.cacheControl();
            long ttl = control.maxAgeSeconds() >= 0 ? TimeUnit.SECONDS.toNanos(control.maxAgeSeconds()) : Long.MAX_VALUE;
            boolean failed = response.code() >= 500 || response.code() == 429;
            boolean cacheable = response.code() == 200 && !control.noStore() && !control.noCache() && !control.isPrivate()
                    && ttl > 0 && varyOnlyOnEncoding(response);
            CachedResponse whole = cacheable || failed ? CachedResponse.of(response) : null;
            if (whole == null) {
                return new NearCache.Loaded(response, false, 0, failed, 0);
            }
            if (cacheable) {
                long ttlSeconds = Math.min(TimeUnit.NANOSECONDS.toSeconds(ttl), caches.ttl(group.name()).toSeconds());
                long groupMillis = caches.ttl(group.name()).toMillis();
                long sharedMillis = control.sMaxAgeSeconds() >= 0 ? Math.min(TimeUnit.SECONDS.toMillis(control.sMaxAgeSeconds()), groupMillis)
                        : Math.min(TimeUnit.NANOSECONDS.toMillis(ttl), groupMillis);
                byte[] entry = null;
                boolean counted = false;
                for (Tier tier : route.cacheTiers()) {
                    MemberRef member = tier.pickForCache(loop.random());
                    if (member == null) {
                        continue;
                    }
                    if (member.cache() == null) {
                        caches.populator().submit(() -> writes.current() == generation
                                && writeCacheMember(call, member, whole, ttlSeconds), stats);
                    } else if (sharedMillis > 0 && HttpEntryCodec.shareable(whole)) {
                        entry = entry != null ? entry : HttpEntryCodec.encode(whole, System.currentTimeMillis());
                        if (entry == null || entry.length > caches.valueLimit()) {
                            if (!counted) {
                                stats.tooLarge();
                                counted = true;
                            }
                            continue;
                        }
                        byte[] bytes = entry;
                        String storeKey = remoteKey != null ? remoteKey : remoteKey(group, route, call.request());
                        caches.populator().submit(() -> caches.remote().setUnlessWritten(group.name(), member, storeKey, bytes,
                                java.time.Duration.ofMillis(sharedMillis), writes, generation), stats);
                    }
                }
            }
            return new NearCache.Loaded(whole, cacheable, ttl, failed, whole.body().length);
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
        try (Response response = cacheCall(call, member, cacheRequest(call, member, true).get()).execute()) {
            breaker.onSuccess(loop.ticker().nanoTime() - start, TimeUnit.NANOSECONDS);
            return response.code() == 200 ? CachedResponse.of(response) : null;
        } catch (Exception e) {
            breaker.onError(loop.ticker().nanoTime() - start, TimeUnit.NANOSECONDS, e);
            return null;
        }
    }

    private boolean writeCacheMember(HttpCall call, MemberRef member, CachedResponse answer, long ttlSeconds) {
        return send(call, member, cacheRequest(call, member, true).header("Cache-Control", "max-age=" + ttlSeconds)
                .put(RequestBody.create(answer.body(), answer.contentType())));
    }

    /** After a write: forget the path in the near cache and on the cache members, and remember it for read-your-writes. */
    void written(HttpCall call, GroupRoute group, RoutingKey key, Response response) {
        if (!response.isSuccessful()) {
            return;
        }
        NearCache near = caches.near(group.name());
        boolean cacheTier = group.hasCacheTier();
        if (near == null && !cacheTier && !group.mayServeOldAnswers()) {
            return;
        }
        Request request = call.request();
        ShardRoute route = group.route(key);
        caches.writes(group.name()).advance();
        caches.recentWrites().wrote(writeKey(group, route, request));
        NearCache loads = near != null ? near : cacheTier ? caches.loads(group.name()) : null;
        if (loads != null) {
            String prefix = route.label() + "|";
            String path = request.url().encodedPath();
            loads.invalidate(k -> samePath(k, prefix + "GET " + path) || samePath(k, prefix + "HEAD " + path));
        }
        java.util.List<String> remoteKeys = null;
        for (Tier tier : route.cacheTiers()) {
            for (MemberRef member : tier.members()) {
                if (member.cache() != null) {
                    remoteKeys = remoteKeys != null ? remoteKeys : invalidatedKeys(group, route, request);
                    caches.remote().delete(group.name(), member, remoteKeys);
                    continue;
                }
                send(call, member, cacheRequest(call, member, false).delete());
                if (request.url().encodedQuery() != null) {
                    send(call, member, cacheRequest(call, member, true).delete());
                }
            }
        }
    }

    /** The key of this read's answer on a cache member served by a connector. */
    private String remoteKey(GroupRoute group, ShardRoute route, Request request) {
        String query = request.url().encodedQuery();
        return CacheKeys.http(caches.service(), group.name(), route.shard(), request.method(),
                request.url().encodedPath() + (query == null ? "" : "?" + query));
    }

    /** What a write of this path invalidates on a cache member served by a connector: GET and HEAD, without and with its query. */
    private java.util.List<String> invalidatedKeys(GroupRoute group, ShardRoute route, Request request) {
        String path = request.url().encodedPath();
        String query = request.url().encodedQuery();
        java.util.List<String> keys = new java.util.ArrayList<>(4);
        for (String method : new String[] {"GET", "HEAD"}) {
            keys.add(CacheKeys.http(caches.service(), group.name(), route.shard(), method, path));
            if (query != null) {
                keys.add(CacheKeys.http(caches.service(), group.name(), route.shard(), method, path + "?" + query));
            }
        }
        return keys;
    }

    private static boolean samePath(String key, String start) {
        return key.equals(start) || key.startsWith(start + "?");
    }

    /** A best-effort request to a cache member, guarded by its breaker; whether it succeeded. */
    private boolean send(HttpCall call, MemberRef member, Request.Builder request) {
        CircuitBreaker breaker = member.state().breaker();
        if (!breaker.tryAcquirePermission()) {
            return false;
        }
        long start = loop.ticker().nanoTime();
        try (Response response = cacheCall(call, member, request).execute()) {
            breaker.onSuccess(loop.ticker().nanoTime() - start, TimeUnit.NANOSECONDS);
            return response.isSuccessful();
        } catch (Exception e) {
            breaker.onError(loop.ticker().nanoTime() - start, TimeUnit.NANOSECONDS, e);
            return false;
        }
    }

    /** A call to a cache member, bounded by the cache-tier timeout: a slow cache is a miss, not a slow read. */
    private okhttp3.Call cacheCall(HttpCall call, MemberRef member, Request.Builder request) {
        OkHttpClient client = member.tls() == null ? call.direct() : member.tls().client(call.direct());
        okhttp3.Call cacheCall = client.newCall(request.build());
        cacheCall.timeout().timeout(caches.tierTimeout().toNanos(), TimeUnit.NANOSECONDS);
        return cacheCall;
    }

    private static Request.Builder cacheRequest(HttpCall call, MemberRef member, boolean withQuery) {
        okhttp3.HttpUrl url = HttpRunner.rewrite(call.request().url(), member.httpBase());
        Request.Builder request = new Request.Builder()
                .url(withQuery ? url : url.newBuilder().query(null).build())
                .header(HttpRunner.REQUEST_ID, call.requestId());
        RedirectGuard.tag(request, member);
        BackendAuth auth = member.member().auth();
        if (auth.headerName() != null) {
            request.tag(MemberCredentials.class, MemberCredentials.of(member.httpBase(), auth.headerName(), auth.headerValue().reveal()));
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

    /**
     * A request whose answer is the caller's own — it carries credentials or cookies, or asks for
     * a part or a condition — is never served from, or stored in, a shared cache.
     */
    private static boolean personal(Request request) {
        for (String name : request.headers().names()) {
            if (name.equalsIgnoreCase("Authorization") || name.equalsIgnoreCase("Cookie") || name.equalsIgnoreCase("Range")
                    || name.regionMatches(true, 0, "If-", 0, 3)) {
                return true;
            }
        }
        return false;
    }

    private static String nearKey(ShardRoute route, Request request) {
        String query = request.url().encodedQuery();
        return route.label() + "|" + request.method() + " " + request.url().encodedPath() + (query == null ? "" : "?" + query);
    }

    private static String writeKey(GroupRoute group, ShardRoute route, Request request) {
        return group.name() + "|" + route.label() + "|" + request.url().encodedPath();
    }
}

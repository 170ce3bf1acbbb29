package dev.backendrouter.router;

import dev.backendrouter.api.BackendRouterException;
import dev.backendrouter.api.RoutingKey;
import dev.backendrouter.router.internal.cache.NearCache;
import dev.backendrouter.router.internal.routing.GenericRunner;
import dev.backendrouter.router.internal.routing.GroupRoute;
import java.util.Objects;

/**
 * One group of a router, for calls with any client: the router picks the member, your function
 * makes the call, the router fails over, shards and records.
 *
 * <pre>{@code
 * RoutedGroup users = router.group("users");
 * User alice = users.read(RoutingKey.of("alice"), member -> dao(member).find("alice"));
 * users.write(RoutingKey.of("alice"), member -> dao(member).save(alice));
 * String report = router.group("reports").read(null, member -> client(member).latest());   // unsharded
 * }</pre>
 *
 * A handle is cheap and stays valid across topology reloads; each call routes by the topology
 * current at its start.
 */
public final class RoutedGroup {
    private final BackendRouter router;
    private final String name;

    RoutedGroup(BackendRouter router, String name) {
        this.router = router;
        this.name = name;
    }

    /** The group's name. */
    public String name() {
        return name;
    }

    /**
     * Reads through the group's read plan: replicas, primaries and backups by the read
     * preference, the archive after not-found answers.
     *
     * @param key the routing key; required for a sharded group, may be {@code null} otherwise
     * @throws BackendRouterException when no member could serve the read (see {@link MemberCall})
     */
    public <T> T read(RoutingKey key, MemberCall<T> call) {
        return read(key, CallOptions.defaults(), call);
    }


    /**
     * {@link #read(RoutingKey, MemberCall)} with per-call options. With
     * {@link CallOptions#withCacheKey a cache key} the read is cache-first: the group's near
     * cache, then its {@link CacheStore}, then the backends.
     */
    @SuppressWarnings("unchecked")
    public <T> T read(RoutingKey key, CallOptions options, MemberCall<T> call) {
        Objects.requireNonNull(options, "options");
        GroupRoute group = route();
        if (!router.genericCache().involved(name, group.mayServeOldAnswers(), options)) {
            return run(group, key, false, options, call);
        }
        return (T) router.genericCache().read(group, key, options, o -> run(group, key, false, o, call)).value();
    }

    /** A cache-first read that also says where its value came from (a hit, a miss, a stale copy). */
    @SuppressWarnings("unchecked")
    public <T> CacheRead<T> readCached(RoutingKey key, CallOptions options, MemberCall<T> call) {
        Objects.requireNonNull(options, "options");
        GroupRoute group = route();
        NearCache.Read read = router.genericCache().read(group, key, options, o -> run(group, key, false, o, call));
        return new CacheRead<>((T) read.value(), read.status().name());
    }

    /**
     * Writes through the primaries, then the backups; never replicas, caches or archives. A
     * failed write is sent to another member only when it never reached the first or the
     * options mark it idempotent.
     */
    public <T> T write(RoutingKey key, MemberCall<T> call) {
        return write(key, CallOptions.defaults(), call);
    }

    /**
     * {@link #write(RoutingKey, MemberCall)} with per-call options. A successful write makes
     * reads of its key (its cache key, or else its routing key) skip caches and replicas for the
     * read-your-writes window, and invalidates its cache key.
     */
    public <T> T write(RoutingKey key, CallOptions options, MemberCall<T> call) {
        Objects.requireNonNull(options, "options");
        GroupRoute group = route();
        T value = run(group, key, true, options, call);
        router.genericCache().written(group, key, options);
        return value;
    }

    private GroupRoute route() {
        GroupRoute group = router.table().group(name);
        if (group == null) {
            throw new BackendRouterException("Group '" + name + "' is not in the topology (any more); its groups are "
                    + router.topology().groups().stream().map(g -> g.name()).toList());
        }
        return group;
    }

    @SuppressWarnings("unchecked")
    private <T> T run(GroupRoute group, RoutingKey key, boolean write, CallOptions options, MemberCall<T> call) {
        Objects.requireNonNull(call, "call");
        return (T) router.loop().run(group, key, write, options, GenericRunner.INSTANCE, call);
    }

    @Override
    public String toString() {
        return "RoutedGroup[" + name + "]";
    }
}

package dev.backendrouter.router.internal.routing;

import dev.backendrouter.api.BackendGroup;
import dev.backendrouter.api.BackendMember;
import dev.backendrouter.api.BackendRole;
import dev.backendrouter.api.MissingRoutingKeyException;
import dev.backendrouter.api.NoShardForKeyException;
import dev.backendrouter.api.RoutingKey;
import dev.backendrouter.api.ShardIndex;
import dev.backendrouter.api.ShardRange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One group of the routing table: its shard index and a {@link ShardRoute} per shard. */
public final class GroupRoute {
    private final String name;
    private final ShardIndex index;
    private final ShardRoute[] shards;
    private final ShardRoute unsharded;
    private final List<MemberRef> members;
    private final boolean mayServeOldAnswers;
    private final boolean hasCacheTier;
    private final boolean hasConnectorCacheTier;

    GroupRoute(BackendGroup group, List<MemberRef> members, Balancer balancer) {
        this.name = group.name();
        this.members = List.copyOf(members);
        if (group.isSharded()) {
            this.index = ShardIndex.of(group);
            this.unsharded = null;
            this.shards = new ShardRoute[index.ranges().size()];
            Map<String, Integer> shardOf = new HashMap<>();
            List<List<MemberRef>> shardMembers = new ArrayList<>();
            for (int i = 0; i < shards.length; i++) {
                shardOf.put(index.ranges().get(i).text(), i);
                shardMembers.add(new ArrayList<>());
            }
            // one pass in topology order, each range parsed once: a member with the shard's range
            // serves it; a non-SHARD member without a range serves every shard
            for (MemberRef member : members) {
                BackendMember backend = member.member();
                if (backend.routingKey() != null) {
                    Integer shard = shardOf.get(backend.shardRange().text());
                    if (shard != null) {
                        shardMembers.get(shard).add(member);
                    }
                } else if (backend.role() != BackendRole.SHARD) {
                    shardMembers.forEach(list -> list.add(member));
                }
            }
            for (int i = 0; i < shards.length; i++) {
                shards[i] = new ShardRoute("shard " + index.ranges().get(i).text(), shardMembers.get(i), balancer);
            }
        } else {
            this.index = null;
            this.shards = null;
            this.unsharded = new ShardRoute("group " + name, members, balancer);
        }
        boolean old = false;
        boolean cacheTier = false;
        boolean connectorTier = false;
        for (ShardRoute route : routes()) {
            old |= route.hasReplicas() || route.cacheTiers().length > 0;
            cacheTier |= route.cacheTiers().length > 0;
            for (Tier tier : route.cacheTiers()) {
                for (MemberRef member : tier.members()) {
                    connectorTier |= member.cache() != null;
                }
            }
        }
        this.hasConnectorCacheTier = connectorTier;
        // asked on every read: computed once per table, not walked (and copied) per call
        this.mayServeOldAnswers = old;
        this.hasCacheTier = cacheTier;
    }

    public String name() {
        return name;
    }

    public boolean isSharded() {
        return index != null;
    }

    /** Whether any shard has READ_REPLICA or CACHE members: reads of it can see an old answer. */
    public boolean mayServeOldAnswers() {
        return mayServeOldAnswers;
    }

    /** Whether any shard has CACHE members. */
    public boolean hasCacheTier() {
        return hasCacheTier;
    }

    /** The route of every shard, or the group's one route when unsharded. */
    /** Whether some CACHE member is served by a connector ({@code redis://}): the generic API's cache members. */
    public boolean hasConnectorCacheTier() {
        return hasConnectorCacheTier;
    }

    public List<ShardRoute> routes() {
        return unsharded != null ? List.of(unsharded) : List.of(shards);
    }

    /** Every member of the group, in topology order. */
    public List<MemberRef> members() {
        return members;
    }

    /**
     * The route for a key: the group itself when unsharded (the key may be null), else the
     * shard that owns the key.
     *
     * @throws MissingRoutingKeyException when the group is sharded and the key is null
     * @throws NoShardForKeyException when no shard owns the key
     */
    public ShardRoute route(RoutingKey key) {
        if (unsharded != null) {
            return unsharded;
        }
        if (key == null) {
            throw new MissingRoutingKeyException(name);
        }
        int shard = index.indexOf(key);
        if (shard < 0) {
            throw new NoShardForKeyException(name, key, index.ranges().stream().map(ShardRange::text).toList());
        }
        return shards[shard];
    }
}

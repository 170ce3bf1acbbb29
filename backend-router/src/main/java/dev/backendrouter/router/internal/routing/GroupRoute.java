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
import java.util.List;

/** One group of the routing table: its shard index and a {@link ShardRoute} per shard. */
public final class GroupRoute {
    private final String name;
    private final ShardIndex index;
    private final ShardRoute[] shards;
    private final ShardRoute unsharded;
    private final List<MemberRef> members;

    GroupRoute(BackendGroup group, List<MemberRef> members, Balancer balancer) {
        this.name = group.name();
        this.members = List.copyOf(members);
        if (group.isSharded()) {
            this.index = ShardIndex.of(group);
            this.unsharded = null;
            this.shards = new ShardRoute[index.ranges().size()];
            for (int i = 0; i < shards.length; i++) {
                ShardRange range = index.ranges().get(i);
                List<MemberRef> shardMembers = new ArrayList<>();
                for (MemberRef member : members) {
                    if (servesShard(member.member(), range)) {
                        shardMembers.add(member);
                    }
                }
                shards[i] = new ShardRoute("shard " + range.text(), shardMembers, balancer);
            }
        } else {
            this.index = null;
            this.shards = null;
            this.unsharded = new ShardRoute("group " + name, members, balancer);
        }
    }

    /** A member with the shard's range serves it; a non-SHARD member without a range serves every shard. */
    private static boolean servesShard(BackendMember member, ShardRange range) {
        if (member.routingKey() == null) {
            return member.role() != BackendRole.SHARD;
        }
        return member.shardRange().text().equals(range.text());
    }

    public String name() {
        return name;
    }

    public boolean isSharded() {
        return index != null;
    }

    /** Whether any shard has READ_REPLICA or CACHE members: reads of it can see an old answer. */
    public boolean mayServeOldAnswers() {
        for (ShardRoute route : routes()) {
            if (route.hasReplicas() || route.cacheTiers().length > 0) {
                return true;
            }
        }
        return false;
    }

    /** Whether any shard has CACHE members. */
    public boolean hasCacheTier() {
        for (ShardRoute route : routes()) {
            if (route.cacheTiers().length > 0) {
                return true;
            }
        }
        return false;
    }

    /** The route of every shard, or the group's one route when unsharded. */
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

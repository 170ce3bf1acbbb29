package dev.backendrouter.api;

import java.util.List;
import java.util.Objects;

/**
 * A named set of members serving one logical dependency ({@code storage}, {@code users}). Calls
 * name a group; over HTTP the group name is the host: {@code http://storage/files/42}.
 *
 * <pre>{@code
 * BackendGroup storage = BackendGroup.of("storage",
 *     BackendMember.builder("fs-1", "http://localhost:4001").build(),
 *     BackendMember.builder("fs-2", "http://localhost:4002").role(BackendRole.BACKUP).priority(2).build());
 * }</pre>
 *
 * @param name the group's name: a lower-case host name label
 * @param members the members, in the order given
 * @param allowShardGaps whether shard ranges may leave keys without a shard (such keys then fail
 *     with {@link NoShardForKeyException}); default {@code false}
 * @param nearCache the group's near cache, or {@code null} for none (the default)
 */
public record BackendGroup(String name, List<BackendMember> members, boolean allowShardGaps, NearCacheSettings nearCache) {

    /** The group of a topology that lists its backends without naming groups. */
    public static final String DEFAULT_NAME = "default";

    public BackendGroup {
        Objects.requireNonNull(name, "name");
        members = List.copyOf(members);
    }

    /** A group without a near cache. */
    public BackendGroup(String name, List<BackendMember> members, boolean allowShardGaps) {
        this(name, members, allowShardGaps, null);
    }

    /** This group with a near cache. */
    public BackendGroup withNearCache(NearCacheSettings nearCache) {
        return new BackendGroup(name, members, allowShardGaps, nearCache);
    }

    /** A group with the given members and no shard gaps allowed. */
    public static BackendGroup of(String name, BackendMember... members) {
        return new BackendGroup(name, List.of(members), false);
    }

    /** Whether the group has SHARD members, so calls to it need a routing key. */
    public boolean isSharded() {
        for (BackendMember member : members) {
            if (member.role() == BackendRole.SHARD) {
                return true;
            }
        }
        return false;
    }
}

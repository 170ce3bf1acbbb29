package dev.backendrouter.api;

import java.util.List;

/**
 * No shard of a group owns the call's routing key. Thrown before any I/O.
 *
 * <p>Either the key is outside every range (a key {@code 7} with shards {@code users-a-m} and
 * {@code users-n-z}), or the group allows gaps and the key falls in one.
 */
public class NoShardForKeyException extends BackendRouterException {
    private static final long serialVersionUID = 1L;

    private final String group;
    private final String key;

    public NoShardForKeyException(String group, RoutingKey key, List<String> shardKeys) {
        super("No shard of group '" + group + "' owns routing key '" + key.value() + "'; the shards are "
                + String.join(", ", shardKeys) + " (range keys compare lower-case, letter by letter)");
        this.group = group;
        this.key = key.value();
    }

    /** The group that was called. */
    public String group() {
        return group;
    }

    /** The routing key that no shard owns. */
    public String key() {
        return key;
    }
}

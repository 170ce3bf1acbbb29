package dev.backendrouter.router;

/**
 * Which members a read goes to first. Writes ignore it: they go to the primaries, then the
 * backups.
 *
 * <pre>{@code
 * group.read(key, CallOptions.defaults().withReadPreference(ReadPreference.PRIMARY), member -> ...);
 * }</pre>
 *
 * In every case the ARCHIVE tier is asked last, and only when the hot tiers answered "not found".
 */
public enum ReadPreference {
    /** Primaries by priority, then backups; replicas never. For reads that must see the latest write. */
    PRIMARY,
    /** Primaries, then backups, then replicas when neither could answer. */
    PRIMARY_PREFERRED,
    /** Replicas only. Fails when no replica can answer. */
    REPLICA,
    /** Replicas, then primaries, then backups. The default when a group (or shard) has replicas. */
    REPLICA_PREFERRED,
    /** Whichever replica, primary or backup has the lowest latency estimate, then the next lowest. */
    NEAREST
}

package dev.backendrouter.api;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The part a backend plays for the service that calls it, as in the Backend Connections registry.
 *
 * <p>The role decides when the router sends a call to a member:
 * <pre>{@code
 * reads:  CACHE → READ_REPLICA → PRIMARY (by priority) → BACKUP (by priority) → ARCHIVE (only after not-found)
 * writes: PRIMARY (by priority) → BACKUP (by priority)
 * }</pre>
 * In a sharded group, the routing key first picks one shard; the roles then apply inside it.
 */
public enum BackendRole {
    /** The main backend; the default role. Takes reads and writes, preferred by priority. */
    PRIMARY,
    /** A failover backend: takes reads and writes when the primaries fail. */
    BACKUP,
    /** A hot cache in front of the data tiers: asked first on reads, invalidated on writes. */
    CACHE,
    /** A data partition. Has a routing key that says which keys it owns; it is the primary of its shard. */
    SHARD,
    /** A read-only copy: takes reads according to the read preference, never writes. */
    READ_REPLICA,
    /** Cold storage: asked only when every hot tier answered "not found"; never written. */
    ARCHIVE;

    /** Whether writes may be sent to a member of this role. */
    public boolean acceptsWrites() {
        return this == PRIMARY || this == BACKUP || this == SHARD;
    }

    /**
     * Parses a role name case-insensitively ({@code "read_replica"}, {@code "Backup"}); dashes are
     * read as underscores ({@code "read-replica"}).
     *
     * @return the role, or empty when the name is not one of the six roles
     */
    public static Optional<BackendRole> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String normalized = name.trim().replace('-', '_').toUpperCase(Locale.ROOT);
        for (BackendRole role : values()) {
            if (role.name().equals(normalized)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }

    /** The valid role names, comma separated, for error messages. */
    public static String validNames() {
        return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
    }
}

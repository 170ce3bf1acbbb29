package dev.backendrouter.api;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * The key a call is routed by in a sharded group: a user name, a tenant id, a file owner.
 *
 * <pre>{@code
 * router.group("users").read(RoutingKey.of("alice"), member -> ...);
 * }</pre>
 *
 * Keys are matched case-insensitively: {@code Alice} and {@code alice} land on the same shard.
 * A key is 1 to {@value #MAX_LENGTH} characters with no control characters (it may travel in an
 * {@code X-Routing-Key} header).
 */
public final class RoutingKey {
    /** The longest key accepted. */
    public static final int MAX_LENGTH = 1024;
    /** Size of the slot space of hash-slot shards ({@code users#0-8191}). */
    public static final int SLOT_COUNT = 16384;

    private final String value;
    private final String normalized;
    private final int slot;

    private RoutingKey(String value) {
        this.value = value;
        this.normalized = value.toLowerCase(Locale.ROOT);
        CRC32 crc = new CRC32();
        crc.update(normalized.getBytes(StandardCharsets.UTF_8));
        this.slot = (int) (crc.getValue() % SLOT_COUNT);
    }

    /**
     * Returns the key for {@code value}.
     *
     * @throws IllegalArgumentException when the value is empty, too long or has control characters
     */
    public static RoutingKey of(String value) {
        Objects.requireNonNull(value, "routing key value");
        String problem = problemWith(value);
        if (problem != null) {
            throw new IllegalArgumentException("invalid routing key: " + problem);
        }
        return new RoutingKey(value);
    }

    /** Why {@code value} cannot be a routing key, or {@code null} when it can. */
    public static String problemWith(String value) {
        if (value.isEmpty()) {
            return "it is empty";
        }
        if (value.length() > MAX_LENGTH) {
            return "it is longer than " + MAX_LENGTH + " characters";
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                return "it contains a control character at index " + i;
            }
        }
        return null;
    }

    /** The key as given. */
    public String value() {
        return value;
    }

    /** The key in lower case, as compared against shard ranges. */
    public String normalized() {
        return normalized;
    }

    /** The key's hash slot in {@code [0, 16384)}: CRC-32 of the lower-case UTF-8 key, modulo 16384. */
    public int slot() {
        return slot;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RoutingKey other && normalized.equals(other.normalized);
    }

    @Override
    public int hashCode() {
        return normalized.hashCode();
    }

    @Override
    public String toString() {
        return value;
    }
}

package dev.backendrouter.api;

import dev.backendrouter.api.internal.Texts;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The keys a shard owns, parsed from a member's {@code routingKey}. Two forms:
 *
 * <ul>
 *   <li><b>Key range</b>, as in the registry: {@code users-a-m} is keyspace {@code users}, keys
 *       from {@code a} to {@code m} inclusive. Keys compare lower-case, character by character,
 *       and the end bound covers every key that starts with it: {@code users-a-m} owns
 *       {@code alice} and {@code mike}, {@code users-n-z} owns {@code nina} and {@code zoe}.
 *       Bounds are letters and digits; the keyspace may contain hyphens
 *       ({@code user-files-a-m}).
 *   <li><b>Hash slots</b>: {@code users#0-8191} owns the keys whose {@link RoutingKey#slot() slot}
 *       (CRC-32 of the lower-case key, modulo 16384) lies in {@code [0, 8191]}. Spreads any keys
 *       evenly, whatever their letters.
 * </ul>
 *
 * <pre>{@code
 * ShardRange range = ShardRange.parse("users-a-m");
 * range.contains(RoutingKey.of("alice"));   // true
 * range.contains(RoutingKey.of("zoe"));     // false
 * }</pre>
 */
public sealed interface ShardRange permits ShardRange.KeyRange, ShardRange.SlotRange {

    /** The name of the keyspace this range divides; every shard of a group shares one. */
    String keyspace();

    /** Whether the key belongs to this range. */
    boolean contains(RoutingKey key);

    /** The range in its canonical (lower-case) text form. */
    String text();

    /**
     * Parses a routing key of either form.
     *
     * @throws IllegalArgumentException with a message fit for a user when the text is neither form
     */
    static ShardRange parse(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
                // refused, never trimmed: a key that came with a stray line ending is a sign of a broken template
                throw new IllegalArgumentException("'" + Texts.printable(text) + "' has a control character at index " + i
                        + " (" + Texts.printable(String.valueOf(text.charAt(i))) + "): write the range without it, "
                        + "e.g. users-a-m (a stray line ending from a template or an environment variable?)");
            }
        }
        String value = text.strip().toLowerCase(Locale.ROOT);
        Matcher slots = Forms.SLOTS.matcher(value);
        if (slots.matches()) {
            return SlotRange.of(slots.group(1), slots.group(2), slots.group(3));
        }
        Matcher keys = Forms.KEYS.matcher(value);
        if (keys.matches()) {
            return KeyRange.of(keys.group(1), keys.group(2), keys.group(3));
        }
        throw new IllegalArgumentException("'" + Texts.printable(text) + "' is neither a key range 'keyspace-from-to' (users-a-m) "
                + "nor a slot range 'keyspace#from-to' (users#0-8191)");
    }

    /**
     * Keys {@code from} to {@code to}, inclusive, where {@code to} covers every key that starts
     * with it.
     */
    record KeyRange(String keyspace, String from, String to) implements ShardRange {

        static KeyRange of(String keyspace, String from, String to) {
            if (from.compareTo(to) > 0) {
                throw new IllegalArgumentException("range start '" + Texts.printable(from) + "' comes after its end '"
                        + Texts.printable(to) + "'");
            }
            return new KeyRange(keyspace, from, to);
        }

        @Override
        public boolean contains(RoutingKey key) {
            String k = key.normalized();
            return k.compareTo(from) >= 0 && endCovers(k);
        }

        /** Whether {@code key} sorts before {@code to}, or starts with it. */
        public boolean endCovers(String key) {
            int n = Math.min(key.length(), to.length());
            for (int i = 0; i < n; i++) {
                char a = key.charAt(i);
                char b = to.charAt(i);
                if (a != b) {
                    return a < b;
                }
            }
            return true;
        }

        @Override
        public String text() {
            return keyspace + "-" + from + "-" + to;
        }

        @Override
        public String toString() {
            return text();
        }
    }

    /** Hash slots {@code from} to {@code to} inclusive, of {@value RoutingKey#SLOT_COUNT}. */
    record SlotRange(String keyspace, int from, int to) implements ShardRange {

        static SlotRange of(String keyspace, String fromText, String toText) {
            int from = slot(fromText);
            int to = slot(toText);
            if (from > to) {
                throw new IllegalArgumentException("slot range start " + from + " comes after its end " + to);
            }
            return new SlotRange(keyspace, from, to);
        }

        private static int slot(String text) {
            int slot = text.length() > 5 ? Integer.MAX_VALUE : Integer.parseInt(text);
            if (slot >= RoutingKey.SLOT_COUNT) {
                throw new IllegalArgumentException("slot " + Texts.printable(text) + " is outside 0-" + (RoutingKey.SLOT_COUNT - 1));
            }
            return slot;
        }

        @Override
        public boolean contains(RoutingKey key) {
            int slot = key.slot();
            return slot >= from && slot <= to;
        }

        @Override
        public String text() {
            return keyspace + "#" + from + "-" + to;
        }

        @Override
        public String toString() {
            return text();
        }
    }
}

final class Forms {
    static final Pattern SLOTS = Pattern.compile("([a-z0-9](?:[a-z0-9_.-]*[a-z0-9])?)#([0-9]+)-([0-9]+)");
    static final Pattern KEYS = Pattern.compile("([a-z0-9](?:[a-z0-9_.-]*[a-z0-9])?)-([a-z0-9]+)-([a-z0-9]+)");

    private Forms() {
    }
}

package dev.backendrouter.api;

import dev.backendrouter.api.ShardRange.KeyRange;
import dev.backendrouter.api.ShardRange.SlotRange;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Finds the shard that owns a routing key in O(log shards), without allocating. Built once per
 * topology from ranges that do not overlap (a valid topology guarantees that).
 *
 * <pre>{@code
 * ShardIndex index = ShardIndex.of(topology.group("users").orElseThrow());
 * ShardRange shard = index.find(RoutingKey.of("alice"));   // users-a-m, or null when no shard owns it
 * }</pre>
 */
public final class ShardIndex {
    private final List<ShardRange> ranges;
    private final String[] keyStarts;
    private final int[] slotStarts;

    private ShardIndex(List<ShardRange> sorted) {
        this.ranges = List.copyOf(sorted);
        boolean slots = !sorted.isEmpty() && sorted.get(0) instanceof SlotRange;
        this.keyStarts = slots ? null : sorted.stream().map(r -> ((KeyRange) r).from()).toArray(String[]::new);
        this.slotStarts = slots ? sorted.stream().mapToInt(r -> ((SlotRange) r).from()).toArray() : null;
    }

    /**
     * An index of distinct ranges of one form.
     *
     * @throws IllegalArgumentException when ranges mix forms or overlap
     */
    public static ShardIndex of(Collection<ShardRange> ranges) {
        List<ShardRange> sorted = new ArrayList<>(new LinkedHashSet<>(ranges));
        if (sorted.stream().map(Object::getClass).distinct().count() > 1) {
            throw new IllegalArgumentException("shard ranges mix key ranges and slot ranges: " + sorted);
        }
        sorted.sort(Comparator.comparing(ShardIndex::start));
        ShardIndex index = new ShardIndex(sorted);
        for (int i = 1; i < sorted.size(); i++) {
            ShardRange previous = sorted.get(i - 1);
            ShardRange range = sorted.get(i);
            boolean overlaps = range instanceof KeyRange key
                    ? ((KeyRange) previous).endCovers(key.from())
                    : ((SlotRange) range).from() <= ((SlotRange) previous).to();
            if (overlaps) {
                throw new IllegalArgumentException("shard range " + range.text() + " overlaps " + previous.text());
            }
        }
        return index;
    }

    /** The index of a group's SHARD members' ranges; empty for an unsharded group. */
    public static ShardIndex of(BackendGroup group) {
        List<ShardRange> ranges = new ArrayList<>();
        for (BackendMember member : group.members()) {
            if (member.role() == BackendRole.SHARD) {
                ranges.add(member.shardRange());
            }
        }
        return of(ranges);
    }

    private static String start(ShardRange range) {
        return range instanceof KeyRange key ? key.from() : String.format("%05d", ((SlotRange) range).from());
    }

    /** The ranges, sorted by their first key. */
    public List<ShardRange> ranges() {
        return ranges;
    }

    /** The range that owns {@code key}, or {@code null} when none does. */
    public ShardRange find(RoutingKey key) {
        int position = indexOf(key);
        return position < 0 ? null : ranges.get(position);
    }

    /** The position in {@link #ranges()} of the range that owns {@code key}, or -1. */
    public int indexOf(RoutingKey key) {
        if (ranges.isEmpty()) {
            return -1;
        }
        int found = keyStarts != null
                ? Arrays.binarySearch(keyStarts, key.normalized())
                : Arrays.binarySearch(slotStarts, key.slot());
        int floor = found >= 0 ? found : -found - 2;
        return floor >= 0 && ranges.get(floor).contains(key) ? floor : -1;
    }
}

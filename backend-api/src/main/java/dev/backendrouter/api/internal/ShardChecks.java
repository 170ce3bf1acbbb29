package dev.backendrouter.api.internal;

import dev.backendrouter.api.BackendGroup;
import dev.backendrouter.api.BackendMember;
import dev.backendrouter.api.BackendRole;
import dev.backendrouter.api.Problem;
import dev.backendrouter.api.RoutingKey;
import dev.backendrouter.api.ShardRange;
import dev.backendrouter.api.ShardRange.KeyRange;
import dev.backendrouter.api.ShardRange.SlotRange;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The routing-key rules of one group: forms, keyspaces, overlaps, gaps, and keyed non-shards. */
final class ShardChecks {
    private final String groupPath;
    private final BackendGroup group;
    private final List<Problem> problems;

    ShardChecks(String groupPath, BackendGroup group, List<Problem> problems) {
        this.groupPath = groupPath;
        this.group = group;
        this.problems = problems;
    }

    private record Shard(int index, ShardRange range) {
    }

    void run() {
        Map<String, Shard> shards = new LinkedHashMap<>();
        Map<Integer, ShardRange> keyedOthers = new LinkedHashMap<>();
        List<BackendMember> members = group.members();
        boolean sharded = group.isSharded();
        boolean unreadable = false;   // a shard's range could not be read: its gaps would only echo that
        for (int i = 0; i < members.size(); i++) {
            BackendMember member = members.get(i);
            String path = keyPath(i);
            if (member.role() == BackendRole.PRIMARY && sharded) {
                problems.add(new Problem(memberPath(i) + ".role", "a sharded group cannot have PRIMARY backends: "
                        + "make it a SHARD with a routing key, or a BACKUP without one to serve every shard"));
            }
            if (member.routingKey() == null) {
                if (member.role() == BackendRole.SHARD) {
                    problems.add(new Problem(path, "required for a SHARD: the keys it owns, "
                            + "e.g. users-a-m (key range) or users#0-8191 (hash slots)"));
                } else if (member.role() == BackendRole.READ_REPLICA && sharded) {
                    problems.add(new Problem(path, "required for a READ_REPLICA in a sharded group: the routing key "
                            + "of the shard it copies (a replica without one would answer for every shard)"));
                } else if (member.role() == BackendRole.CACHE && sharded) {
                    problems.add(new Problem(path, "required for a CACHE in a sharded group: the routing key of the "
                            + "shard it caches (its keys are paths, so one cache for every shard would mix their answers)"));
                }
                continue;
            }
            ShardRange range;
            try {
                range = ShardRange.parse(member.routingKey());
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(path, e.getMessage()));   // ShardRange made the key text printable
                unreadable |= member.role() == BackendRole.SHARD;
                continue;
            }
            if (member.role() == BackendRole.SHARD) {
                shards.putIfAbsent(range.text(), new Shard(i, range));
            } else if (member.role() == BackendRole.PRIMARY) {
                problems.add(new Problem(path, "a PRIMARY cannot have a routing key: a shard's main backend "
                        + "has role SHARD"));
            } else if (member.role() != null) {
                keyedOthers.put(i, range);
            }
        }
        List<Shard> distinct = List.copyOf(shards.values());
        if (!distinct.isEmpty() && !unreadable && sameKeyspaceAndForm(distinct)) {
            if (distinct.get(0).range() instanceof KeyRange) {
                checkKeyRanges(distinct);
            } else {
                checkSlotRanges(distinct);
            }
        }
        keyedOthers.forEach((index, range) -> {
            if (!shards.containsKey(range.text())) {
                String known = shards.isEmpty() ? "the group has no SHARD backends"
                        : "its shards are " + String.join(", ", shards.keySet());
                problems.add(new Problem(keyPath(index), "routing key " + range.text()
                        + " matches no SHARD of group " + Texts.printable(group.name()) + " (" + known + ")"));
            }
        });
    }

    private boolean sameKeyspaceAndForm(List<Shard> shards) {
        Shard first = shards.get(0);
        boolean same = true;
        for (Shard shard : shards.subList(1, shards.size())) {
            if (shard.range().getClass() != first.range().getClass()) {
                problems.add(new Problem(keyPath(shard.index()), "mixes a " + form(shard.range()) + " with the "
                        + form(first.range()) + " " + first.range().text() + " (backends[" + first.index()
                        + "]); a group uses one form"));
                same = false;
            } else if (!shard.range().keyspace().equals(first.range().keyspace())) {
                problems.add(new Problem(keyPath(shard.index()), "keyspace '" + shard.range().keyspace()
                        + "' differs from '" + first.range().keyspace() + "' of backends[" + first.index()
                        + "]; one group shards one keyspace, so put it in its own group"));
                same = false;
            }
        }
        return same;
    }

    private static String form(ShardRange range) {
        return range instanceof KeyRange ? "key range" : "slot range";
    }

    private void checkKeyRanges(List<Shard> shards) {
        List<Shard> sorted = new ArrayList<>(shards);
        sorted.sort(Comparator.comparing((Shard s) -> ((KeyRange) s.range()).from())
                .thenComparing(s -> upperExclusive(((KeyRange) s.range()).to())));
        Shard reach = sorted.get(0);
        String first = ((KeyRange) reach.range()).from();
        if (!group.allowShardGaps() && !first.equals("a") && !first.equals("0")) {
            problems.add(new Problem(keyPath(reach.index()), "gap before range " + first + "-"
                    + ((KeyRange) reach.range()).to() + ": keys before '" + first + "' have no shard; start the first "
                    + "range at a (or 0 to cover digits too), or set allowShardGaps: true on the group"));
        }
        for (Shard shard : sorted.subList(1, sorted.size())) {
            KeyRange range = (KeyRange) shard.range();
            KeyRange reached = (KeyRange) reach.range();
            if (reached.endCovers(range.from())) {
                problems.add(new Problem(keyPath(shard.index()), "range " + range.from() + "-" + range.to()
                        + " overlaps " + reached.text() + " (backends[" + reach.index() + "])"));
            } else {
                String next = successor(reached.to());
                if (!group.allowShardGaps() && !range.from().equals(next)) {
                    problems.add(new Problem(keyPath(shard.index()), "gap before range " + range.from() + "-"
                            + range.to() + ": keys from '" + next + "' up to '" + range.from()
                            + "' have no shard after " + reached.text() + " (backends[" + reach.index()
                            + "]); close it, or set allowShardGaps: true on the group"));
                }
            }
            if (upperExclusive(range.to()).compareTo(upperExclusive(reached.to())) > 0) {
                reach = shard;
            }
        }
        KeyRange last = (KeyRange) reach.range();
        if (!group.allowShardGaps() && !successor(last.to()).isEmpty()) {
            problems.add(new Problem(keyPath(reach.index()), "gap after range " + last.from() + "-" + last.to()
                    + ": keys from '" + successor(last.to()) + "' on have no shard; end the last range at z, "
                    + "or set allowShardGaps: true on the group"));
        }
    }

    private void checkSlotRanges(List<Shard> shards) {
        List<Shard> sorted = new ArrayList<>(shards);
        sorted.sort(Comparator.comparingInt((Shard s) -> ((SlotRange) s.range()).from())
                .thenComparingInt(s -> ((SlotRange) s.range()).to()));
        SlotRange first = (SlotRange) sorted.get(0).range();
        if (first.from() > 0) {
            gap(sorted.get(0), 0, first.from() - 1);
        }
        Shard reach = sorted.get(0);
        for (Shard shard : sorted.subList(1, sorted.size())) {
            SlotRange range = (SlotRange) shard.range();
            SlotRange reached = (SlotRange) reach.range();
            if (range.from() <= reached.to()) {
                problems.add(new Problem(keyPath(shard.index()), "slots " + range.from() + "-" + range.to()
                        + " overlap " + reached.text() + " (backends[" + reach.index() + "])"));
            } else if (range.from() > reached.to() + 1) {
                gap(shard, reached.to() + 1, range.from() - 1);
            }
            if (range.to() > reached.to()) {
                reach = shard;
            }
        }
        SlotRange last = (SlotRange) reach.range();
        if (last.to() < RoutingKey.SLOT_COUNT - 1) {
            gap(reach, last.to() + 1, RoutingKey.SLOT_COUNT - 1);
        }
    }

    private void gap(Shard near, int from, int to) {
        if (!group.allowShardGaps()) {
            problems.add(new Problem(keyPath(near.index()), "slots " + from + "-" + to + " have no shard (slots run 0-"
                    + (RoutingKey.SLOT_COUNT - 1) + "); close the gap, or set allowShardGaps: true on the group"));
        }
    }

    /** The smallest bound of letters and digits after every key that starts with {@code to}, or "" at the end. */
    static String successor(String to) {
        String trimmed = to.replaceAll("z+$", "");
        if (trimmed.isEmpty()) {
            return "";
        }
        char last = trimmed.charAt(trimmed.length() - 1);
        char next = last == '9' ? 'a' : (char) (last + 1);
        return trimmed.substring(0, trimmed.length() - 1) + next;
    }

    private static String upperExclusive(String to) {
        return to.substring(0, to.length() - 1) + (char) (to.charAt(to.length() - 1) + 1);
    }

    private String memberPath(int index) {
        return groupPath + ".backends[" + index + "]";
    }

    private String keyPath(int index) {
        return memberPath(index) + ".routingKey";
    }
}

package dev.backendrouter.router.internal.routing;

import dev.backendrouter.api.BackendRole;
import dev.backendrouter.router.ReadPreference;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The precomputed plans of one shard (or of an unsharded group): for writes and for each read
 * preference, the tiers in the order a call walks them. Planning a call is an array lookup.
 */
public final class ShardRoute {
    private final String label;
    private final Tier[] writePlan;
    private final Tier[][] readPlans;
    private final Tier[] cacheTiers;
    private final boolean hasReplicas;

    ShardRoute(String label, List<MemberRef> all, Balancer balancer) {
        this.label = label;
        // discovered endpoints that only still serve (terminating pods) are tried after every other member of a plan
        List<MemberRef> members = all.stream().filter(m -> !m.lastResort()).toList();
        List<MemberRef> last = all.stream().filter(MemberRef::lastResort).toList();
        List<Tier> primaries = tiers(members, balancer, BackendRole.PRIMARY, BackendRole.SHARD);
        List<Tier> backups = tiers(members, balancer, BackendRole.BACKUP);
        List<Tier> replicas = tiers(members, balancer, BackendRole.READ_REPLICA);
        List<Tier> archives = tiers(members, balancer, BackendRole.ARCHIVE);
        List<Tier> lastPrimaries = tiers(last, balancer, BackendRole.PRIMARY, BackendRole.SHARD);
        List<Tier> lastBackups = tiers(last, balancer, BackendRole.BACKUP);
        List<Tier> lastReplicas = tiers(last, balancer, BackendRole.READ_REPLICA);
        List<Tier> lastArchives = tiers(last, balancer, BackendRole.ARCHIVE);
        this.cacheTiers = concat(tiers(members, balancer, BackendRole.CACHE), tiers(last, balancer, BackendRole.CACHE));
        this.hasReplicas = !replicas.isEmpty() || !lastReplicas.isEmpty();
        this.writePlan = concat(primaries, backups, lastPrimaries, lastBackups);
        this.readPlans = new Tier[ReadPreference.values().length][];
        readPlans[ReadPreference.PRIMARY.ordinal()] = concat(primaries, backups, lastPrimaries, lastBackups, archives, lastArchives);
        readPlans[ReadPreference.PRIMARY_PREFERRED.ordinal()] = concat(primaries, backups, replicas, lastPrimaries, lastBackups,
                lastReplicas, archives, lastArchives);
        readPlans[ReadPreference.REPLICA.ordinal()] = concat(replicas, lastReplicas, archives, lastArchives);
        readPlans[ReadPreference.REPLICA_PREFERRED.ordinal()] = concat(replicas, primaries, backups, lastReplicas, lastPrimaries,
                lastBackups, archives, lastArchives);
        List<Tier> nearest = hot(members);
        List<Tier> lastNearest = hot(last);
        readPlans[ReadPreference.NEAREST.ordinal()] = concat(nearest, lastNearest, archives, lastArchives);
    }

    /** The members that answer reads themselves (neither caches nor archives), as one tier picked by latency. */
    private static List<Tier> hot(List<MemberRef> members) {
        List<MemberRef> hot = new ArrayList<>();
        for (MemberRef member : members) {
            BackendRole role = member.member().role();
            if (role != BackendRole.CACHE && role != BackendRole.ARCHIVE) {
                hot.add(member);
            }
        }
        return hot.isEmpty() ? List.of() : List.of(new Tier(BackendRole.PRIMARY, 0, hot, new Nearest()));
    }

    /** The members of the given roles, one tier per priority, lowest priority first. */
    private static List<Tier> tiers(List<MemberRef> members, Balancer balancer, BackendRole... roles) {
        Map<Integer, List<MemberRef>> byPriority = new TreeMap<>();
        for (MemberRef member : members) {
            for (BackendRole role : roles) {
                if (member.member().role() == role) {
                    byPriority.computeIfAbsent(member.member().priority(), p -> new ArrayList<>()).add(member);
                }
            }
        }
        List<Tier> tiers = new ArrayList<>();
        byPriority.forEach((priority, tierMembers) -> {
            tierMembers.sort(Comparator.comparing(MemberRef::name));
            tiers.add(new Tier(tierMembers.get(0).member().role(), priority, tierMembers, balancer));
        });
        return tiers;
    }

    @SafeVarargs
    private static Tier[] concat(List<Tier>... parts) {
        List<Tier> all = new ArrayList<>();
        for (List<Tier> part : parts) {
            all.addAll(part);
        }
        return all.toArray(Tier[]::new);
    }

    /** {@code shard users-a-m} or {@code group storage}, for messages. */
    public String label() {
        return label;
    }

    /** The shard's range ({@code users-a-m}), or {@code null} for an unsharded group. */
    public String shard() {
        return label.startsWith("shard ") ? label.substring(6) : null;
    }

    public boolean hasReplicas() {
        return hasReplicas;
    }

    public Tier[] writePlan() {
        return writePlan;
    }

    public Tier[] readPlan(ReadPreference preference) {
        return readPlans[preference.ordinal()];
    }

    /** The CACHE tiers, asked before the read plan by the caching layer. */
    public Tier[] cacheTiers() {
        return cacheTiers;
    }
}

package dev.backendrouter.router;

import dev.backendrouter.api.BackendAuth;
import dev.backendrouter.api.BackendGroup;
import dev.backendrouter.api.BackendMember;
import dev.backendrouter.api.Topology;
import dev.backendrouter.router.internal.cache.Caches;
import dev.backendrouter.router.internal.routing.GroupRoute;
import dev.backendrouter.router.internal.routing.MemberRef;
import dev.backendrouter.router.internal.routing.MemberState;
import dev.backendrouter.router.internal.routing.RoutingTable;
import java.util.ArrayList;
import java.util.List;

/** Builds {@link RouterSnapshot}s from a routing table. */
final class Snapshots {
    private Snapshots() {
    }

    static RouterSnapshot of(RoutingTable table, Caches caches) {
        Topology topology = table.topology();
        List<RouterSnapshot.GroupSnapshot> groups = new ArrayList<>();
        for (BackendGroup group : topology.groups()) {
            GroupRoute route = table.group(group.name());
            List<RouterSnapshot.MemberSnapshot> members = new ArrayList<>();
            for (MemberRef ref : route.members()) {
                members.add(member(ref.member(), ref.state()));
            }
            long[] counts = caches.stats(group.name()).values();
            RouterSnapshot.CacheSnapshot cache = new RouterSnapshot.CacheSnapshot(caches.near(group.name()) != null,
                    counts[0], counts[1], counts[2], counts[3], counts[4], counts[5], counts[6], counts[7], counts[8], counts[9], counts[10]);
            groups.add(new RouterSnapshot.GroupSnapshot(group.name(), route.isSharded(), members, cache));
        }
        return new RouterSnapshot(topology.service(), topology.stage(), topology.version(), groups);
    }

    private static RouterSnapshot.MemberSnapshot member(BackendMember member, MemberState state) {
        state.noticeBreakerState();
        return new RouterSnapshot.MemberSnapshot(member.name(), member.url().toString(), member.role(),
                member.priority(), member.weight(), member.routingKey(), member.labels(), masked(member.auth()),
                state.health(), state.breaker().getState().name(), state.inFlight(), state.latencyNanos() / 1_000_000.0,
                state.attempts(), state.failures(), state.lastError());
    }

    /** The header a credential travels in, never the credential. */
    static String masked(BackendAuth auth) {
        if (auth instanceof BackendAuth.Bearer) {
            return "Authorization: Bearer ****";
        }
        if (auth instanceof BackendAuth.Password password) {
            return password.username() == null ? "password ****" : "username " + password.username() + ", password ****";
        }
        return auth.headerName() == null ? "none" : auth.headerName() + ": ****";
    }
}

package dev.backendrouter.router.internal.routing;

import dev.backendrouter.api.BackendGroup;
import dev.backendrouter.api.BackendMember;
import dev.backendrouter.api.MemberTls;
import dev.backendrouter.api.Problem;
import dev.backendrouter.api.Topology;
import dev.backendrouter.api.TopologyException;
import dev.backendrouter.router.LoadBalancing;
import dev.backendrouter.router.MemberHealth;
import dev.backendrouter.router.internal.tls.TlsMaterial;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import okhttp3.HttpUrl;

/**
 * An immutable routing view of one topology, built once and swapped whole. Members share their
 * live state with every member of the same URL, in this table and in the ones before it. Building
 * reads the members' TLS files: a file that cannot be used refuses the topology.
 */
public final class RoutingTable {
    private final Topology topology;
    private final Map<String, GroupRoute> groups;
    private final Map<TlsKey, TlsMaterial> tlsMaterials;
    private final Set<String> discoveredUrls;

    private RoutingTable(Topology topology, Map<String, GroupRoute> groups, Map<TlsKey, TlsMaterial> tlsMaterials,
            Set<String> discoveredUrls) {
        this.topology = topology;
        this.groups = groups;
        this.tlsMaterials = tlsMaterials;
        this.discoveredUrls = discoveredUrls;
    }

    public static RoutingTable build(Topology topology, MemberStates states, LoadBalancing loadBalancing,
            CacheConnections connections) {
        return build(topology, states, loadBalancing, connections, null, "of " + topology.service());
    }

    /**
     * The table of a topology that replaces {@code previous}: members whose TLS settings and files
     * did not change keep their TLS material, and so their pooled connections.
     *
     * @param source what the topology came from, for the exception's message
     */
    public static RoutingTable build(Topology topology, MemberStates states, LoadBalancing loadBalancing,
            CacheConnections connections, RoutingTable previous, String source) {
        return build(topology, states, loadBalancing, connections, null, previous, source);
    }

    /**
     * The table with each discovered entry ({@code kubernetes://}) standing for the members of its
     * endpoints now: none when it has none, so that its tier is empty and calls go on to the next.
     */
    public static RoutingTable build(Topology topology, MemberStates states, LoadBalancing loadBalancing,
            CacheConnections connections, Discoveries discoveries, RoutingTable previous, String source) {
        Balancer balancer = Balancer.of(loadBalancing);
        Map<String, GroupRoute> groups = new HashMap<>();
        List<Problem> problems = new ArrayList<>();
        // one backend, one breaker: explicit settings of every member with a URL count, whichever comes first
        Map<String, dev.backendrouter.api.BreakerSettings> breakerSettings = new HashMap<>();
        Map<String, java.time.Duration> attemptTimeouts = new HashMap<>();
        for (BackendGroup group : topology.groups()) {
            for (BackendMember member : group.members()) {
                breakerSettings.merge(stateKey(member), member.circuitBreaker(), (held, more) -> more.overriddenBy(held));
                if (member.timeouts().attempt() != null) {
                    attemptTimeouts.putIfAbsent(stateKey(member), member.timeouts().attempt());
                }
            }
        }
        Map<TlsKey, TlsMaterial> tls = new HashMap<>();
        Set<String> discovered = new java.util.HashSet<>();
        for (BackendGroup group : topology.groups()) {
            List<MemberRef> members = new ArrayList<>();
            for (int i = 0; i < group.members().size(); i++) {
                BackendMember entry = group.members().get(i);
                String path = topology.memberPath(group, i);
                List<BackendMember> stands = List.of(entry);
                if (Discoveries.isDiscovered(entry)) {
                    discovered.add(entry.url().toString());
                    stands = discoveries == null ? Discoveries.missing(entry, path, problems) : discoveries.members(entry, path, problems);
                    if (stands == null) {
                        continue;
                    }
                }
                String settings = stateKey(entry);       // a discovered entry's settings hold for each of its endpoints
                for (BackendMember member : stands) {
                    boolean viaConnector = BackendMember.isCacheScheme(member.url());
                    HttpUrl base = null;
                    if (!viaConnector) {
                        try {
                            base = HttpUrl.get(member.url().toString());
                        } catch (IllegalArgumentException e) {
                            // java.net.URI accepted it, OkHttp does not (an unusual host, say)
                            problems.add(new Problem(path + ".url", "OkHttp cannot use this URL: " + e.getMessage()));
                            continue;
                        }
                    }
                    String host = base != null ? base.host() : String.valueOf(member.url().getHost());
                    TlsMaterial material = null;
                    if (!member.tls().isDefault()) {
                        TlsKey key = new TlsKey(member.tls(), host);
                        material = tls.get(key);
                        if (material == null && !tls.containsKey(key)) {
                            material = TlsMaterial.load(member.tls(), host, path + ".tls", problems,
                                    previous == null ? null : previous.tlsMaterials.get(key));
                            tls.put(key, material);
                        }
                        if (material == null) {
                            continue;       // refused: no live state for a member that will not serve
                        }
                    }
                    dev.backendrouter.router.spi.CacheConnection cache = null;
                    if (viaConnector) {
                        cache = connections.connection(member, material, path, problems);
                        if (cache == null) {
                            continue;
                        }
                    }
                    // a discovered member's state is its pod's: a new pod on a recycled IP starts afresh
                    String url = member == entry ? stateKey(member) : stateKey(member) + " " + member.name();
                    boolean lastResort = member != entry && "false".equals(member.labels().get(Discoveries.READY_LABEL));
                    members.add(new MemberRef(member, states.forUrl(url, member.name(),
                            topology.circuitBreakerDefaults().overriddenBy(breakerSettings.get(settings)), attemptTimeouts.get(settings)),
                            base, material, cache, lastResort));
                }
            }
            groups.put(group.name(), new GroupRoute(group, members, balancer));
        }
        if (!problems.isEmpty()) {
            throw new TopologyException(source, problems);
        }
        return new RoutingTable(topology, Map.copyOf(groups), Map.copyOf(tls), Set.copyOf(discovered));
    }

    /** Members with the same settings and host share their TLS material, and so their pooled connections. */
    private record TlsKey(MemberTls tls, String host) {
    }

    /** Members of one URL share one state; a trailing slash does not make another backend. */
    static String stateKey(BackendMember member) {
        String url = member.url().toString();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    public Topology topology() {
        return topology;
    }

    /** The URLs of the discovered entries this table was built with. */
    public Set<String> discoveredUrls() {
        return discoveredUrls;
    }

    /** The TLS files of this table's members that changed on disk since it was built (rotated certificates). */
    public List<String> changedTlsFiles() {
        List<String> changed = new ArrayList<>();
        for (TlsMaterial material : tlsMaterials.values()) {
            String file = material == null ? null : material.changedFile();
            if (file != null && !changed.contains(file)) {
                changed.add(file);
            }
        }
        return changed;
    }

    /** Every member of every group. */
    public List<MemberRef> members() {
        List<MemberRef> all = new ArrayList<>();
        for (BackendGroup group : topology.groups()) {
            all.addAll(groups.get(group.name()).members());
        }
        return all;
    }

    /** The first HTTP member whose base URL has {@code url}'s scheme, host and port, or {@code null}. */
    public MemberRef memberAt(okhttp3.HttpUrl url) {
        for (MemberRef member : members()) {
            okhttp3.HttpUrl base = member.httpBase();
            if (base != null && base.scheme().equals(url.scheme()) && base.host().equals(url.host()) && base.port() == url.port()) {
                return member;
            }
        }
        return null;
    }

    /**
     * Whether every group can take writes from a backend that passes its health checks: for
     * each shard, a member of the write plan that is HEALTHY or DEGRADED.
     */
    public boolean writableByHealthyMembers() {
        for (GroupRoute group : groups.values()) {
            for (ShardRoute route : group.routes()) {
                boolean writable = false;
                for (Tier tier : route.writePlan()) {
                    for (MemberRef member : tier.members()) {
                        MemberHealth health = member.state().health();
                        writable |= health == MemberHealth.HEALTHY || health == MemberHealth.DEGRADED;
                    }
                }
                if (!writable) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Every group. */
    public java.util.Collection<GroupRoute> groups() {
        return groups.values();
    }

    /** The group, or {@code null} when the topology has none by that name. */
    public GroupRoute group(String name) {
        return groups.get(name);
    }
}

package dev.backendrouter.cli;

import dev.backendrouter.api.BackendGroup;
import dev.backendrouter.api.BackendMember;
import dev.backendrouter.api.KubernetesService;
import dev.backendrouter.api.Topology;
import dev.backendrouter.router.spi.DiscoveredEndpoint;
import dev.backendrouter.router.spi.DiscoveryException;
import dev.backendrouter.router.spi.DiscoveryTarget;
import dev.backendrouter.router.spi.EndpointWatch;
import dev.backendrouter.router.spi.MemberDiscovery;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * For {@code probe}: the members a {@code kubernetes} backend stands for now, listed once through
 * the discovery on the class path (the kubeconfig's cluster, or the pod's), or why they cannot be.
 */
final class Discovered {
    /** The members of one discovered backend, or the problem that kept them from being listed. */
    record Members(List<BackendMember> members, String problem) {
    }

    private Discovered() {
    }

    static Map<BackendMember, Members> of(Topology topology) {
        Map<BackendMember, Members> found = new LinkedHashMap<>();
        List<EndpointWatch> watches = new ArrayList<>();      // closed once all are listed: none is set up while one closes
        MemberDiscovery discovery = null;
        for (MemberDiscovery candidate : ServiceLoader.load(MemberDiscovery.class, Discovered.class.getClassLoader())) {
            if (candidate.schemes().contains(KubernetesService.URL_SCHEME)) {
                discovery = candidate;
            }
        }
        try {
            for (BackendGroup group : topology.groups()) {
                for (int i = 0; i < group.members().size(); i++) {
                    BackendMember entry = group.members().get(i);
                    if (!KubernetesService.isServiceUrl(entry.url()) || found.containsKey(entry)) {
                        continue;
                    }
                    found.put(entry, list(discovery, entry, topology.memberPath(group, i), watches));
                }
            }
        } finally {
            watches.forEach(EndpointWatch::close);
            if (discovery != null) {
                discovery.close();
            }
        }
        return found;
    }

    private static Members list(MemberDiscovery discovery, BackendMember entry, String path, List<EndpointWatch> watches) {
        if (discovery == null) {
            return new Members(List.of(), "needs the module dev.backendrouter:backend-router-kubernetes on the class path");
        }
        try {
            EndpointWatch watch = discovery.watch(new DiscoveryTarget(entry.name(), entry.url(), path), () -> { });
            watches.add(watch);
            List<BackendMember> members = new ArrayList<>();
            for (DiscoveredEndpoint endpoint : watch.endpoints()) {
                members.add(dev.backendrouter.router.internal.routing.Discoveries.memberOf(entry, endpoint));   // as the router makes it
            }
            return new Members(members, members.isEmpty() ? "the Service has no ready or serving endpoint" : null);
        } catch (DiscoveryException e) {
            return new Members(List.of(), (e.field() == null ? "" : "kubernetes." + e.field() + ": ") + e.getMessage());
        } catch (RuntimeException e) {
            return new Members(List.of(), String.valueOf(e.getMessage()));
        }
    }
}

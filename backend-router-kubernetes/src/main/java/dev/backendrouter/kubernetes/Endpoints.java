package dev.backendrouter.kubernetes;

import dev.backendrouter.api.KubernetesService;
import dev.backendrouter.router.spi.DiscoveredEndpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A Service's endpoints from all its EndpointSlices: {@code ready} ones (and not terminating) take
 * calls; those that only still serve (terminating, {@code serving}) are kept as not ready, to be
 * called last; the rest are left out. A pod in two slices (mid-update, or IPv4 and IPv6) counts once,
 * ready first, IPv4 first.
 */
final class Endpoints {
    private Endpoints() {
    }

    static List<DiscoveredEndpoint> of(Collection<EndpointSlice> slices, KubernetesService service) {
        Map<String, DiscoveredEndpoint> byUrl = new LinkedHashMap<>();
        for (EndpointSlice slice : slices) {
            Integer port = portOf(slice, service.port());
            if (port == null || slice.getEndpoints() == null || "FQDN".equals(slice.getAddressType())) {
                continue;
            }
            boolean ipv6 = "IPv6".equals(slice.getAddressType());
            for (Endpoint endpoint : slice.getEndpoints()) {
                if (endpoint.getAddresses() == null || endpoint.getAddresses().isEmpty()) {
                    continue;
                }
                EndpointConditions conditions = endpoint.getConditions();
                boolean ready = conditions == null || conditions.getReady() == null || conditions.getReady();
                boolean serving = conditions == null || conditions.getServing() == null ? ready : conditions.getServing();
                boolean terminating = conditions != null && Boolean.TRUE.equals(conditions.getTerminating());
                boolean calls = ready && !terminating;
                if (!calls && !serving) {
                    continue;       // neither ready nor serving: no new calls; calls under way finish on their own
                }
                String address = endpoint.getAddresses().get(0);     // the API: consumers use the first
                URI url = URI.create(service.scheme() + "://" + (ipv6 ? "[" + address + "]" : address) + ":" + port);
                String pod = endpoint.getTargetRef() != null && "Pod".equals(endpoint.getTargetRef().getKind())
                        ? endpoint.getTargetRef().getName() : null;
                Map<String, String> labels = new LinkedHashMap<>();
                if (endpoint.getZone() != null) {
                    labels.put("zone", endpoint.getZone());
                }
                if (endpoint.getNodeName() != null) {
                    labels.put("node", endpoint.getNodeName());
                }
                if (pod != null) {
                    labels.put("pod", pod);
                }
                DiscoveredEndpoint found = new DiscoveredEndpoint(pod != null ? pod : address.replace(':', '-').replace('.', '-'),
                        url, calls, labels);
                // one member per pod: mid-update a pod is in two slices, and a dual-stack Service lists it in an IPv4 and an IPv6 one
                byUrl.merge(found.name(), found, (one, other) -> one.ready() != other.ready() ? (one.ready() ? one : other)
                        : one.url().getHost().contains(":") ? other : one);
            }
        }
        List<DiscoveredEndpoint> endpoints = new ArrayList<>(byUrl.values());
        endpoints.sort(Comparator.comparing(DiscoveredEndpoint::name));
        return List.copyOf(endpoints);
    }

    /** The slice's port for the entry's port: by name, by number, or the only one when the entry names none. */
    static Integer portOf(EndpointSlice slice, String wanted) {
        List<EndpointPort> ports = slice.getPorts() == null ? List.of() : slice.getPorts();
        if (wanted == null) {
            return ports.size() == 1 ? ports.get(0).getPort() : null;
        }
        for (EndpointPort port : ports) {
            if (wanted.equals(port.getName()) || wanted.equals(String.valueOf(port.getPort()))) {
                return port.getPort();
            }
        }
        return null;
    }

    /** The ports the slices offer, for a message: {@code [http (8080), metrics (9090)]}. */
    static String portsOf(Collection<EndpointSlice> slices) {
        TreeSet<String> ports = new TreeSet<>();
        for (EndpointSlice slice : slices) {
            if (slice.getPorts() != null) {
                slice.getPorts().forEach(p -> ports.add((p.getName() == null || p.getName().isEmpty() ? "unnamed" : p.getName())
                        + " (" + p.getPort() + ")"));
            }
        }
        return ports.toString();
    }
}

package dev.backendrouter.registry;

import dev.backendrouter.api.Problem;
import dev.backendrouter.api.TopologyException;
import dev.backendrouter.api.registry.Deployment;
import dev.backendrouter.api.registry.DeploymentWithBackends;
import dev.backendrouter.api.registry.ServiceBackend;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The registry's rules over the store. A change to a connection is checked on the whole topology
 * of the deployment that calls it, with the library's own validator, inside the transaction that
 * writes it: the registry never keeps a topology the router would refuse.
 */
@Service
class Registry {
    private final Store store;
    private final Audit audit;
    private final Changes changes;

    Registry(Store store, Audit audit, Changes changes) {
        this.store = store;
        this.audit = audit;
        this.changes = changes;
    }

    @Transactional(readOnly = true)
    public DeploymentWithBackends details(long id) {
        return details(deployment(id, null), store.connectionsOf(id));
    }

    @Transactional(readOnly = true)
    public List<ServiceBackend> backendsOf(long id) {
        deployment(id, null);
        return store.connectionsOf(id);
    }

    @Transactional(readOnly = true)
    public List<Deployment> consumersOf(long id) {
        deployment(id, null);
        return store.consumersOf(id);
    }

    @Transactional(readOnly = true)
    public Store.Versioned<ServiceBackend> connection(long id) {
        return store.connection(id).orElseThrow(() -> ApiException.notFound(null, "no backend connection " + id));
    }

    @Transactional
    public Store.Versioned<ServiceBackend> add(ServiceBackend connection) {
        checked(connection, null);
        long id = store.insert(connection);
        Store.Versioned<ServiceBackend> added = store.connection(id).orElseThrow();
        recorded("connection.added", null, added.value());
        return added;
    }

    /** Several connections of one deployment at once, all or none: how a sharded group is set up (one shard alone has a gap). */
    @Transactional
    public List<Store.Versioned<ServiceBackend>> addAll(List<ServiceBackend> connections) {
        if (connections.isEmpty()) {
            throw ApiException.invalid("body", "an empty list adds nothing");
        }
        checked(connections, null, true);
        List<Store.Versioned<ServiceBackend>> added = new ArrayList<>();
        for (ServiceBackend connection : connections) {
            Store.Versioned<ServiceBackend> one = store.connection(store.insert(connection)).orElseThrow();
            recorded("connection.added", null, one.value());
            added.add(one);
        }
        return added;
    }

    @Transactional
    public Store.Versioned<ServiceBackend> update(long id, ServiceBackend connection, String ifMatch) {
        Store.Versioned<ServiceBackend> current = lockedConnection(id);
        Etags.require(ifMatch, Etags.of("c", id, current.version()));
        if (current.value().serviceDeploymentId() != connection.serviceDeploymentId()) {
            store.lock(current.value().serviceDeploymentId());
            checkedWithout(current.value());
        }
        checked(connection, id);
        store.update(connection);
        Store.Versioned<ServiceBackend> updated = store.connection(id).orElseThrow();
        recorded("connection.updated", current.value(), updated.value());
        return updated;
    }

    @Transactional
    public void delete(long id, String ifMatch) {
        Store.Versioned<ServiceBackend> current = lockedConnection(id);
        Etags.require(ifMatch, Etags.of("c", id, current.version()));
        checkedWithout(current.value());
        store.deleteConnection(id);
        recorded("connection.removed", current.value(), null);
    }

    @Transactional(readOnly = true)
    public Store.Versioned<Deployment> deployment(long id) {
        return store.deployment(id).orElseThrow(() -> ApiException.notFound(null, "no deployment " + id));
    }

    @Transactional(readOnly = true)
    public List<Deployment> deployments(String name, String serviceName, String stage, int offset, int limit) {
        return store.deployments(name, serviceName, stage, offset, limit);
    }

    @Transactional
    public Store.Versioned<Deployment> create(Deployment deployment) {
        if (store.deployment(deployment.id()).isPresent()) {
            throw ApiException.conflict("deployment " + deployment.id() + " exists already", Map.of("field", "id"));
        }
        store.insert(deployment);
        Store.Versioned<Deployment> created = store.deployment(deployment.id()).orElseThrow();
        audit.record("deployment.created", deployment.id(), "deployment " + deployment.id(), null, created.value());
        changes.touched(List.of(deployment.id()));
        return created;
    }

    /** A changed deployment is checked in the topology of every deployment that calls it, and in its own. */
    @Transactional
    public Store.Versioned<Deployment> replace(Deployment deployment, String ifMatch) {
        store.lock(deployment.id());
        Store.Versioned<Deployment> current = deployment(deployment.id());     // read under the lock: If-Match sees the last write
        Etags.require(ifMatch, Etags.of("d", deployment.id(), current.version()));
        store.update(deployment);
        for (Deployment consumer : store.consumersOf(deployment.id())) {
            validate(details(consumer, store.connectionsOf(consumer.id())), -1, false);
        }
        validate(details(deployment, store.connectionsOf(deployment.id())), -1, false);
        Store.Versioned<Deployment> replaced = store.deployment(deployment.id()).orElseThrow();
        audit.record("deployment.replaced", deployment.id(), "deployment " + deployment.id(), current.value(), replaced.value());
        List<Long> touched = new ArrayList<>(List.of(deployment.id()));
        store.consumersOf(deployment.id()).forEach(consumer -> touched.add(consumer.id()));
        changes.touched(touched);
        return replaced;
    }

    @Transactional
    public void remove(long id, String ifMatch) {
        store.lock(id);
        Store.Versioned<Deployment> current = deployment(id);
        Etags.require(ifMatch, Etags.of("d", id, current.version()));
        List<Deployment> consumers = store.consumersOf(id);
        if (!consumers.isEmpty()) {
            throw ApiException.conflict("deployment " + id + " is a backend of " + consumers.size()
                    + " deployment(s): remove those connections first",
                    Map.of("consumers", consumers.stream().map(Deployment::id).toList()));
        }
        for (ServiceBackend connection : store.connectionsOf(id)) {
            store.deleteConnection(connection.id());
            recorded("connection.removed", connection, null);
        }
        store.deleteDeployment(id);
        audit.record("deployment.deleted", id, "deployment " + id, current.value(), null);
        changes.touched(List.of(id));
    }

    @Transactional(readOnly = true)
    public List<Map<String, Object>> history(long deploymentId, int limit) {
        return audit.of(deploymentId, limit);
    }

    /** A connection's change in the history of its caller (and its old caller when it moved), and for its waiters. */
    private void recorded(String action, ServiceBackend before, ServiceBackend after) {
        ServiceBackend any = after != null ? after : before;
        audit.record(action, any.serviceDeploymentId(), "connection " + any.id(), before, after);
        List<Long> touched = new ArrayList<>(List.of(any.serviceDeploymentId()));
        if (before != null && after != null && before.serviceDeploymentId() != after.serviceDeploymentId()) {
            audit.record(action, before.serviceDeploymentId(), "connection " + any.id(), before, after);
            touched.add(before.serviceDeploymentId());
        }
        changes.touched(touched);
    }

    /**
     * The connection read under its caller's row lock, so that If-Match is checked against the
     * last committed write and two writes with the same tag cannot both pass.
     */
    private Store.Versioned<ServiceBackend> lockedConnection(long id) {
        Store.Versioned<ServiceBackend> unlocked = connection(id);
        store.lock(unlocked.value().serviceDeploymentId());
        Store.Versioned<ServiceBackend> current = connection(id);
        if (current.value().serviceDeploymentId() != unlocked.value().serviceDeploymentId()) {
            store.lock(current.value().serviceDeploymentId());     // moved meanwhile: its caller now
        }
        return current;
    }

    private Deployment deployment(long id, String field) {
        return store.deployment(id).map(Store.Versioned::value)
                .orElseThrow(() -> ApiException.notFound(field, (field == null ? "" : field + ": ") + "no deployment " + id));
    }

    /** The connection as it would be stored: its deployments exist, it is no duplicate, and the caller's topology stays valid. */
    private void checked(ServiceBackend connection, Long id) {
        checked(List.of(connection), id, false);
    }

    /**
     * Connections as they would be stored, all by one caller: their deployments exist, none is a
     * duplicate, and the caller's topology with all of them is valid. A problem of one of them is
     * named by its field ({@code role}, or {@code [1].role} in a batch).
     */
    private void checked(List<ServiceBackend> added, Long replacedId, boolean batch) {
        long caller = added.get(0).serviceDeploymentId();
        for (int i = 0; i < added.size(); i++) {
            ServiceBackend connection = added.get(i);
            String prefix = batch ? "[" + i + "]." : "";
            if (connection.serviceDeploymentId() != caller) {
                throw ApiException.invalid(prefix + "serviceDeploymentId", "a batch adds connections of one deployment");
            }
            deployment(connection.serviceDeploymentId(), prefix + "serviceDeploymentId");
            deployment(connection.backendDeploymentId(), prefix + "backendDeploymentId");
            for (int j = 0; j < i; j++) {
                ServiceBackend other = added.get(j);
                if (other.backendDeploymentId() == connection.backendDeploymentId()
                        && java.util.Objects.equals(groupOf(other), groupOf(connection))) {
                    throw ApiException.conflict(prefix + "backendDeploymentId: the batch names deployment "
                            + connection.backendDeploymentId() + " twice in group " + groupOf(connection),
                            Map.of("field", prefix + "backendDeploymentId"));
                }
            }
        }
        Deployment service = deployment(caller, null);
        store.lock(caller);
        for (int i = 0; i < added.size(); i++) {
            ServiceBackend connection = added.get(i);
            if (store.duplicate(connection, replacedId)) {
                String field = (batch ? "[" + i + "]." : "") + "backendDeploymentId";
                throw ApiException.conflict("deployment " + caller + " already uses deployment " + connection.backendDeploymentId()
                        + " in group " + groupOf(connection), Map.of("field", field));
            }
        }
        List<ServiceBackend> connections = new ArrayList<>();
        for (ServiceBackend existing : store.connectionsOf(caller)) {
            if (replacedId == null || existing.id() != replacedId.longValue()) {
                connections.add(existing);
            }
        }
        int first = connections.size();
        connections.addAll(added);
        validate(details(service, connections), first, batch);
    }

    private static String groupOf(ServiceBackend connection) {
        return connection.group() == null ? "default" : connection.group();
    }

    /** The topology of the connection's caller stays valid without it. */
    private void checkedWithout(ServiceBackend removed) {
        Deployment service = deployment(removed.serviceDeploymentId(), null);
        List<ServiceBackend> rest = store.connectionsOf(service.id()).stream().filter(c -> !c.id().equals(removed.id())).toList();
        validate(details(service, rest), -1, false);
    }

    private DeploymentWithBackends details(Deployment deployment, List<ServiceBackend> connections) {
        List<DeploymentWithBackends.Connection> backends = new ArrayList<>();
        for (ServiceBackend connection : connections) {
            backends.add(new DeploymentWithBackends.Connection(connection, deployment(connection.backendDeploymentId(), null)));
        }
        return new DeploymentWithBackends(deployment, backends);
    }

    /**
     * The router's own check. A problem of a connection of the request ({@code backends[first + i].connection.role})
     * is named by its field there ({@code role}, {@code [i].role} in a batch); any other keeps its path in the topology.
     */
    private static void validate(DeploymentWithBackends details, int first, boolean batch) {
        if (details.backends().isEmpty()) {
            return;     // a deployment without connections, as every one starts: nothing for a router yet
        }
        try {
            details.toTopology();
        } catch (TopologyException e) {
            List<Map<String, String>> problems = new ArrayList<>();
            java.util.regex.Pattern own = java.util.regex.Pattern.compile("backends\\[(\\d+)]\\.(connection\\.)?(.*)");
            for (Problem problem : e.problems()) {
                String path = problem.path();
                java.util.regex.Matcher match = own.matcher(path);
                if (first >= 0 && match.matches() && Integer.parseInt(match.group(1)) >= first) {
                    String prefix = batch ? "[" + (Integer.parseInt(match.group(1)) - first) + "]." : "";
                    path = match.group(2) != null ? prefix + match.group(3) : prefix + "backendDeploymentId (" + path + ")";
                }
                Map<String, String> entry = new LinkedHashMap<>();
                entry.put("path", path);
                entry.put("message", problem.message());
                problems.add(entry);
            }
            throw ApiException.invalid(problems);
        }
    }
}

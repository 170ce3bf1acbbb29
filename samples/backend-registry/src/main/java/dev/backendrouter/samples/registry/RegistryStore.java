package dev.backendrouter.samples.registry;

import dev.backendrouter.api.registry.Deployment;
import dev.backendrouter.api.registry.DeploymentWithBackends;
import dev.backendrouter.api.registry.ServiceBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tools.jackson.databind.ObjectMapper;

/**
 * Deployments and backend connections, kept in memory and written whole to
 * {@code <directory>/registry.json} after every change (atomically), so a restart finds them.
 */
final class RegistryStore {
    /** What the file holds. */
    record Contents(Map<Long, Deployment> deployments, Map<Long, ServiceBackend> connections, long nextId) {
    }

    private final Path file;
    private final ObjectMapper json;
    private final Map<Long, Deployment> deployments = new TreeMap<>();
    private final Map<Long, ServiceBackend> connections = new TreeMap<>();
    private long nextId = 1;

    RegistryStore(Path directory, ObjectMapper json) {
        this.file = directory.resolve("registry.json");
        this.json = json;
        try {
            Files.createDirectories(directory);
            if (Files.isRegularFile(file)) {
                Contents contents = json.readValue(file.toFile(), Contents.class);
                deployments.putAll(contents.deployments());
                connections.putAll(contents.connections());
                nextId = contents.nextId();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the registry store " + file + ": " + e.getMessage(), e);
        }
    }

    synchronized Optional<Deployment> deployment(long id) {
        return Optional.ofNullable(deployments.get(id));
    }

    synchronized void putDeployment(Deployment deployment) {
        deployments.put(deployment.id(), deployment);
        save();
    }

    synchronized Optional<ServiceBackend> connection(long id) {
        return Optional.ofNullable(connections.get(id));
    }

    /** The connections of a deployment (it calls them). */
    synchronized List<ServiceBackend> connectionsOf(long deploymentId) {
        return connections.values().stream().filter(c -> c.serviceDeploymentId() == deploymentId).toList();
    }

    /** The deployments that use this one as a backend. */
    synchronized List<Deployment> consumersOf(long deploymentId) {
        return connections.values().stream().filter(c -> c.backendDeploymentId() == deploymentId)
                .map(c -> deployments.get(c.serviceDeploymentId())).distinct().toList();
    }

    synchronized DeploymentWithBackends details(Deployment deployment) {
        List<DeploymentWithBackends.Connection> backends = new ArrayList<>();
        for (ServiceBackend connection : connectionsOf(deployment.id())) {
            backends.add(new DeploymentWithBackends.Connection(connection, deployments.get(connection.backendDeploymentId())));
        }
        return new DeploymentWithBackends(deployment, backends);
    }

    /** Stores a new connection and gives it its id. */
    synchronized ServiceBackend add(ServiceBackend connection) {
        ServiceBackend stored = new ServiceBackend(nextId++, connection.serviceDeploymentId(), connection.backendDeploymentId(),
                connection.role(), connection.priority(), connection.routingKey(), connection.group());
        connections.put(stored.id(), stored);
        save();
        return stored;
    }

    synchronized ServiceBackend replace(long id, ServiceBackend connection) {
        ServiceBackend stored = new ServiceBackend(id, connection.serviceDeploymentId(), connection.backendDeploymentId(),
                connection.role(), connection.priority(), connection.routingKey(), connection.group());
        connections.put(id, stored);
        save();
        return stored;
    }

    synchronized boolean remove(long id) {
        boolean removed = connections.remove(id) != null;
        if (removed) {
            save();
        }
        return removed;
    }

    /** Whether another connection links the same two deployments. */
    synchronized boolean duplicates(ServiceBackend connection, Long exceptId) {
        return connections.values().stream().anyMatch(c -> !c.id().equals(exceptId)
                && c.serviceDeploymentId() == connection.serviceDeploymentId()
                && c.backendDeploymentId() == connection.backendDeploymentId());
    }

    private void save() {
        try {
            Path temporary = Files.createTempFile(file.getParent(), ".registry", ".tmp");
            json.writeValue(temporary.toFile(), new Contents(deployments, connections, nextId));
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the registry store " + file + ": " + e.getMessage(), e);
        }
    }
}

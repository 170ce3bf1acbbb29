package dev.backendrouter.samples.registry;

import dev.backendrouter.api.registry.Deployment;
import dev.backendrouter.api.registry.DeploymentWithBackends;
import dev.backendrouter.api.registry.ServiceBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
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
                nextId = Math.max(contents.nextId(), connections.keySet().stream().mapToLong(Long::longValue).max().orElse(0) + 1);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the registry store " + file + ": " + e.getMessage(), e);
        }
    }

    synchronized Optional<Deployment> deployment(long id) {
        return Optional.ofNullable(deployments.get(id));
    }

    synchronized void putDeployment(Deployment deployment) {
        Map<Long, Deployment> next = new TreeMap<>(deployments);
        next.put(deployment.id(), deployment);
        save(next, connections, nextId);
        deployments.put(deployment.id(), deployment);
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

    /** Stores a new connection and gives it its id; {@code null} when the two deployments are connected already. */
    synchronized ServiceBackend add(ServiceBackend connection) {
        if (duplicates(connection, null)) {
            return null;
        }
        ServiceBackend stored = new ServiceBackend(nextId, connection.serviceDeploymentId(), connection.backendDeploymentId(),
                connection.role(), connection.priority(), connection.routingKey(), connection.group());
        commit(stored.id(), stored, nextId + 1);
        return stored;
    }

    /** Replaces a connection; {@code null} when another connection already links the two deployments. */
    synchronized ServiceBackend replace(long id, ServiceBackend connection) {
        if (duplicates(connection, id)) {
            return null;
        }
        ServiceBackend stored = new ServiceBackend(id, connection.serviceDeploymentId(), connection.backendDeploymentId(),
                connection.role(), connection.priority(), connection.routingKey(), connection.group());
        commit(id, stored, nextId);
        return stored;
    }

    synchronized boolean remove(long id) {
        if (!connections.containsKey(id)) {
            return false;
        }
        commit(id, null, nextId);
        return true;
    }

    /** Writes the change to the file first; memory changes only when the file has it. */
    private void commit(long id, ServiceBackend connection, long newNextId) {
        Map<Long, ServiceBackend> next = new TreeMap<>(connections);
        if (connection == null) {
            next.remove(id);
        } else {
            next.put(id, connection);
        }
        save(deployments, next, newNextId);
        connections.clear();
        connections.putAll(next);
        nextId = newNextId;
    }

    /** Whether another connection links the same two deployments. */
    private boolean duplicates(ServiceBackend connection, Long exceptId) {
        return connections.values().stream().anyMatch(c -> !c.id().equals(exceptId)
                && c.serviceDeploymentId() == connection.serviceDeploymentId()
                && c.backendDeploymentId() == connection.backendDeploymentId());
    }

    private void save(Map<Long, Deployment> deployments, Map<Long, ServiceBackend> connections, long nextId) {
        Path temporary = null;
        try {
            temporary = Files.createTempFile(file.getParent(), ".registry", ".tmp");
            byte[] bytes = json.writeValueAsBytes(new Contents(deployments, connections, nextId));
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(bytes));
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            temporary = null;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the registry store " + file + ": " + e.getMessage(), e);
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException e) {
                    // a leftover temporary file is harmless
                }
            }
        }
    }
}

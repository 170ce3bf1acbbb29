package dev.backendrouter.api.registry;

import dev.backendrouter.api.BackendRole;

/**
 * A backend connection of the Backend Connections registry: deployment
 * {@code serviceDeploymentId} uses deployment {@code backendDeploymentId} in a role.
 *
 * <pre>{@code
 * // POST /api/backends
 * new ServiceBackend(null, 123, 456, BackendRole.PRIMARY, 1, null, null);
 * }</pre>
 *
 * @param id the connection's id; {@code null} before the registry assigned one
 * @param serviceDeploymentId the deployment that calls
 * @param backendDeploymentId the deployment that is called
 * @param role the role; {@code null} means {@link BackendRole#PRIMARY}, the registry's default
 * @param priority lower is preferred; {@code null} means 1
 * @param routingKey the shard range for SHARD connections (and their backups and replicas)
 * @param group the logical group the connection serves; {@code null} means {@code default}
 */
public record ServiceBackend(
        Long id,
        long serviceDeploymentId,
        long backendDeploymentId,
        BackendRole role,
        Integer priority,
        String routingKey,
        String group) {
}

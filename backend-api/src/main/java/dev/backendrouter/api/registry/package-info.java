/**
 * The shapes of the Backend Connections registry API ({@code ServiceBackend}, {@code Deployment},
 * {@code DeploymentWithBackends}) and their mapping onto a {@link dev.backendrouter.api.Topology}.
 */
package dev.backendrouter.api.registry;

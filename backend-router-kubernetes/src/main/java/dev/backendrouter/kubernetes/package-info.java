/**
 * Tiers filled by the endpoints of a Kubernetes Service. Add this module and write a backend as
 * {@code kubernetes: { service: NAME, namespace: NS, port: PORT }}; the router follows the Service's
 * EndpointSlices and keeps one member per ready endpoint. See {@link dev.backendrouter.kubernetes.KubernetesMembers}
 * and docs/kubernetes.md.
 */
package dev.backendrouter.kubernetes;

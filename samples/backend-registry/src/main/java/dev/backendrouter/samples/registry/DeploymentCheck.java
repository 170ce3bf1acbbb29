package dev.backendrouter.samples.registry;

import dev.backendrouter.api.registry.Deployment;
import java.net.URI;
import java.net.URISyntaxException;

/** What a deployment needs before the registry keeps it: the router refuses a topology without it. */
final class DeploymentCheck {
    private DeploymentCheck() {
    }

    /** {@code field: what is wrong}, or {@code null} when the deployment is fine. */
    static String problem(Deployment deployment, long id) {
        if (deployment.id() != id) {
            return "id: the body's id " + deployment.id() + " is not " + id;
        }
        if (deployment.name() == null && deployment.serviceName() == null) {
            return "name: required (or serviceName)";
        }
        if (deployment.url() != null) {
            try {
                URI url = new URI(deployment.url());
                if (!"http".equalsIgnoreCase(url.getScheme()) && !"https".equalsIgnoreCase(url.getScheme()) || url.getHost() == null) {
                    return "url: must be an http or https URL with a host, was " + deployment.url();
                }
            } catch (URISyntaxException e) {
                return "url: malformed: " + e.getReason();
            }
        } else if (deployment.host() == null || deployment.host().isBlank() || deployment.port() == null
                || deployment.port() < 1 || deployment.port() > 65535) {
            return "host: give a url, or a host and a port within 1-65535";
        }
        return null;
    }
}

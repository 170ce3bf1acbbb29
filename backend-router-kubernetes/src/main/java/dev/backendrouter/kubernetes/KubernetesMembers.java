package dev.backendrouter.kubernetes;

import dev.backendrouter.router.spi.MemberDiscovery;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The discovery of Service endpoints, for a router built in code. With this module on the class
 * path nothing is needed: the router finds a discovery that uses the in-cluster configuration (the
 * pod's service account) or the kubeconfig, as {@code kubectl} does. This is for a client of your
 * own, a start timeout, or a last-known-good folder:
 *
 * <pre>{@code
 * BackendRouter router = BackendRouter.builder()
 *     .topology(TopologySource.file(Path.of("topology.yaml")))
 *     .memberDiscovery(KubernetesMembers.builder()
 *         .client(new KubernetesClientBuilder().build())
 *         .lastKnownGood(Path.of("/var/lib/file-service/endpoints"))
 *         .build())
 *     .build();
 * }</pre>
 */
public final class KubernetesMembers {
    private KubernetesMembers() {
    }

    /** A discovery on this client; the router closes the discovery, the client stays yours. */
    public static MemberDiscovery using(KubernetesClient client) {
        return builder().client(client).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings of a discovery. */
    public static final class Builder {
        KubernetesClient client;
        io.fabric8.kubernetes.client.Config config;
        Duration startTimeout = Duration.ofSeconds(10);
        Path lastKnownGood;
        String namespace;

        private Builder() {
        }

        /** The client to list and watch with; default: one made from the in-cluster configuration or the kubeconfig. */
        public Builder client(KubernetesClient client) {
            this.client = Objects.requireNonNull(client, "client");
            return this;
        }

        /** The configuration of a client made when a topology first names a Service (and closed with the router). */
        public Builder config(io.fabric8.kubernetes.client.Config config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /** The namespace of entries that name none; default: the client's (the pod's own, or the kubeconfig context's). */
        public Builder namespace(String namespace) {
            this.namespace = Objects.requireNonNull(namespace, "namespace");
            return this;
        }

        /** How long the first list of a Service's EndpointSlices may take before the start fails; default 10 s. */
        public Builder startTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("startTimeout must be positive, was " + timeout);
            }
            this.startTimeout = timeout;
            return this;
        }

        /**
         * A folder where the endpoints of each Service are kept as they change; when the API server
         * cannot be reached at start, the router starts with the ones kept there (and says so) and
         * follows the Service once it answers.
         */
        public Builder lastKnownGood(Path folder) {
            this.lastKnownGood = Objects.requireNonNull(folder, "folder");
            return this;
        }

        public MemberDiscovery build() {
            return new KubernetesMemberDiscovery(this);
        }
    }
}

package dev.backendrouter.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backendrouter.router.BackendRouter;
import dev.backendrouter.router.HealthCheckSettings;
import dev.backendrouter.router.RouterSnapshot;
import dev.backendrouter.router.TopologySource;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The discovery the router finds on the class path, configured as in a pod: the service account's
 * token and namespace files (here in a temporary folder, named by fabric8's system properties, as
 * the pod's {@code /var/run/secrets/kubernetes.io/serviceaccount} would be), the API server named as
 * the pod's environment names it. The token goes with every request; the namespace is the default.
 */
class InClusterConfigurationIntegrationTest {
    private static final List<String> PROPERTIES = List.of(Config.KUBERNETES_MASTER_SYSTEM_PROPERTY,
            Config.KUBERNETES_AUTH_TRYKUBECONFIG_SYSTEM_PROPERTY, Config.KUBERNETES_AUTH_TRYSERVICEACCOUNT_SYSTEM_PROPERTY,
            Config.KUBERNETES_AUTH_SERVICEACCOUNT_TOKEN_FILE_SYSTEM_PROPERTY, Config.KUBERNETES_TRYNAMESPACE_PATH_SYSTEM_PROPERTY,
            Config.KUBERNETES_NAMESPACE_FILE);
    private KubernetesMockServer server;
    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        PROPERTIES.forEach(System::clearProperty);
        if (server != null) {
            Cluster.destroy(server);
        }
    }

    @Test
    void theServiceAccountsTokenAndNamespaceAreUsed() throws Exception {
        java.util.logging.Logger.getLogger("io.fabric8.mockwebserver").setLevel(java.util.logging.Level.WARNING);
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        try (KubernetesClient admin = server.createClient()) {
            admin.resource(new EndpointSliceBuilder().withNewMetadata().withName("fss-abc").withNamespace("storage")
                    .addToLabels(ServiceWatch.SERVICE_LABEL, "file-system-server").endMetadata().withAddressType("IPv4")
                    .addNewPort().withName("http").withPort(8080).endPort()
                    .addNewEndpoint().withAddresses("10.1.0.7").withNewConditions().withReady(true).endConditions().endEndpoint()
                    .build()).inNamespace("storage").create();
        }
        while (server.takeRequest(10, TimeUnit.MILLISECONDS) != null) {
            // the test's own writes
        }
        Path token = Files.writeString(dir.resolve("token"), "service-account-token");
        Path namespace = Files.writeString(dir.resolve("namespace"), "storage");
        Map.of(Config.KUBERNETES_MASTER_SYSTEM_PROPERTY, "http://127.0.0.1:" + server.getPort(),
                Config.KUBERNETES_AUTH_TRYKUBECONFIG_SYSTEM_PROPERTY, "false",
                Config.KUBERNETES_AUTH_TRYSERVICEACCOUNT_SYSTEM_PROPERTY, "true",
                Config.KUBERNETES_AUTH_SERVICEACCOUNT_TOKEN_FILE_SYSTEM_PROPERTY, token.toString(),
                Config.KUBERNETES_TRYNAMESPACE_PATH_SYSTEM_PROPERTY, "true",
                Config.KUBERNETES_NAMESPACE_FILE, namespace.toString()).forEach(System::setProperty);

        Path topology = Files.writeString(dir.resolve("topology.yaml"), """
                service: file-service
                backends:
                  - { name: fss, kubernetes: { service: file-system-server, port: http } }
                """);
        try (BackendRouter router = BackendRouter.builder().topology(TopologySource.file(topology))
                .healthChecks(HealthCheckSettings.disabled()).build()) {     // no discovery given: the class path's
            assertThat(router.snapshot().groups().get(0).members()).extracting(RouterSnapshot.MemberSnapshot::url)
                    .containsExactly("http://10.1.0.7:8080");
        }
        RecordedRequest list = server.takeRequest(1, TimeUnit.SECONDS);
        assertThat(list.getPath()).startsWith("/apis/discovery.k8s.io/v1/namespaces/storage/endpointslices")
                .contains("labelSelector=kubernetes.io%2Fservice-name%3Dfile-system-server");
        assertThat(list.getHeader("Authorization")).isEqualTo("Bearer service-account-token");
    }
}

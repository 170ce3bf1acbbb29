package dev.backendrouter.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backendrouter.router.BackendRouter;
import dev.backendrouter.router.RouterSnapshot;
import dev.backendrouter.router.spi.MemberDiscovery;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.util.HashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * With backend-router-kubernetes on the class path the starter follows the Services a topology
 * names, with the API server, token and default namespace of {@code backend-router.kubernetes.*}.
 */
class KubernetesPropertiesTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(BackendRouterAutoConfiguration.class))
            .withPropertyValues("backend-router.health.enabled=false");
    private KubernetesMockServer server;

    @BeforeEach
    void start() {
        java.util.logging.Logger.getLogger("io.fabric8.mockwebserver").setLevel(java.util.logging.Level.WARNING);
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        try (KubernetesClient admin = server.createClient()) {
            admin.resource(new EndpointSliceBuilder().withNewMetadata().withName("fss-abc").withNamespace("storage")
                    .addToLabels("kubernetes.io/service-name", "file-system-server").endMetadata().withAddressType("IPv4")
                    .addNewPort().withName("http").withPort(8080).endPort()
                    .addNewEndpoint().withAddresses("10.1.0.7").withNewConditions().withReady(true).endConditions()
                    .withNewTargetRef().withKind("Pod").withName("fss-7d9f").endTargetRef().withZone("zone-a").endEndpoint()
                    .build()).inNamespace("storage").create();
        }
    }

    @AfterEach
    void stop() {
        destroy(server);
    }

    /**
     * Stops the mock API server. It waits ten seconds at most for its connections to end, and a
     * watch's WebSocket that the router closed may still be closing on its side then: not a fault
     * of what these tests check.
     */
    static void destroy(KubernetesMockServer server) {
        try {
            server.destroy();
        } catch (IllegalStateException e) {
            if (!String.valueOf(e.getMessage()).contains("Unable to close MockWebServer")) {
                throw e;
            }
            System.err.println("The mock API server did not close within its 10 s: " + e.getMessage());
        }
    }

    @Test
    void theStarterFollowsAServiceWithTheApiServerAndNamespaceItIsGiven() {
        runner.withPropertyValues("backend-router.service=file-service",
                        "backend-router.groups.files.backends[0].name=fss",
                        "backend-router.groups.files.backends[0].kubernetes.service=file-system-server",
                        "backend-router.groups.files.backends[0].kubernetes.port=http",
                        "backend-router.kubernetes.master-url=http://127.0.0.1:" + server.getPort(),
                        "backend-router.kubernetes.token=k8s-secret-token",
                        "backend-router.kubernetes.namespace=storage")
                .run(context -> {
                    assertThat(context).hasSingleBean(MemberDiscovery.class);
                    RouterSnapshot.MemberSnapshot member = context.getBean(BackendRouter.class).snapshot().groups().get(0).members().get(0);
                    assertThat(member.name()).isEqualTo("fss-fss-7d9f");
                    assertThat(member.url()).isEqualTo("http://10.1.0.7:8080");
                    assertThat(member.labels()).containsEntry("zone", "zone-a");
                    assertThat(context.getBean(BackendRouterProperties.class).getKubernetes().toString())
                            .doesNotContain("k8s-secret-token");
                });
    }

    @Test
    void aKubeconfigGivesTheApiServerCredentialsAndTheDefaultNamespace(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path kubeconfig = java.nio.file.Files.writeString(dir.resolve("kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters: [ { name: mock, cluster: { server: "http://127.0.0.1:%d" } } ]
                users: [ { name: file-service, user: { token: kubeconfig-token } } ]
                contexts: [ { name: storage, context: { cluster: mock, user: file-service, namespace: storage } } ]
                current-context: storage
                """.formatted(server.getPort()));
        runner.withPropertyValues("backend-router.service=file-service",
                        "backend-router.groups.files.backends[0].name=fss",
                        "backend-router.groups.files.backends[0].kubernetes.service=file-system-server",
                        "backend-router.kubernetes.kubeconfig=" + kubeconfig)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(BackendRouter.class).snapshot().groups().get(0).members())
                            .extracting(RouterSnapshot.MemberSnapshot::url).containsExactly("http://10.1.0.7:8080");
                });
    }
}

package dev.backendrouter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code probe} and {@code route} on a topology whose backends are Kubernetes Services: the
 * endpoints are listed through the cluster the client configures itself for (here the mock API
 * server, named by the {@code kubernetes.master} system property as a kubeconfig would), one row each.
 */
class ProbeKubernetesIntegrationTest {
    private KubernetesMockServer server;
    private final TestBackend pod = new TestBackend("fss-7d9f");
    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        java.util.logging.Logger.getLogger("io.fabric8.mockwebserver").setLevel(java.util.logging.Level.WARNING);
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        int port = URI.create(pod.url()).getPort();
        try (KubernetesClient admin = server.createClient()) {
            admin.resource(new EndpointSliceBuilder().withNewMetadata().withName("fss-abc").withNamespace("storage")
                    .addToLabels("kubernetes.io/service-name", "file-system-server").endMetadata().withAddressType("IPv4")
                    .addNewPort().withName("http").withPort(port).endPort()
                    .addNewEndpoint().withAddresses("127.0.0.1").withNewConditions().withReady(true).endConditions()
                    .withNewTargetRef().withKind("Pod").withName("fss-7d9f").endTargetRef().endEndpoint()
                    .build()).inNamespace("storage").create();
        }
        System.setProperty(Config.KUBERNETES_MASTER_SYSTEM_PROPERTY, "http://127.0.0.1:" + server.getPort());
        System.setProperty(Config.KUBERNETES_AUTH_TRYKUBECONFIG_SYSTEM_PROPERTY, "false");
        System.setProperty(Config.KUBERNETES_AUTH_TRYSERVICEACCOUNT_SYSTEM_PROPERTY, "false");
    }

    @AfterEach
    void stop() {
        System.clearProperty(Config.KUBERNETES_MASTER_SYSTEM_PROPERTY);
        System.clearProperty(Config.KUBERNETES_AUTH_TRYKUBECONFIG_SYSTEM_PROPERTY);
        System.clearProperty(Config.KUBERNETES_AUTH_TRYSERVICEACCOUNT_SYSTEM_PROPERTY);
        try {
            server.destroy();
        } catch (IllegalStateException e) {
            // it waits 10 s at most for its connections to end; a watch's WebSocket may still be closing on its side
            if (!String.valueOf(e.getMessage()).contains("Unable to close MockWebServer")) {
                throw e;
            }
        }
        pod.close();
    }

    private Path topology(String name, String backends) throws java.io.IOException {
        return Files.writeString(dir.resolve(name), "service: file-service\ngroups:\n  files:\n    backends:\n" + backends);
    }

    // one API server per test, as each CLI run is a client of its own

    @Test
    void probeListsEachEndpointOfAServiceAndSaysWhyAnotherCannotBeListed() throws Exception {
        CliRun probe = CliRun.run("probe", topology("topology.yaml", """
                      - { name: fss, kubernetes: { service: file-system-server, namespace: storage, port: http } }
                      - { name: fss-typo, role: BACKUP, kubernetes: { service: file-system-server, namespace: storage, port: grpc } }
                """).toString());
        assertThat(probe.out()).contains("fss-fss-7d9f", pod.url(), "200", "fss-typo", "kubernetes.port: unknown port 'grpc'");
        assertThat(probe.exit()).as("one backend cannot be listed").isEqualTo(Cli.UNAVAILABLE);
    }

    @Test
    void routeCallsAnEndpointOfTheService() throws Exception {
        Path one = topology("one.yaml", """
                      - { name: fss, kubernetes: { service: file-system-server, namespace: storage, port: http } }
                """);
        assertThat(CliRun.run("validate", one.toString()).exit()).isEqualTo(Cli.OK);
        CliRun route = CliRun.run("route", one.toString(), "files", "/files/1");
        assertThat(route.all()).contains("fss-fss-7d9f");
        assertThat(route.exit()).isEqualTo(Cli.OK);
    }
}

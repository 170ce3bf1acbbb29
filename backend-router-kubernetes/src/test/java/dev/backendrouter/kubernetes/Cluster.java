package dev.backendrouter.kubernetes;

import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;

/**
 * fabric8's mock API server in CRUD mode on a free loopback port — a real API server over HTTP
 * that lists, watches and stores what is written to it — with a client that reconnects quickly,
 * and EndpointSlices as the EndpointSlice controller writes them.
 */
final class Cluster implements AutoCloseable {
    /** The mock server logs every request at INFO through java.util.logging. */
    private static final java.util.logging.Logger QUIET = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");
    final int port;
    private KubernetesMockServer server;
    /** The client the router uses: the test's own writes go through {@link #admin}. */
    final KubernetesClient client;
    private KubernetesClient admin;

    /** An endpoint as a slice lists it. */
    record Pod(String name, String address, boolean ready, boolean serving, boolean terminating, String zone) {
        static Pod ready(String name, String address, String zone) {
            return new Pod(name, address, true, true, false, zone);
        }

        Pod terminating(boolean stillServing) {
            return new Pod(name, address, false, stillServing, true, zone);
        }
    }

    Cluster() {
        QUIET.setLevel(java.util.logging.Level.WARNING);
        this.port = freePort();
        start();
        Config config = Config.empty();
        config.setMasterUrl("http://127.0.0.1:" + port);
        config.setTrustCerts(true);
        config.setWatchReconnectInterval(100);
        config.setWatchReconnectLimit(-1);
        config.setRequestRetryBackoffInterval(100);
        config.setRequestRetryBackoffLimit(1);
        config.setRequestTimeout(2000);
        this.client = new KubernetesClientBuilder().withConfig(config).build();
    }

    /** Starts an API server on this port again; the one before kept nothing, as after a restore from nothing. */
    void start() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.init(InetAddress.getLoopbackAddress(), port);
        admin = server.createClient();
    }

    void stop() {
        admin.close();
        destroy(server);
    }

    /** Stops a mock server; it waits 10 s at most for its connections to end, and a watch's WebSocket may still be closing on its side. */
    static void destroy(KubernetesMockServer server) {
        try {
            server.destroy();
        } catch (IllegalStateException e) {
            if (!String.valueOf(e.getMessage()).contains("Unable to close MockWebServer")) {
                throw e;
            }
        }
    }

    /** Writes (creates or replaces) a slice of Service {@code service} with the endpoints on {@code port}. */
    void slice(String namespace, String service, String name, String portName, int port, List<Pod> pods) {
        List<Endpoint> endpoints = pods.stream().map(pod -> new EndpointBuilder().withAddresses(pod.address())
                .withNewConditions().withReady(pod.ready()).withServing(pod.serving()).withTerminating(pod.terminating()).endConditions()
                .withNewTargetRef().withKind("Pod").withName(pod.name()).withNamespace(namespace).endTargetRef()
                .withZone(pod.zone()).withNodeName("node-" + pod.zone()).build()).toList();
        EndpointSlice slice = new EndpointSliceBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                .addToLabels(ServiceWatch.SERVICE_LABEL, service).endMetadata()
                .withAddressType("IPv4").addNewPort().withName(portName).withPort(port).withProtocol("TCP").endPort()
                .withEndpoints(endpoints).build();
        admin.resource(slice).inNamespace(namespace).createOr(existing -> existing.update());
    }

    /** The slice the EndpointSlice controller keeps for a Service scaled to zero: neither endpoints nor ports. */
    void emptySlice(String namespace, String service, String name) {
        admin.resource(new EndpointSliceBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                .addToLabels(ServiceWatch.SERVICE_LABEL, service).endMetadata().withAddressType("IPv4").build())
                .inNamespace(namespace).createOr(existing -> existing.update());
    }

    void deleteSlice(String namespace, String name) {
        admin.discovery().v1().endpointSlices().inNamespace(namespace).withName(name).delete();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        client.close();
        stop();
    }
}

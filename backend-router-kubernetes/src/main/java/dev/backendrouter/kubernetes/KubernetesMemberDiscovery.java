package dev.backendrouter.kubernetes;

import dev.backendrouter.api.KubernetesService;
import dev.backendrouter.router.spi.DiscoveryException;
import dev.backendrouter.router.spi.DiscoveryTarget;
import dev.backendrouter.router.spi.EndpointWatch;
import dev.backendrouter.router.spi.MemberDiscovery;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The {@code kubernetes://} discovery: one EndpointSlice informer per Service the topology names.
 * Found by the router with {@link java.util.ServiceLoader} (then it makes its own client from the
 * in-cluster configuration or the kubeconfig, on first use), or made by {@link KubernetesMembers}.
 */
public final class KubernetesMemberDiscovery implements MemberDiscovery {
    private final KubernetesClient given;
    private final io.fabric8.kubernetes.client.Config config;
    private final Duration startTimeout;
    private final Path lastKnownGood;
    private final String namespace;
    private final List<ServiceWatch> watches = new CopyOnWriteArrayList<>();
    private KubernetesClient client;
    private ScheduledExecutorService checker;
    private boolean closed;

    /** The discovery the router finds on the class path: the default client, made when a topology first names a Service. */
    public KubernetesMemberDiscovery() {
        this(KubernetesMembers.builder());
    }

    KubernetesMemberDiscovery(KubernetesMembers.Builder settings) {
        this.given = settings.client;
        this.config = settings.config;
        this.startTimeout = settings.startTimeout;
        this.lastKnownGood = settings.lastKnownGood;
        this.namespace = settings.namespace;
    }

    @Override
    public Set<String> schemes() {
        return Set.of(KubernetesService.URL_SCHEME);
    }

    @Override
    public EndpointWatch watch(DiscoveryTarget target, Runnable onChange) {
        KubernetesService service = KubernetesService.of(target.url()).orElseThrow(() -> new DiscoveryException(null,
                "not a Service reference: " + target.url()));
        KubernetesClient client = client();
        String inNamespace = service.namespace() != null ? service.namespace()
                : namespace != null ? namespace : client.getNamespace() != null ? client.getNamespace() : "default";
        ServiceWatch watch = new ServiceWatch(client, service, inNamespace, onChange, startTimeout,
                lastKnownGood == null ? null : LastKnownGood.fileFor(lastKnownGood, target.url()), watches::remove);
        watch.start();
        watches.add(watch);
        synchronized (this) {
            if (closed) {       // closed while this watch started: it must not outlive the router
                watch.close();
                throw new IllegalStateException("the Kubernetes discovery is closed");
            }
        }
        return watch;
    }

    private synchronized KubernetesClient client() {
        if (closed) {
            throw new IllegalStateException("the Kubernetes discovery is closed");
        }
        if (client == null) {
            client = given != null ? given : config != null ? new KubernetesClientBuilder().withConfig(config).build()
                    : new KubernetesClientBuilder().build();
            // a lost watch is noticed by its informer; this notices when it watches again
            checker = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "backend-router-kubernetes-check");
                thread.setDaemon(true);
                return thread;
            });
            checker.scheduleWithFixedDelay(() -> watches.forEach(ServiceWatch::checkConnection), 500, 500, TimeUnit.MILLISECONDS);
        }
        return client;
    }

    @Override
    public void close() {
        KubernetesClient made;
        ScheduledExecutorService check;
        synchronized (this) {
            closed = true;
            made = given == null ? client : null;
            check = checker;
        }
        watches.forEach(ServiceWatch::close);
        if (check != null) {
            check.shutdownNow();
        }
        if (made != null) {
            made.close();
        }
    }

    @Override
    public String toString() {
        return "KubernetesMemberDiscovery[" + (client == null ? "not connected yet" : client.getMasterUrl()) + "]";
    }
}

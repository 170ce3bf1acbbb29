package dev.backendrouter.kubernetes;

import dev.backendrouter.api.KubernetesService;
import dev.backendrouter.router.spi.DiscoveredEndpoint;
import dev.backendrouter.router.spi.DiscoveryException;
import dev.backendrouter.router.spi.EndpointWatch;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Service's endpoints, followed by an informer on its EndpointSlices (the label
 * {@code kubernetes.io/service-name}). The informer lists, watches, and lists again after a lost
 * watch with fabric8's backoff; its cache keeps the last slices meanwhile, so the members stay.
 */
final class ServiceWatch implements EndpointWatch {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceWatch.class);
    static final String SERVICE_LABEL = "kubernetes.io/service-name";

    private final KubernetesClient client;
    private final KubernetesService service;
    private final String namespace;
    private final Runnable onChange;
    private final Duration startTimeout;
    private final Path lastKnownGood;
    private final Consumer<ServiceWatch> onClose;
    private SharedIndexInformer<EndpointSlice> informer;
    private java.util.concurrent.CompletableFuture<Void> started;
    private volatile List<DiscoveredEndpoint> endpoints = List.of();
    private volatile boolean connected;
    private volatile String problem;
    private volatile String startedFrom;
    private volatile boolean closed;
    private int notWatching;      // checks in a row that found no watch (the checker's thread only)

    ServiceWatch(KubernetesClient client, KubernetesService service, String namespace, Runnable onChange, Duration startTimeout,
            Path lastKnownGood, Consumer<ServiceWatch> onClose) {
        this.client = client;
        this.service = service;
        this.namespace = namespace;
        this.onChange = onChange;
        this.startTimeout = startTimeout;
        this.lastKnownGood = lastKnownGood;
        this.onClose = onClose;
    }

    /** Lists the slices and starts watching; throws when there is no usable first list. */
    void start() {
        // one list before any watch: a Service that does not exist or lacks the port is refused with no watch to undo
        String unreachable = null;
        List<EndpointSlice> listed = List.of();
        try {
            listed = java.util.concurrent.CompletableFuture.supplyAsync(() -> client.discovery().v1()
                    .endpointSlices().inNamespace(namespace).withLabel(SERVICE_LABEL, service.service()).list().getItems())
                    .get(startTimeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            check(listed);
        } catch (TimeoutException e) {
            unreachable = "no answer within " + startTimeout.toSeconds() + " s";
        } catch (ExecutionException e) {
            if (e.getCause() instanceof io.fabric8.kubernetes.client.KubernetesClientException refused
                    && (refused.getCode() == 401 || refused.getCode() == 403)) {
                // an answer, not an outage: kept endpoints would hide a missing permission
                throw new DiscoveryException(null, "the API server at " + client.getMasterUrl() + " refused to list the"
                        + " EndpointSlices of Service " + this + " (HTTP " + refused.getCode() + "): give this service account get,"
                        + " list and watch on endpointslices in namespace " + namespace + " (docs/kubernetes.md, RBAC)");
            }
            unreachable = describe(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DiscoveryException(null, "interrupted while listing the EndpointSlices of Service " + this);
        }
        List<DiscoveredEndpoint> kept = null;
        if (unreachable != null) {
            kept = lastKnownGood == null ? null : LastKnownGood.read(lastKnownGood);
            if (kept == null) {
                throw new DiscoveryException(null, "could not list the EndpointSlices of Service " + this + " from "
                        + client.getMasterUrl() + ": " + unreachable + ". Check that the API server is reachable from here and that"
                        + " this service account may get, list and watch endpointslices in namespace " + namespace
                        + " (docs/kubernetes.md, RBAC)" + (lastKnownGood == null ? "" : "; no endpoints were kept in " + lastKnownGood));
            }
        }
        informer = client.discovery().v1().endpointSlices().inNamespace(namespace).withLabel(SERVICE_LABEL, service.service())
                .runnableInformer(0);
        informer.exceptionHandler((started, error) -> {
            lost(describe(error));
            return !closed;       // keep trying: the members stay as they were meanwhile
        });
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(EndpointSlice slice) {
                refresh(true);
            }

            @Override
            public void onUpdate(EndpointSlice before, EndpointSlice after) {
                refresh(true);
            }

            @Override
            public void onDelete(EndpointSlice slice, boolean finalStateUnknown) {
                refresh(true);
            }
        });
        started = informer.start().toCompletableFuture();
        if (kept != null) {
            endpoints = kept;
            connected = false;
            problem = unreachable;
            startedFrom = kept.size() + " endpoints kept in " + lastKnownGood + ": the API server did not answer (" + unreachable + ")";
            LOG.warn("Service {}: starting with the {}; following it once the API server answers", this, startedFrom);
            return;     // the informer keeps trying
        }
        try {
            awaitFirstList(started);
        } catch (TimeoutException | ExecutionException e) {
            // listed a moment ago, now not: start from that list; the informer keeps trying and its first answer follows
            endpoints = Endpoints.of(listed, service);
            LOG.warn("Service {}: its watch is not set up yet ({}); its members come with the first answer", this,
                    e instanceof TimeoutException ? "no answer within " + startTimeout.toSeconds() + " s" : describe(e.getCause()));
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            informer.stop();
            throw new DiscoveryException(null, "interrupted while listing the EndpointSlices of Service " + this);
        }
        connected = true;
        refresh(false);
    }

    /** Refuses a Service that has no EndpointSlice, or none with the entry's port. */
    private void check(List<EndpointSlice> slices) {
        if (slices.isEmpty()) {
            throw new DiscoveryException("service", "no EndpointSlice of Service " + service.service() + " in namespace " + namespace
                    + ": does it exist (kubectl -n " + namespace + " get service " + service.service() + ")?");
        }
        boolean portsKnown = slices.stream().anyMatch(slice -> slice.getPorts() != null && !slice.getPorts().isEmpty());
        // a Service scaled to zero keeps a slice with neither endpoints nor ports: nothing to check the port against
        if (portsKnown && slices.stream().allMatch(slice -> Endpoints.portOf(slice, service.port()) == null)) {
            throw new DiscoveryException("port", (service.port() == null
                    ? "Service " + this + " has several ports " + Endpoints.portsOf(slices) + ": name one"
                    : "unknown port '" + service.port() + "' of Service " + this + ": its endpoints have " + Endpoints.portsOf(slices))
                    + " (a name is the Service port's name, a number the endpoints' own port)");
        }
    }

    /**
     * Waits until the first list is in the informer's cache: its start completes only once the watch
     * is set up too, which the informer retries by itself and need not hold up the router's start.
     */
    private void awaitFirstList(java.util.concurrent.CompletableFuture<Void> started)
            throws TimeoutException, ExecutionException, InterruptedException {
        long deadline = System.nanoTime() + startTimeout.toNanos();
        while (!informer.hasSynced()) {
            if (started.isDone()) {
                started.get();      // failed: its cause
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException();
            }
            Thread.sleep(10);
        }
    }

    /** The endpoints again from the informer's cache; the router hears of it when they changed. */
    private synchronized void refresh(boolean tell) {
        if (informer == null || closed) {
            return;
        }
        List<DiscoveredEndpoint> now = Endpoints.of(informer.getStore().list(), service);
        boolean reconnected = !connected && informer.isWatching();
        if (reconnected) {
            connected = true;
            problem = null;
        }
        if (!now.equals(endpoints)) {
            endpoints = now;
            if (lastKnownGood != null) {
                LastKnownGood.write(lastKnownGood, now);
            }
        } else if (!reconnected) {
            return;
        }
        if (tell) {
            onChange.run();
        }
    }

    private void lost(String why) {
        if (closed) {
            return;
        }
        boolean was = connected;
        connected = false;
        problem = why;
        if (was) {
            onChange.run();
        }
    }

    /**
     * Run every half second. The informer retries a broken watch by itself without telling: one that
     * has not watched for three checks in a row is lost (a watch renewed on schedule is back sooner),
     * and a lost one that watches again is connected again.
     */
    void checkConnection() {
        if (closed || informer == null) {
            return;
        }
        boolean watching = informer.isWatching();
        notWatching = watching ? 0 : notWatching + 1;
        if (!connected && watching && informer.hasSynced()) {
            refresh(true);
        } else if (connected && notWatching >= 3) {
            lost("the watch of EndpointSlices stopped and the API server at " + client.getMasterUrl()
                    + " does not answer; reconnecting");
        }
    }

    private String describe(Throwable error) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = error; t != null && text.length() < 300; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && !text.toString().contains(t.getMessage())) {
                text.append(text.length() == 0 ? "" : ": ").append(t.getMessage());
            }
        }
        return text.length() == 0 ? String.valueOf(error) : text.toString();
    }

    @Override
    public List<DiscoveredEndpoint> endpoints() {
        return endpoints;
    }

    @Override
    public boolean connected() {
        return connected;
    }

    @Override
    public String problem() {
        return problem;
    }

    @Override
    public String startedFrom() {
        return startedFrom;
    }

    /** Stops the informer, once its watch is set up (a second at most), so that it leaves no half-open request behind. */
    @Override
    public void close() {
        closed = true;
        if (informer != null) {
            try {
                started.get(1, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                // stopped all the same
            }
            informer.stop();
        }
        onClose.accept(this);
    }

    @Override
    public String toString() {
        return namespace + "/" + service.service() + (service.port() == null ? "" : ":" + service.port());
    }
}

package dev.backendrouter.benchmarks.kubernetes;

import dev.backendrouter.kubernetes.KubernetesMembers;
import dev.backendrouter.router.BackendRouter;
import dev.backendrouter.router.HealthCheckSettings;
import dev.backendrouter.router.TopologySource;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;

/**
 * A Service of 5,000 endpoints across 50 EndpointSlices on fabric8's mock API server (CRUD mode,
 * in this JVM, over loopback HTTP): how long from writing a changed slice to the router serving the
 * new snapshot, beside the same change on a Service of 100 endpoints in one slice (the baseline);
 * and the heap the router holds per endpoint. Alternating, repeated; medians and p90.
 */
public final class EndpointSliceBenchmark {
    private static final String TOPOLOGY = """
            service: bench
            groups:
              files:
                backends:
                  - { name: fss, kubernetes: { service: fss, namespace: bench, port: http } }
            """;

    private EndpointSliceBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        boolean full = Arrays.asList(args).contains("--full");
        Path out = Path.of(args[Arrays.asList(args).indexOf("--out") + 1]);
        int rounds = full ? 60 : 20;
        java.util.logging.Logger.getLogger("io.fabric8.mockwebserver").setLevel(java.util.logging.Level.WARNING);
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        try (KubernetesClient admin = server.createClient(); KubernetesClient client = client(server)) {
            long heapBefore = heap();
            Service big = new Service(admin, client, "bench", 50, 100);
            long heapAfter = heap();
            Service small = new Service(admin, client, "small", 1, 100);
            long[][] times = new long[2][rounds];
            for (int round = 0; round < rounds; round++) {
                for (int which = 0; which < 2; which++) {      // alternating, the order swapped each round
                    Service service = (round + which) % 2 == 0 ? big : small;
                    long nanos = service.changeOneSlice(round);
                    times[service == big ? 0 : 1][round] = nanos;
                }
            }
            int bigMembers = big.router.snapshot().groups().get(0).members().size();
            double perEndpoint = (heapAfter - heapBefore) / (double) bigMembers;
            String report = report(times, bigMembers, perEndpoint, rounds, full);
            Files.createDirectories(out);
            Files.writeString(out.resolve("kubernetes.md"), report);
            System.out.print(report);
            big.router.close();
            small.router.close();
        } finally {
            server.destroy();
        }
    }

    private static KubernetesClient client(KubernetesMockServer server) {
        Config config = Config.empty();
        config.setMasterUrl("http://127.0.0.1:" + server.getPort());
        config.setWatchReconnectInterval(100);
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /** A Service of slices × per endpoints, and a router following it. */
    private static final class Service {
        final KubernetesClient admin;
        final String namespace;
        final int slices;
        final int per;
        final BackendRouter router;
        final java.util.concurrent.atomic.AtomicInteger changes = new java.util.concurrent.atomic.AtomicInteger();

        Service(KubernetesClient admin, KubernetesClient client, String namespace, int slices, int per) throws Exception {
            this.admin = admin;
            this.namespace = namespace;
            this.slices = slices;
            this.per = per;
            for (int s = 0; s < slices; s++) {
                write(s, -1);
            }
            Path file = Files.createTempFile("kubernetes-bench", ".yaml");
            Files.writeString(file, TOPOLOGY.replace("namespace: bench", "namespace: " + namespace));
            router = BackendRouter.builder().topology(TopologySource.file(file))
                    .memberDiscovery(KubernetesMembers.builder().client(client).startTimeout(java.time.Duration.ofSeconds(60)).build())
                    .healthChecks(HealthCheckSettings.disabled()).listener(new dev.backendrouter.router.RouterListener() {
                        @Override
                        public void discoveryChanged(String source, boolean connected, int endpoints, String problem) {
                            changes.incrementAndGet();      // told after the new table is serving
                        }
                    }).build();
            Files.delete(file);
        }

        /** Writes slice {@code s}; endpoint {@code moved} of it gets a new address (a pod replaced). */
        void write(int s, int generation) {
            List<Endpoint> endpoints = new ArrayList<>();
            for (int e = 0; e < per; e++) {
                int index = s * per + e;
                String address = "10." + (index / 65536 % 256) + "." + (index / 256 % 256) + "." + (index % 256);
                String pod = "fss-" + index;
                if (e == 0 && generation >= 0) {
                    address = "10.200." + (generation / 256 % 256) + "." + (generation % 256);
                    pod = "fss-" + index + "-g" + generation;
                }
                endpoints.add(new EndpointBuilder().withAddresses(address).withNewConditions().withReady(true).endConditions()
                        .withNewTargetRef().withKind("Pod").withName(pod).endTargetRef().withZone("zone-" + (index % 3)).build());
            }
            admin.resource(new EndpointSliceBuilder().withNewMetadata().withName("fss-" + s).withNamespace(namespace)
                    .addToLabels("kubernetes.io/service-name", "fss").endMetadata().withAddressType("IPv4")
                    .addNewPort().withName("http").withPort(8080).endPort().withEndpoints(endpoints).build())
                    .inNamespace(namespace).createOr(existing -> existing.update());
        }

        /** Replaces one pod of one slice and waits until the router's snapshot has it: the time that took. */
        long changeOneSlice(int round) throws InterruptedException {
            int s = round % slices;
            String expected = "fss-fss-" + (s * per) + "-g" + round;
            int before = changes.get();
            long start = System.nanoTime();
            write(s, round);
            while (changes.get() == before) {
                if (System.nanoTime() - start > 30_000_000_000L) {
                    throw new IllegalStateException("no new snapshot after 30 s");
                }
                java.util.concurrent.locks.LockSupport.parkNanos(20_000);
            }
            long took = System.nanoTime() - start;
            if (router.snapshot().groups().get(0).members().stream().noneMatch(m -> m.name().equals(expected))) {
                throw new IllegalStateException("the new snapshot lacks " + expected);
            }
            return took;
        }
    }

    private static long heap() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static String report(long[][] times, int members, double perEndpoint, int rounds, boolean full) {
        double bigMedian = percentile(times[0], 50);
        double smallMedian = percentile(times[1], 50);
        return String.format(Locale.ROOT, """
                ## Kubernetes: 5,000 endpoints across 50 EndpointSlices

                A Service of %,d endpoints in 50 slices on fabric8's mock API server (CRUD mode, in the same JVM, over
                loopback HTTP), followed by one router; one pod of one slice replaced per round, %d rounds (a %s run),
                alternating with the same change on a Service of 100 endpoints in one slice. Time from writing the
                slice to the router's snapshot holding the new pod: the API server's watch event, the informer, the
                endpoints of all 50 slices recomputed, one new routing table.

                | measure | 100 endpoints, 1 slice | 5,000 endpoints, 50 slices | ratio |
                |---|---|---|---|
                | slice change → new snapshot, median | %.1f ms | %.1f ms | %.2f× |
                | slice change → new snapshot, p90 | %.1f ms | %.1f ms | %.2f× |
                | heap held per endpoint (router, informer and its cached slices) | | %,.0f B | |

                The heap figure is the live heap after garbage collection with the large Service followed, less the heap
                before it, over its %,d endpoints: the informer's cached slices, the members, their breakers and state,
                and the fixed cost of one informer and router spread over them.
                """, members, rounds, full ? "full" : "quick", smallMedian / 1e6, bigMedian / 1e6, bigMedian / smallMedian,
                percentile(times[1], 90) / 1e6, percentile(times[0], 90) / 1e6, percentile(times[0], 90) / percentile(times[1], 90),
                perEndpoint, members);
    }

    private static double percentile(long[] values, int p) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }
}

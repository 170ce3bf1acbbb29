package dev.backendrouter.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backendrouter.api.BackendMember;
import dev.backendrouter.api.BackendRole;
import dev.backendrouter.api.RoutingKey;
import dev.backendrouter.api.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.ConnectionPool;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/** Many threads on one router, over real sockets: no call lost, every count adds up, nothing left open. */
class ConcurrentRoutingIntegrationTest {
    private static final int THREADS = 16;
    private static final int CALLS_PER_THREAD = 248; // a multiple of the 4 kinds of call

    @Test
    void manyThreadsShareOneRouter() throws Exception {
        List<LoopbackBackend> backends = List.of(new LoopbackBackend("primary"), new LoopbackBackend("replica-1"),
                new LoopbackBackend("replica-2"), new LoopbackBackend("users-a-m"), new LoopbackBackend("users-n-z"));
        OkHttpClient base = new OkHttpClient.Builder().connectionPool(new ConnectionPool(64, 1, TimeUnit.MINUTES)).build();
        base.dispatcher().setMaxRequestsPerHost(64);
        Topology topology = Topology.builder().service("svc")
                .group("storage",
                        BackendMember.builder("primary", backends.get(0).url()).build(),
                        BackendMember.builder("replica-1", backends.get(1).url()).role(BackendRole.READ_REPLICA).build(),
                        BackendMember.builder("replica-2", backends.get(2).url()).role(BackendRole.READ_REPLICA).build())
                .group("users",
                        BackendMember.builder("users-a-m", backends.get(3).url()).role(BackendRole.SHARD).routingKey("users-a-m").build(),
                        BackendMember.builder("users-n-z", backends.get(4).url()).role(BackendRole.SHARD).routingKey("users-n-z").build())
                .build();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger wrongBackend = new AtomicInteger();
        try (BackendRouter router = BackendRouter.builder().topology(topology).httpClient(base).healthChecks(HealthCheckSettings.disabled()).build()) {
            OkHttpClient http = router.httpClient();
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < CALLS_PER_THREAD; i++) {
                        Request request = switch (i % 4) {
                            case 0 -> new Request.Builder().url("http://storage/files/" + i).build();
                            case 1 -> new Request.Builder().url("http://storage/files/" + i)
                                    .put(RequestBody.create("v" + thread, MediaType.get("text/plain"))).build();
                            case 2 -> new Request.Builder().url("http://users/profile").header("X-Routing-Key", "alice").build();
                            default -> new Request.Builder().url("http://users/profile").tag(RoutingKey.class, RoutingKey.of("zoe")).build();
                        };
                        try (Response response = http.newCall(request).execute()) {
                            String body = response.body().string();
                            boolean right = switch (i % 4) {
                                case 0 -> body.startsWith("replica-");
                                case 1 -> body.equals("primary");
                                case 2 -> body.equals("users-a-m");
                                default -> body.equals("users-n-z");
                            };
                            if (response.code() == 200) {
                                ok.incrementAndGet();
                            }
                            if (!right) {
                                wrongBackend.incrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get(2, TimeUnit.MINUTES);
            }
            int total = THREADS * CALLS_PER_THREAD;
            assertThat(ok.get()).isEqualTo(total);
            assertThat(wrongBackend.get()).isZero();
            List<RouterSnapshot.MemberSnapshot> members = router.snapshot().groups().stream()
                    .flatMap(g -> g.members().stream()).toList();
            assertThat(members.stream().mapToLong(RouterSnapshot.MemberSnapshot::attempts).sum()).isEqualTo(total);
            assertThat(members).allSatisfy(m -> {
                assertThat(m.inFlight()).isZero();
                assertThat(m.failures()).isZero();
            });
            assertThat(members.get(0).attempts()).isEqualTo(total / 4);
            assertThat(members.get(1).attempts() + members.get(2).attempts()).isEqualTo(total / 4);
            assertThat(members.get(1).attempts()).as("both replicas share the reads").isGreaterThan(total / 40);
            assertThat(members.get(2).attempts()).isGreaterThan(total / 40);
            assertThat(base.connectionPool().idleConnectionCount()).isEqualTo(base.connectionPool().connectionCount());
        } finally {
            pool.shutdownNow();
            backends.forEach(LoopbackBackend::close);
            base.dispatcher().executorService().shutdown();
            base.connectionPool().evictAll();
        }
    }
}

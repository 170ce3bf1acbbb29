package dev.backendrouter.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backendrouter.api.BackendMember;
import dev.backendrouter.api.Topology;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@code close()} while the periodic reloader is loading a changed topology: the reload must be
 * able to finish (and find the router closed) without waiting for {@code close()}, so that no
 * reloader thread is left when {@code close()} returns.
 */
class CloseDuringReloadIntegrationTest {
    @Test
    void noReloaderThreadIsLeftWhenCloseReturnsDuringAReload() throws Exception {
        AtomicInteger loads = new AtomicInteger();
        AtomicReference<Thread> reloader = new AtomicReference<>();
        CountDownLatch loading = new CountDownLatch(1);
        TopologySource source = () -> {
            int n = loads.incrementAndGet();
            if (n > 1) {
                reloader.set(Thread.currentThread());
                loading.countDown();
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();      // a load that does not notice the interrupt (CPU-bound parsing, say)
                }
            }
            return Topology.builder().service("close-during-reload").version(String.valueOf(n))
                    .group("g", BackendMember.builder("m", "http://127.0.0.1:9").build()).build();
        };
        BackendRouter router = BackendRouter.builder().topology(source).healthChecks(HealthCheckSettings.disabled())
                .reloadEvery(Duration.ofMillis(10)).build();
        assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();
        router.close();
        assertThat(reloader.get().isAlive()).as("the reloader thread when close() returned").isFalse();
    }
}

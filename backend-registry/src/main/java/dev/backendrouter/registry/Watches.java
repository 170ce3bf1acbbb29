package dev.backendrouter.registry;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * Waiting requests ({@code ?wait=} with {@code If-None-Match}), by deployment. They hold no thread:
 * each is a {@link DeferredResult} that a change completes. A change of a deployment computes its
 * answer once, on one thread, and gives it to every waiter that holds an older tag; the others
 * wait on. Stopping the registry answers every waiter with 304 first, so that graceful shutdown
 * does not wait for them.
 */
@Component
class Watches implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(Watches.class);

    /** A deployment's answer now: its body and tag, or an error answer (the deployment was deleted). */
    record Answer(String etag, ResponseEntity<?> response) {
    }

    record Waiter(long deploymentId, String etag, DeferredResult<ResponseEntity<?>> result, ResponseEntity<?> unchanged) {
    }

    private final ConcurrentHashMap<Long, Set<Waiter>> waiting = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, AtomicLong> generations = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();
    private final ExecutorService waker = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "registry-watch-waker");
        thread.setDaemon(true);
        return thread;
    });
    private volatile LongFunction<Answer> answers;
    private volatile boolean running;

    Watches(MeterRegistry meters) {
        Gauge.builder("registry.watches.waiting", count, AtomicInteger::get)
                .description("requests waiting for a deployment's topology to change").register(meters);
    }

    /** How a deployment's answer is made (the controller's own, so that a woken waiter gets what a GET would). */
    void answeredBy(LongFunction<Answer> answers) {
        this.answers = answers;
    }

    /** The deployment's change count: read before computing an answer, passed to {@link #await}. */
    long generation(long deploymentId) {
        return generations.computeIfAbsent(deploymentId, id -> new AtomicLong()).get();
    }

    /** Registers a waiter; a change since {@code generation} was read wakes it at once. */
    void await(Waiter waiter, long generation) {
        if (!running) {
            waiter.result().setResult(waiter.unchanged());
            return;
        }
        Set<Waiter> set = waiting.computeIfAbsent(waiter.deploymentId(), id -> ConcurrentHashMap.newKeySet());
        set.add(waiter);
        count.incrementAndGet();
        waiter.result().onCompletion(() -> {
            if (set.remove(waiter)) {
                count.decrementAndGet();
            }
        });
        if (generation(waiter.deploymentId()) != generation) {
            changed(java.util.List.of(waiter.deploymentId()));
        }
    }

    /** These deployments' answers may have changed (here, or on another instance): wake their waiters. */
    void changed(Collection<Long> deploymentIds) {
        for (long id : deploymentIds) {
            generations.computeIfAbsent(id, key -> new AtomicLong()).incrementAndGet();
        }
        try {
            waker.execute(() -> deploymentIds.forEach(this::wake));
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // stopped: every waiter has been answered
        }
    }

    /** Every deployment may have changed: after a lost notification connection, say. */
    void changedAll() {
        changed(java.util.List.copyOf(waiting.keySet()));
    }

    int waiting() {
        return count.get();
    }

    private void wake(long deploymentId) {
        Set<Waiter> set = waiting.get(deploymentId);
        if (set == null || set.isEmpty()) {
            return;
        }
        Answer answer;
        try {
            answer = answers.apply(deploymentId);
        } catch (RuntimeException e) {
            log.warn("Cannot compute the answer of deployment {} for {} waiting requests; they wait on: {}", deploymentId,
                    set.size(), e.toString());
            return;
        }
        for (Waiter waiter : set) {
            if (!waiter.etag().equals(answer.etag())) {
                waiter.result().setResult(answer.response());
            }
        }
    }

    @Override
    public void start() {
        running = true;
    }

    /** Before the web server's graceful shutdown: every waiter gets its 304 now. */
    @Override
    public void stop() {
        running = false;
        for (Set<Waiter> set : waiting.values()) {
            for (Waiter waiter : set) {
                waiter.result().setResult(waiter.unchanged());
            }
        }
        waker.shutdown();
        try {
            waker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;     // stopped first, before the web server
    }
}

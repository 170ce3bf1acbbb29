package dev.backendrouter.benchmarks.registry;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** One simulated router: its ETag and the version it holds; it polls, or waits, and times each change it sees. */
final class Router {
    private final String base;
    private final HttpClient http;
    private final boolean waiting;
    private final Map<Integer, Long> changedAt;
    private final Queue<Long> delays;
    private final AtomicLong requests;
    private final AtomicLong failures;
    private final AtomicBoolean measuring;
    private final AtomicBoolean running;
    private final ScheduledExecutorService timers;
    private volatile String etag;
    private volatile int version;

    Router(String base, HttpClient http, String etag, int version, boolean waiting, Map<Integer, Long> changedAt, Queue<Long> delays,
            AtomicLong requests, AtomicLong failures, AtomicBoolean measuring, AtomicBoolean running, ScheduledExecutorService timers) {
        this.base = base;
        this.http = http;
        this.etag = etag;
        this.version = version;
        this.waiting = waiting;
        this.changedAt = changedAt;
        this.delays = delays;
        this.requests = requests;
        this.failures = failures;
        this.measuring = measuring;
        this.running = running;
        this.timers = timers;
    }

    void begin(Duration delay) {
        timers.schedule(this::ask, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void ask() {
        if (!running.get()) {
            return;
        }
        String path = "/api/backends/deployment/123/details" + (waiting ? "?wait=30s" : "");
        requests.incrementAndGet();
        long sent = System.nanoTime();
        http.sendAsync(RegistryWatchBenchmark.get(base, path).header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofString())
                .whenComplete((response, failure) -> {
                    if (failure != null || (response.statusCode() != 200 && response.statusCode() != 304)) {
                        if (running.get()) {
                            failures.incrementAndGet();
                        }
                    } else if (response.statusCode() == 200) {
                        seen(response);
                    }
                    next(sent);
                });
    }

    private void seen(HttpResponse<String> response) {
        long now = System.nanoTime();
        etag = response.headers().firstValue("ETag").orElse(etag);
        int seen = RegistryWatchBenchmark.version(response.body());
        if (measuring.get()) {
            for (int v = version + 1; v <= seen; v++) {     // a poll may bring several changes at once: each is timed
                Long at = changedAt.get(v);
                if (at != null) {
                    delays.add(now - at);
                }
            }
        }
        version = Math.max(version, seen);
    }

    private void next(long sent) {
        if (!running.get()) {
            return;
        }
        try {
            if (waiting) {
                ask();
            } else {
                long wait = RegistryWatchBenchmark.POLL_EVERY.toNanos() - (System.nanoTime() - sent);
                timers.schedule(this::ask, Math.max(0, wait), TimeUnit.NANOSECONDS);
            }
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            // the leg is over
        }
    }
}

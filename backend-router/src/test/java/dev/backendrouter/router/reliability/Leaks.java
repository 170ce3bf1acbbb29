package dev.backendrouter.router.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;

/**
 * What a router must not leave behind: connections in use after every response was closed, and
 * threads after {@code close()}. OkHttp releases connections and ends threads asynchronously, so
 * both are polled for a bounded while; only a leak that outlasts it fails.
 */
final class Leaks {
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);
    /**
     * Threads that are not the router's: the test's servers (Jetty's {@code qtp}, WireMock's,
     * the JDK server's), the test's own pools ({@code test-}), and the JVM-wide ones that every
     * OkHttp client shares (its task runner, Okio's watchdog) and that idle out on their own.
     */
    private static final List<String> FOREIGN = List.of("qtp", "WireMock", "Jetty", "Scheduler-", "Connector-Scheduler", "HTTP-Dispatcher",
            "test-", "Okio Watchdog", "OkHttp TaskRunner", "ForkJoinPool.commonPool", "Common-Cleaner", "Attach Listener",
            "process reaper", "junit-");

    private Leaks() {
    }

    /** The threads alive now. */
    static Set<Thread> threads() {
        return Set.copyOf(Thread.getAllStackTraces().keySet());
    }

    /**
     * Waits until every connection of the client's pool is idle again.
     *
     * @return the connections still in use after the wait (0 when none leaked)
     */
    static int connectionsInUse(OkHttpClient client) {
        ConnectionPool pool = client.connectionPool();
        long until = System.nanoTime() + WAIT_NANOS;
        while (pool.connectionCount() != pool.idleConnectionCount() && System.nanoTime() < until) {
            pause();
        }
        return pool.connectionCount() - pool.idleConnectionCount();
    }

    /** Asserts that the client's connections are all idle (after a bounded wait). */
    static void assertPoolIdle(OkHttpClient client) {
        assertThat(connectionsInUse(client)).as("connections still in use after every response was closed").isZero();
    }

    /**
     * Waits until no thread started since {@code before} is left, but the test's and the JVM-wide
     * ones.
     *
     * @return the names of the threads left after the wait
     */
    static List<String> threadsLeft(Set<Thread> before) {
        long until = System.nanoTime() + WAIT_NANOS;
        List<String> left = newThreads(before);
        while (!left.isEmpty() && System.nanoTime() < until) {
            pause();
            left = newThreads(before);
        }
        return left;
    }

    /** Asserts that nothing the router started outlives it (after a bounded wait). */
    static void assertNoThreadLeft(Set<Thread> before) {
        assertThat(threadsLeft(before)).as("threads left after close()").isEmpty();
    }

    private static List<String> newThreads(Set<Thread> before) {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> !before.contains(e.getKey()) && e.getKey().isAlive())
                .filter(e -> !foreign(e.getKey().getName(), e.getValue()))
                .map(e -> e.getKey().getName() + " (" + e.getKey().getState() + ")")
                .sorted()
                .toList();
    }

    /** A test's or JVM-wide thread; OkHttp's shared task runner renames its threads while they run a task. */
    private static boolean foreign(String name, StackTraceElement[] stack) {
        return FOREIGN.stream().anyMatch(name::startsWith)
                || Arrays.stream(stack).anyMatch(frame -> frame.getClassName().startsWith("okhttp3.internal.concurrent.TaskRunner"));
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for connections or threads", e);
        }
    }
}

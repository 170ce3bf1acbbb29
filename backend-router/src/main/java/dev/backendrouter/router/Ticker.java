package dev.backendrouter.router;

/**
 * A source of monotonic nanoseconds for latencies, deadlines, breaker waits and retry backoff,
 * and the way the router waits between retries. Tests pass a fake one to the router's builder
 * to control time without sleeping.
 *
 * <pre>{@code
 * AtomicLong now = new AtomicLong();
 * BackendRouter router = BackendRouter.builder().topology(source).ticker(now::get).build();
 * now.addAndGet(Duration.ofSeconds(2).toNanos());   // two seconds pass
 * }</pre>
 *
 * A ticker made from a lambda sleeps for real; override {@link #sleep(long)} to make a fake one
 * advance its own time instead.
 */
@FunctionalInterface
public interface Ticker {

    /** Nanoseconds from an arbitrary origin; only differences matter. */
    long nanoTime();

    /** Waits {@code nanos} before a retry. */
    default void sleep(long nanos) throws InterruptedException {
        java.util.concurrent.TimeUnit.NANOSECONDS.sleep(nanos);
    }

    /** {@link System#nanoTime()}. */
    static Ticker system() {
        return System::nanoTime;
    }
}

package dev.backendrouter.router;

/**
 * A source of monotonic nanoseconds for latencies and deadlines. Tests pass a fake one to the
 * router's builder to control time without sleeping.
 *
 * <pre>{@code
 * AtomicLong now = new AtomicLong();
 * BackendRouter router = BackendRouter.builder().topology(source).ticker(now::get).build();
 * now.addAndGet(Duration.ofSeconds(2).toNanos());   // two seconds pass
 * }</pre>
 */
@FunctionalInterface
public interface Ticker {

    /** Nanoseconds from an arbitrary origin; only differences matter. */
    long nanoTime();

    /** {@link System#nanoTime()}. */
    static Ticker system() {
        return System::nanoTime;
    }
}

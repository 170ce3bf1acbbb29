package dev.backendrouter.api;

import java.time.Duration;

/**
 * Timeouts of one member that override the router's defaults. A {@code null} field means "use the
 * router's default".
 *
 * <pre>{@code
 * new MemberTimeouts(Duration.ofMillis(200), Duration.ofSeconds(2))   // connect, per attempt
 * }</pre>
 *
 * @param connect how long to wait for a connection to the member
 * @param attempt how long one attempt on the member may take, from sending to the last byte
 */
public record MemberTimeouts(Duration connect, Duration attempt) {
    /** No override: the router's defaults apply. */
    public static final MemberTimeouts DEFAULTS = new MemberTimeouts(null, null);

    /** Whether neither timeout is overridden. */
    public boolean isDefault() {
        return connect == null && attempt == null;
    }
}

package dev.backendrouter.router.internal.routing;

import java.io.IOException;

/**
 * A member's redirect the router would not follow: it leaves a member that has TLS settings of
 * its own for a host whose own trust and pins do not apply. Like a refused certificate, it is
 * final for that member within the call: asking again would meet the same redirect.
 */
public final class RedirectRefusedException extends IOException {
    public RedirectRefusedException(String message) {
        super(message);
    }

    public RedirectRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.backendrouter.router.internal.routing;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

/** Classifies and describes attempt failures, with a hint of what to check. */
public final class Failures {
    private Failures() {
    }

    /** Whether the failure shows the request never reached the backend. */
    public static boolean neverReached(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException || t instanceof NoRouteToHostException || t instanceof UnknownHostException) {
                return true;
            }
        }
        return false;
    }

    /** One line: what happened on which member, and what to check. */
    public static String describe(Throwable failure, MemberRef member) {
        if (failure instanceof dev.backendrouter.api.NotFoundException) {
            return "not found";
        }
        String where = member.name() + " (" + member.member().url() + ")";
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException) {
                return "connection refused by " + where + ": is it running, and is the URL right?";
            }
            if (t instanceof UnknownHostException) {
                return "unknown host for " + where + ": check the URL or its environment variable";
            }
            if (t instanceof NoRouteToHostException) {
                return "no route to " + where + ": check the network path";
            }
            if (t instanceof SocketTimeoutException || t instanceof InterruptedIOException && "timeout".equals(t.getMessage())) {
                return "timed out waiting for " + where + ": is it overloaded?";
            }
        }
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message) + " from " + where;
    }
}

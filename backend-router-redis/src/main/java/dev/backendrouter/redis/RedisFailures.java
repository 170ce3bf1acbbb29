package dev.backendrouter.redis;

import dev.backendrouter.api.internal.Texts;
import dev.backendrouter.router.spi.CacheEndpoint;
import java.net.ConnectException;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLException;

/** Lettuce's failures as messages that say which member, what happened and what to check. */
final class RedisFailures {
    private RedisFailures() {
    }

    /** A failure to hand to the router: its message names the member and has a hint. */
    static CompletionException explain(Throwable failure, String shown, CacheEndpoint endpoint) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof CacheFailure) {
            return new CompletionException(cause);
        }
        return new CompletionException(new CacheFailure(describe(cause, shown, endpoint), cause));
    }

    private static String describe(Throwable cause, String shown, CacheEndpoint endpoint) {
        String text = messages(cause);
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.contains("wrongpass") || lower.contains("noauth") || lower.contains("invalid password")
                || lower.contains("invalid username-password")) {
            return shown + " refused the credentials (" + Texts.printable(firstLine(text), 160) + "): check the member's "
                    + "auth.password (and username), or the credentials in its URL";
        }
        if (has(cause, SSLException.class) || lower.contains("certificate") || lower.contains("handshake")) {
            Throwable tls = find(cause, SSLException.class);
            String why = tls != null && tls.getMessage() != null ? tls.getMessage() : firstLine(text);
            return "TLS with " + shown + " failed (" + Texts.printable(firstLine(why), 120) + "): is its certificate "
                    + "for this host name and signed by a CA in tls.trustedCertificates or tls.trustStore?";
        }
        if (has(cause, ConnectException.class) || lower.contains("connection refused")) {
            return "cannot connect to " + shown + ": connection refused: is Redis running there?";
        }
        if (lower.contains("not connected") || lower.contains("connection closed") || lower.contains("reset by peer")) {
            return "not connected to " + shown + " (" + Texts.printable(firstLine(text), 160) + "): it reconnects in the "
                    + "background; is Redis up?";
        }
        if (lower.contains("timed out") || lower.contains("timeout")) {
            return shown + " did not answer within " + endpoint.timeout().toMillis() + " ms: is it overloaded, "
                    + "or give the member a larger timeouts.attempt";
        }
        return shown + ": " + Texts.printable(firstLine(text), 200);
    }

    private static boolean has(Throwable failure, Class<? extends Throwable> type) {
        return find(failure, type) != null;
    }

    private static Throwable find(Throwable failure, Class<? extends Throwable> type) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 16; t = t.getCause() == t ? null : t.getCause(), depth++) {
            if (type.isInstance(t)) {
                return t;
            }
        }
        return null;
    }

    private static String messages(Throwable failure) {
        StringBuilder all = new StringBuilder();
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 8; t = t.getCause() == t ? null : t.getCause(), depth++) {
            if (t.getMessage() != null) {
                all.append(all.length() == 0 ? "" : ": ").append(t.getMessage());
            }
        }
        return all.length() == 0 ? failure.getClass().getSimpleName() : all.toString();
    }

    private static String firstLine(String text) {
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }

    /** A cache operation's failure, already explained. */
    static final class CacheFailure extends RuntimeException {
        CacheFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }
}

package dev.backendrouter.router.internal.routing;

import dev.backendrouter.api.internal.Texts;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;

/** Classifies and describes attempt failures, with a hint of what to check. */
public final class Failures {
    private Failures() {
    }

    /**
     * Whether the failure shows the request never reached the backend. A refused certificate is
     * such a failure: OkHttp verifies the chain, the host name and the pins before it sends a byte
     * of the request.
     */
    public static boolean neverReached(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException || t instanceof NoRouteToHostException || t instanceof UnknownHostException
                    || t instanceof SSLHandshakeException || t instanceof SSLPeerUnverifiedException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the member's certificate was refused (not trusted, expired, another host's, no pin
     * matching), or its redirect refused for leaving its trust and pins: final for that member
     * within the call, since trying it again meets the same certificate or redirect; other members
     * may still be tried.
     */
    public static boolean certificateRefused(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RedirectRefusedException || t instanceof SSLPeerUnverifiedException
                    || t instanceof SSLHandshakeException && causedBy(t, CertificateException.class)) {
                return true;
            }
        }
        return false;
    }

    /**
     * One line: what happened and what to check. It is shown after the member's name and URL
     * ({@code fs-1 (http://h:4001): connection refused: is it running, and is the URL right?}).
     */
    public static String describe(Throwable failure, MemberRef member) {
        if (failure instanceof dev.backendrouter.api.NotFoundException) {
            return "not found";
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RedirectRefusedException) {
                return oneLine(t);
            }
            if (t instanceof ConnectException) {
                return "connection refused: is " + member.name() + " running, and is the URL right?";
            }
            if (t instanceof UnknownHostException) {
                return "unknown host: check the URL of " + member.name() + " or its environment variable";
            }
            if (t instanceof NoRouteToHostException) {
                return "no route to the host: check the network path to " + member.name();
            }
            if (t instanceof SSLPeerUnverifiedException
                    || t instanceof SSLHandshakeException && causedBy(t, CertificateException.class)) {
                return certificateProblem(t);
            }
            if (t instanceof SSLException) {
                return "TLS failed (" + oneLine(t) + "): does " + member.name() + " serve https on this port, "
                        + "with a protocol and cipher suite this JVM accepts?";
            }
            if (t instanceof SocketTimeoutException || t instanceof InterruptedIOException && "timeout".equals(t.getMessage())) {
                return "timed out: is " + member.name() + " overloaded? (attempt timeouts: the router's attemptTimeout, "
                        + "or the member's timeouts.attempt)";
            }
        }
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null ? "" : ": " + Texts.printable(message, 1_000));
    }

    private static String certificateProblem(Throwable tls) {
        String what;
        String message = oneLine(tls);
        if (message.startsWith("Certificate pinning failure")) {
            what = "no key of its certificate chain matches tls.pins (" + chainPins(tls.getMessage(), message) + ")";
        } else if (message.startsWith("Hostname ")) {
            what = "the certificate does not name the URL's host (" + message + ")";
        } else if (causedBy(tls, CertificateExpiredException.class)) {
            what = "the certificate has expired (" + message + ")";
        } else if (causedBy(tls, CertificateNotYetValidException.class)) {
            what = "the certificate is not valid yet (" + message + ")";
        } else {
            what = "the certificate is not trusted (" + message + ")";
        }
        return "TLS certificate problem: " + what + ": trust its CA with tls.trustedCertificates or tls.trustStore, "
                + "or fix its certificate or tls.pins";
    }

    /** The chain's pins from OkHttp's pinning failure, one line each there: {@code sha256/...: CN=...}. */
    private static String chainPins(String raw, String flattened) {
        List<String> chain = new ArrayList<>();
        boolean inChain = false;
        for (String line : raw.split("\n")) {
            String text = line.trim();
            if (text.startsWith("Peer certificate chain")) {
                inChain = true;
            } else if (text.startsWith("Pinned certificates")) {
                inChain = false;
            } else if (inChain && text.startsWith("sha256/")) {
                chain.add(Texts.printable(text, 200));
            }
        }
        return chain.isEmpty() ? flattened : "the chain's pins: " + String.join(", ", chain);
    }

    /** The message on one line, escaped: certificate names come from the backend. */
    private static String oneLine(Throwable failure) {
        return failure.getMessage() == null ? failure.getClass().getSimpleName()
                : Texts.printable(failure.getMessage().replaceAll("\\s+", " ").trim(), 1_000);
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}

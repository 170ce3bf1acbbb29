package dev.backendrouter.router.internal.routing;

/** What a breaker records for a failed attempt that got a response (a 503, a POST's 500) rather than an exception. */
final class FailedResponse extends Exception {
    private static final long serialVersionUID = 1L;
    static final FailedResponse INSTANCE = new FailedResponse();

    private FailedResponse() {
        super("the backend answered with a server error", null, false, false);
    }
}

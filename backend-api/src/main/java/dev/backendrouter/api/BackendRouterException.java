package dev.backendrouter.api;

/**
 * The root of every exception Backend Router throws. All are unchecked.
 *
 * <pre>{@code
 * try {
 *     router.group("users").read(RoutingKey.of(name), member -> dao(member).find(name));
 * } catch (BackendRouterException e) {
 *     log.warn("user lookup failed: {}", e.getMessage()); // says which backend, which URL, what to check
 * }
 * }</pre>
 */
public class BackendRouterException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BackendRouterException(String message) {
        super(message);
    }

    public BackendRouterException(String message, Throwable cause) {
        super(message, cause);
    }
}

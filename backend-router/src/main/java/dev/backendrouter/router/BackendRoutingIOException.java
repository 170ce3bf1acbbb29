package dev.backendrouter.router;

import dev.backendrouter.api.BackendRouterException;
import java.io.IOException;

/**
 * What a routed OkHttp call throws when no attempt got a response (every member refused, or the
 * call could not be routed at all). The cause is the router's exception, which names every
 * member and what happened to it.
 *
 * <pre>{@code
 * try (Response response = http.newCall(request).execute()) {
 *     ...
 * } catch (BackendRoutingIOException e) {
 *     if (e.getCause() instanceof MissingRoutingKeyException) { ... }
 * }
 * }</pre>
 */
public class BackendRoutingIOException extends IOException {
    private static final long serialVersionUID = 1L;

    public BackendRoutingIOException(BackendRouterException cause) {
        super(cause.getMessage(), cause);
    }

    /** The router's exception: why the call could not be served. */
    public BackendRouterException routerException() {
        return (BackendRouterException) getCause();
    }
}

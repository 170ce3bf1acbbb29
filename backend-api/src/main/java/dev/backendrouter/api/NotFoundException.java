package dev.backendrouter.api;

/**
 * Thrown by a member call to say "this backend has no such item", the generic form of an HTTP
 * 404. A not-found answer moves a read on to the next tier and, once every hot tier has said
 * so, to the ARCHIVE tier. When no tier has the item, the caller gets this exception back.
 *
 * <pre>{@code
 * User user = router.group("users").read(key, member -> {
 *     User found = dao(member).find(key.value());
 *     if (found == null) {
 *         throw new NotFoundException("user " + key);
 *     }
 *     return found;
 * });
 * }</pre>
 */
public class NotFoundException extends BackendRouterException {
    private static final long serialVersionUID = 1L;

    public NotFoundException(String message) {
        super(message);
    }
}

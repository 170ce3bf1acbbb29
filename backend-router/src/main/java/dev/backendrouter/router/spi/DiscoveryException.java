package dev.backendrouter.router.spi;

/** A target that cannot be followed, with the field of the member's {@code kubernetes} block at fault. */
public class DiscoveryException extends RuntimeException {
    private final String field;

    /**
     * @param field {@code service}, {@code namespace} or {@code port}; {@code null} when no one field is at fault
     * @param message what happened and what to check
     */
    public DiscoveryException(String field, String message, Throwable cause) {
        super(message, cause);
        this.field = field;
    }

    public DiscoveryException(String field, String message) {
        this(field, message, null);
    }

    public String field() {
        return field;
    }
}

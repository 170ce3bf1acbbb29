package dev.backendrouter.api;

/**
 * A call to a sharded group carried no routing key, so no shard could be chosen. Thrown before
 * any I/O.
 *
 * <p>Pass a key: {@code group.read(RoutingKey.of("alice"), ...)}, or over HTTP an
 * {@code X-Routing-Key} header or a {@link RoutingKey} request tag.
 */
public class MissingRoutingKeyException extends BackendRouterException {
    private static final long serialVersionUID = 1L;

    private final String group;

    public MissingRoutingKeyException(String group) {
        super("Group '" + group + "' is sharded: the call needs a routing key (RoutingKey.of(...) "
                + "in the generic API, or an X-Routing-Key header / RoutingKey tag over HTTP)");
        this.group = group;
    }

    /** The sharded group that was called. */
    public String group() {
        return group;
    }
}

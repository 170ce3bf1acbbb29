package dev.backendrouter.router.spi;

import java.util.List;

/** The current endpoints of one {@link DiscoveryTarget}, kept up to date until closed. */
public interface EndpointWatch extends AutoCloseable {

    /** The endpoints now: an immutable list, replaced whole on each change. */
    List<DiscoveredEndpoint> endpoints();

    /** Whether changes are heard now; while not, {@link #endpoints()} are the last ones known. */
    boolean connected();

    /** Why the watch is not connected, for events and logs; {@code null} while it is. */
    String problem();

    /** Where the first list came from when it was not the source itself (a last-known-good file), else {@code null}. */
    default String startedFrom() {
        return null;
    }

    @Override
    void close();
}

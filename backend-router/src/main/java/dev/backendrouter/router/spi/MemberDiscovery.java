package dev.backendrouter.router.spi;

import java.util.Set;

/**
 * Fills a tier whose member URL names a set of endpoints — {@code kubernetes://} for the endpoints
 * of a Kubernetes Service — instead of one backend. Found with {@link java.util.ServiceLoader} (the
 * module {@code backend-router-kubernetes} registers one), or given to
 * {@code BackendRouterBuilder.memberDiscovery}. The router asks for one watch per distinct URL and
 * keeps it while a topology names it; it builds one new routing snapshot after each change.
 */
public interface MemberDiscovery extends AutoCloseable {

    /** The URL schemes it serves, such as {@code kubernetes}. */
    Set<String> schemes();

    /**
     * Starts following the endpoints of {@code target}, and returns once it has a first list.
     *
     * @param onChange called, from any thread, after the endpoints or the watch's connection changed
     * @throws DiscoveryException when no first list can be had (the API server unreachable, no such
     *     Service, an unknown port name), naming the target's field at fault
     */
    EndpointWatch watch(DiscoveryTarget target, Runnable onChange);

    /** Stops everything it started; the router calls it on {@code close()}. */
    @Override
    default void close() {
    }
}

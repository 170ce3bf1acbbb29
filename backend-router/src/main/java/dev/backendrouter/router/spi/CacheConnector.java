package dev.backendrouter.router.spi;

import java.util.Set;

/**
 * Serves CACHE members whose URL has one of its {@link #schemes()}: an integration module's
 * entry point. Found with {@link java.util.ServiceLoader} (a
 * {@code META-INF/services/dev.backendrouter.router.spi.CacheConnector} file in the module's jar),
 * or given to {@link dev.backendrouter.router.BackendRouterBuilder#cacheConnector}. Without one,
 * a member with such a URL is a topology problem naming the module to add.
 *
 * <pre>{@code
 * // a connector of your own for redis:// members (another client library, say)
 * public final class JedisConnector implements CacheConnector {
 *     public Set<String> schemes() {
 *         return Set.of("redis");
 *     }
 *     public CacheConnection open(CacheEndpoint endpoint) {
 *         return new JedisConnection(endpoint);         // connects in the background
 *     }
 * }
 * BackendRouter.builder().topology(source).cacheConnector(new JedisConnector()).build();
 * }</pre>
 *
 * The schemes a topology may give a CACHE member are {@link dev.backendrouter.api.BackendMember#CACHE_SCHEMES}.
 * Each router loads connectors of its own. Implementations are thread-safe; the router opens one connection per distinct cache backend and
 * closes it when the backend leaves the topology or the router closes.
 */
public interface CacheConnector extends AutoCloseable {

    /** The URL schemes served, in lower case ({@code redis}, {@code rediss}). */
    Set<String> schemes();

    /**
     * A connection to one cache backend. Must not wait for the network: connect in the background,
     * and fail the operations (quickly) until connected.
     */
    CacheConnection open(CacheEndpoint endpoint);

    /** Releases what the connector shares between its connections (threads, say); called once, after they are closed. */
    @Override
    default void close() {
    }
}

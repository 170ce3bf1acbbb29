package dev.backendrouter.router.internal.routing;

import dev.backendrouter.api.BackendAuth;
import dev.backendrouter.api.BackendMember;
import dev.backendrouter.api.Problem;
import dev.backendrouter.api.internal.Texts;
import dev.backendrouter.router.internal.tls.TlsMaterial;
import dev.backendrouter.router.spi.CacheConnection;
import dev.backendrouter.router.spi.CacheConnector;
import dev.backendrouter.router.spi.CacheEndpoint;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connectors that serve non-HTTP cache members, by URL scheme, and one open connection per
 * distinct cache backend (URL, credentials, TLS and timeouts), kept across routing tables like
 * member states and closed when no table names it.
 */
public final class CacheConnections implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CacheConnections.class);
    /** The module that serves each known scheme, for the message when it is missing. */
    private static final Map<String, String> MODULES = Map.of(
            "redis", "dev.backendrouter:backend-router-redis",
            "rediss", "dev.backendrouter:backend-router-redis",
            "redis-sentinel", "dev.backendrouter:backend-router-redis");
    /** Redis answers in well under a millisecond on a LAN: a cache slower than this is a miss. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(50);
    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(1);

    private final Map<String, CacheConnector> connectors;
    /** Every connector this router loaded or was given: it closes them all. */
    private final List<CacheConnector> loaded;
    private final Duration timeout;
    private final ConcurrentMap<Key, CacheConnection> open = new ConcurrentHashMap<>();

    private record Key(String url, BackendAuth auth, Object tls, Duration timeout, Duration connectTimeout) {
    }

    /**
     * @param explicit connectors given to the builder; they win over those found on the class path
     * @param timeout how long a cache operation may take unless the member sets {@code timeouts.attempt};
     *     {@code null} for {@link #DEFAULT_TIMEOUT}
     */
    public CacheConnections(List<CacheConnector> explicit, Duration timeout) {
        Map<String, CacheConnector> byScheme = new HashMap<>();
        List<CacheConnector> loaded = new java.util.ArrayList<>();
        for (CacheConnector connector : ServiceLoader.load(CacheConnector.class, CacheConnections.class.getClassLoader())) {
            loaded.add(connector);
            connector.schemes().forEach(scheme -> byScheme.putIfAbsent(scheme.toLowerCase(Locale.ROOT), connector));
        }
        for (CacheConnector connector : explicit) {
            loaded.add(connector);
            connector.schemes().forEach(scheme -> byScheme.put(scheme.toLowerCase(Locale.ROOT), connector));
        }
        this.connectors = Map.copyOf(byScheme);
        this.loaded = List.copyOf(loaded);
        this.timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    }

    /** The connection of a cache member, opened now when no earlier table has one; {@code null} with a problem added when no connector serves its scheme. */
    CacheConnection connection(BackendMember member, TlsMaterial tls, String path, List<Problem> problems) {
        String scheme = member.url().getScheme().toLowerCase(Locale.ROOT);
        CacheConnector connector = connectors.get(scheme);
        if (connector == null) {
            String module = MODULES.get(scheme);
            problems.add(new Problem(path + ".url", "cache member " + Texts.printable(member.name()) + " ("
                    + Texts.printable(Texts.redacted(member.url())) + ") needs "
                    + (module == null ? "a CacheConnector for '" + scheme + "'" : "the module " + module)
                    + " on the class path: add that dependency, or give the member an http(s) URL"));
            return null;
        }
        Duration operations = member.timeouts().attempt() != null ? member.timeouts().attempt() : timeout;
        Duration connect = member.timeouts().connect() != null ? member.timeouts().connect() : DEFAULT_CONNECT_TIMEOUT;
        Key key = new Key(RoutingTable.stateKey(member), member.auth(), tls, operations, connect);
        try {
            return open.computeIfAbsent(key, k -> connector.open(new CacheEndpoint(member.name(), member.url(), member.auth(),
                    tls == null ? null : tls.trustManager(), operations, connect)));
        } catch (RuntimeException e) {
            problems.add(new Problem(path + ".url", "the cache connector (" + connector + ") cannot use "
                    + Texts.printable(Texts.redacted(member.url())) + ": " + Texts.printable(String.valueOf(e.getMessage()), 200)));
            return null;
        }
    }

    /** Closes the connections {@code table} no longer uses; calls under way on them end as misses. */
    public void retain(RoutingTable table) {
        Set<CacheConnection> used = new HashSet<>();
        table.members().forEach(member -> {
            if (member.cache() != null) {
                used.add(member.cache());
            }
        });
        open.values().removeIf(connection -> {
            boolean gone = !used.contains(connection);
            if (gone) {
                closeQuietly(connection);
            }
            return gone;
        });
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.debug("Closing a cache connection failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        open.values().forEach(CacheConnections::closeQuietly);
        open.clear();
        loaded.forEach(CacheConnections::closeQuietly);
    }
}

package dev.backendrouter.router.internal.routing;

import dev.backendrouter.api.BackendMember;
import dev.backendrouter.router.internal.tls.TlsMaterial;
import dev.backendrouter.router.spi.CacheConnection;
import okhttp3.HttpUrl;

/**
 * A member as the routing table holds it: its definition, its shared live state, its base URL
 * parsed once for the HTTP front door (or its cache connection), and its TLS material when it has
 * TLS settings of its own.
 */
public final class MemberRef {
    private final BackendMember member;
    private final MemberState state;
    private final HttpUrl httpBase;
    private final TlsMaterial tls;
    private final CacheConnection cache;
    private final boolean lastResort;

    MemberRef(BackendMember member, MemberState state, HttpUrl httpBase, TlsMaterial tls, CacheConnection cache) {
        this(member, state, httpBase, tls, cache, false);
    }

    MemberRef(BackendMember member, MemberState state, HttpUrl httpBase, TlsMaterial tls, CacheConnection cache, boolean lastResort) {
        this.member = member;
        this.state = state;
        this.httpBase = httpBase;
        this.tls = tls;
        this.cache = cache;
        this.lastResort = lastResort;
    }

    /** A discovered endpoint that only still serves (a terminating pod): its plans try it after every other member. */
    public boolean lastResort() {
        return lastResort;
    }

    public BackendMember member() {
        return member;
    }

    public MemberState state() {
        return state;
    }

    /**
     * The connection of a cache member served by a {@link dev.backendrouter.router.spi.CacheConnector}
     * ({@code redis://}), or {@code null} for an HTTP member.
     */
    public CacheConnection cache() {
        return cache;
    }

    /** The base URL of an HTTP member; {@code null} for a member with a {@link #cache()} connection. */
    public HttpUrl httpBase() {
        return httpBase;
    }

    /** How to verify this member, or {@code null} for the client's own way (the member has no tls settings). */
    public TlsMaterial tls() {
        return tls;
    }

    public String name() {
        return member.name();
    }

    @Override
    public String toString() {
        return member.name() + " (" + member.url() + ")";
    }
}

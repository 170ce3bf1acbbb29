package dev.backendrouter.router.internal.routing;

import dev.backendrouter.api.BackendMember;
import okhttp3.HttpUrl;

/**
 * A member as the routing table holds it: its definition, its shared live state, and its base
 * URL parsed once for the HTTP front door.
 */
public final class MemberRef {
    private final BackendMember member;
    private final MemberState state;
    private final HttpUrl httpBase;

    MemberRef(BackendMember member, MemberState state) {
        this.member = member;
        this.state = state;
        this.httpBase = HttpUrl.get(member.url().toString());
    }

    public BackendMember member() {
        return member;
    }

    public MemberState state() {
        return state;
    }

    public HttpUrl httpBase() {
        return httpBase;
    }

    public String name() {
        return member.name();
    }

    @Override
    public String toString() {
        return member.name() + " (" + member.url() + ")";
    }
}

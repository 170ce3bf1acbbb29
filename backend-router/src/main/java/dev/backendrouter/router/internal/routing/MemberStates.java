package dev.backendrouter.router.internal.routing;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** One {@link MemberState} per distinct backend URL, kept across routing tables. */
public final class MemberStates {
    private final ConcurrentMap<String, MemberState> byUrl = new ConcurrentHashMap<>();

    public MemberState forUrl(String url) {
        return byUrl.computeIfAbsent(url, MemberState::new);
    }

    public int size() {
        return byUrl.size();
    }
}

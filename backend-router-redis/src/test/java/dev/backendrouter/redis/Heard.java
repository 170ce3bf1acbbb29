package dev.backendrouter.redis;

import dev.backendrouter.api.BackendMember;
import dev.backendrouter.router.RouterListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** What a router told its listeners about its cache members and breakers, as lines. */
final class Heard implements RouterListener {
    final List<String> failures = new CopyOnWriteArrayList<>();
    final List<String> reads = new CopyOnWriteArrayList<>();
    final List<String> breakers = new CopyOnWriteArrayList<>();
    final List<String> health = new CopyOnWriteArrayList<>();

    @Override
    public void cacheFailed(String group, BackendMember member, String operation, String reason) {
        failures.add(group + " " + member.name() + " " + operation + ": " + reason);
    }

    @Override
    public void cacheMemberRead(String group, BackendMember member, String result, Duration duration) {
        reads.add(member.name() + " " + result);
    }

    @Override
    public void breakerStateChanged(String backend, String from, String to) {
        breakers.add(backend + " " + from + "->" + to);
    }

    @Override
    public void healthChanged(String backend, dev.backendrouter.router.MemberHealth from, dev.backendrouter.router.MemberHealth to) {
        health.add(backend + " " + to);
    }

    long reads(String result) {
        return reads.stream().filter(line -> line.endsWith(" " + result)).count();
    }
}

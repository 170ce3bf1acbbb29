package dev.backendrouter.router.internal.health;

import dev.backendrouter.api.BackendAuth;
import dev.backendrouter.router.HealthCheckSettings;
import dev.backendrouter.router.MemberHealth;
import dev.backendrouter.router.internal.routing.MemberRef;
import dev.backendrouter.router.internal.routing.MemberState;
import java.io.IOException;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Probes one backend — {@code GET {url}/health}, or a cache connection's ping ({@code PING} for
 * Redis) — and moves its health by the thresholds.
 * One per distinct URL; probes of one backend never overlap.
 */
final class HealthProbe {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private volatile MemberRef member;
    private final HealthCheckSettings settings;
    private final dev.backendrouter.router.internal.routing.Events events;
    private int failuresInARow;
    private int successesInARow;

    HealthProbe(MemberRef member, HealthCheckSettings settings, dev.backendrouter.router.internal.routing.Events events) {
        this.member = member;
        this.settings = settings;
        this.events = events;
    }

    /** Probes with this member's definition from now on (its credentials may have changed in a reload). */
    void member(MemberRef member) {
        this.member = member;
    }

    MemberState state() {
        return member.state();
    }

    /** One probe; returns the health it leaves the backend in. Never throws: a failure of any kind is a failed probe. */
    synchronized MemberHealth probe(OkHttpClient client) {
        MemberHealth reported = ask(client);
        MemberState state = member.state();
        MemberHealth before = state.health();
        if (reported == MemberHealth.UNHEALTHY) {
            successesInARow = 0;
            if (++failuresInARow >= settings.unhealthyAfter()) {
                state.health(MemberHealth.UNHEALTHY);
            }
        } else {
            failuresInARow = 0;
            successesInARow++;
            if (state.health() != MemberHealth.UNHEALTHY || successesInARow >= settings.healthyAfter()) {
                state.health(reported);
            }
        }
        if (state.health() != before) {
            events.healthChanged(member.name(), before, state.health());
        }
        state.noticeBreakerState();
        return state.health();
    }

    /** What the backend says: HEALTHY, DEGRADED, or UNHEALTHY for a failure of any kind. */
    private MemberHealth ask(OkHttpClient client) {
        if (member.cache() != null) {
            try {
                member.cache().ping().toCompletableFuture().get(settings.timeout().toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
                return MemberHealth.HEALTHY;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return MemberHealth.UNHEALTHY;
            } catch (Exception e) {
                return MemberHealth.UNHEALTHY;
            }
        }
        HttpUrl base = member.httpBase();
        String basePath = base.encodedPath().endsWith("/") ? base.encodedPath().substring(0, base.encodedPath().length() - 1)
                : base.encodedPath();
        Request.Builder request = new Request.Builder().url(base.newBuilder().encodedPath(basePath + settings.path()).build())
                .header("User-Agent", "backend-router-health");
        BackendAuth auth = member.member().auth();
        if (auth.headerName() != null) {
            request.header(auth.headerName(), auth.headerValue().reveal());
        }
        OkHttpClient verifying = member.tls() == null ? client : member.tls().client(client);
        try (Response response = verifying.newCall(request.build()).execute()) {
            if (!response.isSuccessful()) {
                return MemberHealth.UNHEALTHY;
            }
            return statusIn(response.peekBody(16 * 1024).string());
        } catch (IOException | RuntimeException e) {
            return MemberHealth.UNHEALTHY;
        }
    }

    /** The body's {@code status}; a body without one (or not JSON) counts as healthy. */
    static MemberHealth statusIn(String body) {
        try {
            JsonNode status = JSON.readTree(body).path("status");
            return switch (status.asString("healthy").toLowerCase(java.util.Locale.ROOT)) {
                case "degraded" -> MemberHealth.DEGRADED;
                case "unhealthy", "down", "fail" -> MemberHealth.UNHEALTHY;
                default -> MemberHealth.HEALTHY;
            };
        } catch (JacksonException e) {
            return MemberHealth.HEALTHY;
        }
    }
}

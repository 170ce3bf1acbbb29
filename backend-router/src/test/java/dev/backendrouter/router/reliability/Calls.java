package dev.backendrouter.router.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backendrouter.api.BackendCallException;
import dev.backendrouter.api.BackendMember;
import dev.backendrouter.api.NotFoundException;
import dev.backendrouter.api.RoutingKey;
import dev.backendrouter.router.BackendRoutingIOException;
import dev.backendrouter.router.MemberCall;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.Call;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Calls through both front doors, each ended as one line: {@code "200 alpha"} (status and body),
 * {@code "broken 200"} (a streamed body that broke after the status line: the caller's read
 * throws, as documented), {@code "failed NoBackendAvailableException"} (the router's exception,
 * over HTTP the cause of a {@code BackendRoutingIOException}), {@code "not found"}, or
 * {@code "undocumented ..."} for anything the docs do not promise.
 */
final class Calls {
    private static final MediaType JSON = MediaType.get("application/json");
    /** The router's exceptions a caller is told to expect (docs/routing.md, docs/resilience.md). */
    private static final List<String> DOCUMENTED = List.of("failed NoBackendAvailableException",
            "failed DeadlineExceededException", "failed BackendCallException", "not found");

    private Calls() {
    }

    static Request get(String group, String path, String routingKey) {
        Request.Builder request = new Request.Builder().url("http://" + group + path);
        return (routingKey == null ? request : request.tag(RoutingKey.class, RoutingKey.of(routingKey))).build();
    }

    static Request post(String group, String path, String routingKey) {
        return withKey(new Request.Builder().url("http://" + group + path).post(RequestBody.create("{}", JSON)), routingKey);
    }

    static Request put(String group, String path, String routingKey) {
        return withKey(new Request.Builder().url("http://" + group + path).put(RequestBody.create("{}", JSON)), routingKey);
    }

    private static Request withKey(Request.Builder request, String routingKey) {
        return (routingKey == null ? request : request.header("X-Routing-Key", routingKey)).build();
    }

    /** One HTTP call through the routed client, its response closed. */
    static String http(OkHttpClient http, Request request) {
        try (Response response = http.newCall(request).execute()) {
            try {
                return response.code() + " " + response.body().string();
            } catch (IOException e) {
                return "broken " + response.code();
            }
        } catch (BackendRoutingIOException e) {
            return "failed " + e.routerException().getClass().getSimpleName();
        } catch (IOException e) {
            return "undocumented " + e;
        }
    }

    /** One generic call ({@code router.group(..).read/write}). */
    static String generic(Callable<String> call) {
        try {
            return "200 " + call.call();
        } catch (NotFoundException e) {
            return "not found";
        } catch (BackendCallException e) {
            return "failed " + e.getClass().getSimpleName();
        } catch (Exception e) {
            return "undocumented " + e;
        }
    }

    /**
     * A generic attempt over plain HTTP with the application's own client: its own timeout (the
     * member's attempt timeout, else {@code timeout}), 404 as {@link NotFoundException}, any other
     * non-200 as a failed attempt, the body read within the attempt.
     */
    static MemberCall<String> fetch(OkHttpClient app, String method, String path, Duration timeout) {
        return member -> {
            Request.Builder request = new Request.Builder().url(member.url() + path);
            if (!method.equals("GET")) {
                request.method(method, RequestBody.create("{}", JSON));
            }
            Call call = app.newCall(request.build());
            call.timeout().timeout(timeoutOf(member, timeout).toNanos(), TimeUnit.NANOSECONDS);
            try (Response response = call.execute()) {
                if (response.code() == 404) {
                    throw new NotFoundException(member.name() + " has no " + path);
                }
                String body = response.body().string();
                if (response.code() != 200) {
                    throw new IOException(member.name() + " answered HTTP " + response.code());
                }
                return body;
            }
        };
    }

    private static Duration timeoutOf(BackendMember member, Duration timeout) {
        return member.timeouts().attempt() != null ? member.timeouts().attempt() : timeout;
    }

    /**
     * The application's client for generic calls: it never re-sends a request itself (OkHttp's
     * own retry would re-send a POST on a connection that broke), so what reaches a backend twice
     * was sent twice by the router.
     */
    static OkHttpClient appClient() {
        return new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
    }

    /** Counts calls by what they ended in; refuses any outcome the docs do not promise. */
    static final class Tally {
        final AtomicLong calls = new AtomicLong();
        final AtomicLong readsAnswered = new AtomicLong();
        final AtomicLong readsFailedAsDocumented = new AtomicLong();
        final AtomicLong writesAnswered = new AtomicLong();
        final AtomicLong writesFailedAsDocumented = new AtomicLong();

        /** Counts one call's outcome: answered (2xx), or failed as documented (an error response, a broken stream, a router exception). */
        void count(boolean read, String outcome) {
            assertThat(outcome).as("a documented outcome").doesNotStartWith("undocumented");
            boolean answered = outcome.startsWith("2");
            boolean documented = !answered && (outcome.matches("\\d{3} .*") || outcome.startsWith("broken ")
                    || DOCUMENTED.contains(outcome));
            assertThat(answered || documented).as("a documented outcome: " + outcome).isTrue();
            calls.incrementAndGet();
            (read ? (answered ? readsAnswered : readsFailedAsDocumented) : (answered ? writesAnswered : writesFailedAsDocumented))
                    .incrementAndGet();
        }
    }
}

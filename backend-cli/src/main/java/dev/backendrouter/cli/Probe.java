package dev.backendrouter.cli;

import dev.backendrouter.api.BackendAuth;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.SSLException;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * One health request, built as the router's health checker builds it: {@code GET} on the
 * member's base URL (path prefix kept) plus the health path, with the member's credential.
 */
final class Probe {
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final int BODY_BYTES = 16 * 1024;

    private Probe() {
    }

    /**
     * @param status the HTTP status, or {@code -1} when no answer came
     * @param health what a 2xx body's {@code status} said ({@code degraded}, {@code unhealthy}), or {@code null}
     * @param error why the member is down, or {@code null}
     */
    record Result(int status, String health, long millis, String error) {
        boolean up() {
            return error == null;
        }

        boolean degraded() {
            return "degraded".equals(health);
        }

        String statusText() {
            return status < 0 ? "DOWN" : status == 0 ? health : health == null ? Integer.toString(status) : status + " " + health;
        }
    }

    static Result probe(OkHttpClient client, URI base, BackendAuth auth, String path, Duration timeout) {
        if (dev.backendrouter.api.BackendMember.isCacheScheme(base)) {
            return RedisPing.ping(client, base, auth, timeout);
        }
        HttpUrl url = HttpUrl.get(base.toString());
        String basePath = url.encodedPath().endsWith("/")
                ? url.encodedPath().substring(0, url.encodedPath().length() - 1) : url.encodedPath();
        Request.Builder request = new Request.Builder()
                .url(url.newBuilder().encodedPath(basePath + path).build())
                .header("User-Agent", "backend-router-cli");
        if (auth.headerName() != null) {
            request.header(auth.headerName(), auth.headerValue().reveal());
        }
        long start = System.nanoTime();
        try (Response response = client.newCall(request.build()).execute()) {
            int code = response.code();
            if (code >= 300 && code < 400) {
                return new Result(code, null, millisSince(start), "HTTP " + code + ": a redirect, not followed");
            }
            if (!response.isSuccessful()) {
                String reason = response.message().isBlank() ? "" : " " + response.message();
                return new Result(code, null, millisSince(start), "HTTP " + code + reason);
            }
            String health = healthIn(response.peekBody(BODY_BYTES).string());
            long millis = millisSince(start);
            return "unhealthy".equals(health)
                    ? new Result(code, health, millis, "the body says \"status\": \"unhealthy\"")
                    : new Result(code, health, millis, null);
        } catch (IOException | RuntimeException e) {
            return new Result(-1, null, millisSince(start), describe(e, base, timeout));
        }
    }

    /** The body's {@code status} when it says degraded or unhealthy (as the router reads it); else {@code null}. */
    static String healthIn(String body) {
        try {
            String status = JSON.readTree(body).path("status").asString("healthy").toLowerCase(Locale.ROOT);
            return switch (status) {
                case "degraded" -> "degraded";
                case "unhealthy", "down", "fail" -> "unhealthy";
                default -> null;
            };
        } catch (JacksonException e) {
            return null;
        }
    }

    /** What went wrong, in a few words; never the request (it holds the credential). */
    static String describe(Exception failure, URI base, Duration timeout) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException) {
                return t.getMessage() != null && t.getMessage().contains("timed out")
                        ? "connect timed out after " + Durations.text(timeout) : "connection refused";
            }
            if (t instanceof UnknownHostException) {
                return "unknown host " + base.getHost();
            }
            if (t instanceof NoRouteToHostException) {
                return "no route to host " + base.getHost();
            }
            if (t instanceof InterruptedIOException) {
                return "timed out after " + Durations.text(timeout);
            }
            if (t instanceof SSLException) {
                return "TLS failed: " + t.getMessage();
            }
        }
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}

package dev.backendrouter.router.internal.http;

import dev.backendrouter.api.BackendAuth;
import dev.backendrouter.api.MemberTimeouts;
import dev.backendrouter.router.internal.routing.AttemptRunner;
import dev.backendrouter.router.internal.routing.Failures;
import dev.backendrouter.router.internal.routing.MemberRef;
import dev.backendrouter.router.internal.routing.Outcome;
import dev.backendrouter.router.internal.routing.Started;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/** The HTTP front door's attempts: the caller's request re-addressed to the picked member. */
final class HttpRunner implements AttemptRunner<HttpCall, Response> {
    static final HttpRunner INSTANCE = new HttpRunner();
    static final String REQUEST_ID = "X-Request-Id";
    static final long KEPT_BODY_BYTES = 64 * 1024;

    private HttpRunner() {
    }

    @Override
    public Response run(HttpCall call, MemberRef member, long remainingNanos) throws IOException {
        Interceptor.Chain chain = bounded(call, member.member().timeouts(), remainingNanos);
        if (member.tls() != null) {
            chain = member.tls().apply(chain);
        }
        return withSmallBodyRead(chain.proceed(attemptRequest(call, member)));
    }

    /**
     * A read's answer whose body is small and of known length is read within the attempt, into the
     * body's own buffer (nothing is copied): a backend that dies mid-body then fails the attempt,
     * and the read moves on, instead of failing the caller's read of the body. Bodies of unknown
     * length or over {@value #KEPT_BODY_BYTES} bytes stream to the caller as they come.
     */
    private static Response withSmallBodyRead(Response response) throws IOException {
        long length = response.body().contentLength();
        if (length > 0 && length <= KEPT_BODY_BYTES && response.isSuccessful() && response.code() != 204
                && "GET".equals(response.request().method())) {
            try {
                response.body().source().require(length);
            } catch (IOException e) {
                response.close();
                throw e;
            }
        }
        return response;
    }

    /** A hedged attempt: its own OkHttp call on a client without routing, cancelled by cancelling that call. */
    @Override
    public Started<Response> start(HttpCall call, MemberRef member, long remainingNanos, Executor executor) {
        OkHttpClient client = member.tls() == null ? call.direct() : member.tls().client(call.direct());
        Call attempt = client.newCall(attemptRequest(call, member));
        attempt.timeout().timeout(ioTimeout(call, member.member().timeouts(), remainingNanos).toNanos(), TimeUnit.NANOSECONDS);
        CompletableFuture<Response> result = new CompletableFuture<>();
        executor.execute(() -> {
            try {
                Response response = withSmallBodyRead(attempt.execute());
                if (!result.complete(response)) {
                    response.close();
                }
            } catch (IOException | RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return new Started<>(result, () -> {
            attempt.cancel();
            result.thenAccept(Response::close);
        });
    }

    private static Duration ioTimeout(HttpCall call, MemberTimeouts timeouts, long remainingNanos) {
        Duration io = timeouts.attempt() != null ? timeouts.attempt() : call.settings().attemptTimeout();
        return remainingNanos == Long.MAX_VALUE ? io : Duration.ofNanos(Math.min(io.toNanos(), Math.max(remainingNanos, 1_000_000)));
    }

    private static Request attemptRequest(HttpCall call, MemberRef member) {
        Request original = call.request();
        Request.Builder attempt = original.newBuilder()
                .url(rewrite(original.url(), member.httpBase()))
                .header(REQUEST_ID, call.requestId());
        if (!call.resendable() && original.body() != null && !original.body().isOneShot()) {
            // OkHttp re-sends a request whose connection failed after sending; one-shot bodies it never re-sends
            attempt.method(original.method(), new OneShotBody(original.body()));
        }
        RedirectGuard.tag(attempt, member);
        BackendAuth auth = member.member().auth();
        if (auth.headerName() != null) {
            attempt.tag(MemberCredentials.class, MemberCredentials.of(member.httpBase(), auth.headerName(), auth.headerValue().reveal()));
        }
        return attempt.build();
    }

    /**
     * The chain with the member's own timeouts (or the router's attempt timeout), each cut to the
     * time left before the call's deadline.
     */
    private static Interceptor.Chain bounded(HttpCall call, MemberTimeouts timeouts, long remainingNanos) {
        Interceptor.Chain chain = call.chain();
        long left = remainingNanos == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(1, TimeUnit.NANOSECONDS.toMillis(remainingNanos));
        long connect = Math.min(left, timeouts.connect() != null ? timeouts.connect().toMillis() : positive(chain.connectTimeoutMillis()));
        long io = timeouts.attempt() != null ? timeouts.attempt().toMillis() : call.settings().attemptTimeout().toMillis();
        long read = Math.min(left, Math.min(io, positive(chain.readTimeoutMillis())));
        long write = Math.min(left, Math.min(io, positive(chain.writeTimeoutMillis())));
        if (connect != chain.connectTimeoutMillis()) {
            chain = chain.withConnectTimeout(clamp(connect), TimeUnit.MILLISECONDS);
        }
        if (read != chain.readTimeoutMillis()) {
            chain = chain.withReadTimeout(clamp(read), TimeUnit.MILLISECONDS);
        }
        if (write != chain.writeTimeoutMillis()) {
            chain = chain.withWriteTimeout(clamp(write), TimeUnit.MILLISECONDS);
        }
        return chain;
    }

    private static int clamp(long millis) {
        return millis >= Integer.MAX_VALUE ? 0 : (int) millis;
    }

    /** OkHttp's 0 means "no timeout". */
    private static long positive(int timeoutMillis) {
        return timeoutMillis <= 0 ? Long.MAX_VALUE : timeoutMillis;
    }

    /** {@code http://storage/files/42?x=1} on member {@code http://h:4001/api} → {@code http://h:4001/api/files/42?x=1}. */
    static HttpUrl rewrite(HttpUrl logical, HttpUrl base) {
        String basePath = base.encodedPath();
        String path = basePath.endsWith("/")
                ? basePath.substring(0, basePath.length() - 1) + logical.encodedPath()
                : basePath + logical.encodedPath();
        return base.newBuilder()
                .encodedPath(path)
                .encodedQuery(logical.encodedQuery())
                .encodedFragment(null)
                .build();
    }

    @Override
    public Outcome classify(HttpCall call, Response response) {
        int code = response.code();
        if (code < 400) {
            return Outcome.SUCCESS;
        }
        if (code == 404 && !call.write()) {
            return Outcome.NOT_FOUND;
        }
        boolean retryable = code == 429 || code == 502 || code == 503 || code == 504
                || code == 500 && call.resendable() && call.settings().retryOnServerError();
        return retryable && !cannotResend(call) ? Outcome.FAILED : Outcome.FINAL;
    }

    @Override
    public Outcome classify(HttpCall call, Exception failure) {
        if (call.chain().call().isCanceled()) {
            return Outcome.FINAL;
        }
        if (Failures.neverReached(failure)) {
            return Outcome.FAILED_UNSENT;
        }
        if (cannotResend(call)) {
            return Outcome.FINAL;
        }
        if (failure instanceof java.io.InterruptedIOException && !call.settings().retryOnTimeout()) {
            return Outcome.FINAL;
        }
        return failure instanceof IOException ? Outcome.FAILED : Outcome.FINAL;
    }

    /** A one-shot or duplex body cannot be sent a second time. */
    private static boolean cannotResend(HttpCall call) {
        RequestBody body = call.request().body();
        return body != null && (body.isOneShot() || body.isDuplex());
    }

    @Override
    public boolean failedAttempt(HttpCall call, Exception failure) {
        return failure instanceof IOException && !isCancelled(call);
    }

    @Override
    public boolean failedAnswer(Response response) {
        return response.code() >= 500;
    }

    @Override
    public String describe(Response response) {
        String error = ErrorBody.describe(response);
        return "HTTP " + response.code() + (response.code() == 404 ? " (not found)" : "") + (error == null ? "" : " " + error);
    }

    @Override
    public dev.backendrouter.api.BackendError error(Response response) {
        return ErrorBody.read(response);
    }

    @Override
    public boolean isCancelled(HttpCall call) {
        return call.chain().call().isCanceled();
    }

    @Override
    public long retryAfterNanos(Response response) {
        return RetryAfter.nanos(response.header("Retry-After"));
    }

    /**
     * OkHttp refuses a new attempt while a response of the call is open, so a response kept in
     * case no other member answers is buffered (its first {@value #KEPT_BODY_BYTES} bytes; error
     * bodies are small) and the original closed.
     */
    @Override
    public Response retain(Response response) {
        try {
            ResponseBody kept = response.peekBody(KEPT_BODY_BYTES);
            return response.newBuilder()
                    .removeHeader("Transfer-Encoding")
                    .header("Content-Length", Long.toString(kept.contentLength()))
                    .body(kept)
                    .build();
        } catch (IOException e) {
            return response.newBuilder().header("Content-Length", "0")
                    .body(ResponseBody.create(new byte[0], null)).build();
        } finally {
            response.close();
        }
    }

    @Override
    public void discard(Response response) {
        if (response != null) {
            response.close();
        }
    }
}

package dev.backendrouter.router.internal.http;

import dev.backendrouter.api.BackendAuth;
import dev.backendrouter.router.internal.routing.AttemptRunner;
import dev.backendrouter.router.internal.routing.Failures;
import dev.backendrouter.router.internal.routing.MemberRef;
import dev.backendrouter.router.internal.routing.Outcome;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/** The HTTP front door's attempts: the caller's request re-addressed to the picked member. */
final class HttpRunner implements AttemptRunner<HttpCall, Response> {
    static final HttpRunner INSTANCE = new HttpRunner();
    static final String REQUEST_ID = "X-Request-Id";
    static final long KEPT_BODY_BYTES = 64 * 1024;

    private HttpRunner() {
    }

    @Override
    public Response run(HttpCall call, MemberRef member, long remainingNanos) throws IOException {
        Request original = call.request();
        Request.Builder attempt = original.newBuilder()
                .url(rewrite(original.url(), member.httpBase()))
                .header(REQUEST_ID, call.requestId());
        BackendAuth auth = member.member().auth();
        if (auth.headerName() != null) {
            attempt.header(auth.headerName(), auth.headerValue());
        }
        Interceptor.Chain chain = call.chain();
        if (remainingNanos != Long.MAX_VALUE) {
            int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(remainingNanos)));
            chain = chain.withConnectTimeout(Math.min(millis, positive(chain.connectTimeoutMillis())), TimeUnit.MILLISECONDS)
                    .withReadTimeout(Math.min(millis, positive(chain.readTimeoutMillis())), TimeUnit.MILLISECONDS)
                    .withWriteTimeout(Math.min(millis, positive(chain.writeTimeoutMillis())), TimeUnit.MILLISECONDS);
        }
        return chain.proceed(attempt.build());
    }

    private static int positive(int timeoutMillis) {
        return timeoutMillis <= 0 ? Integer.MAX_VALUE : timeoutMillis;
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
        if (code == 404 && !call.write()) {
            return Outcome.NOT_FOUND;
        }
        if (code == 502 || code == 503 || code == 504) {
            return Outcome.FAILED;
        }
        return code < 400 ? Outcome.SUCCESS : Outcome.FINAL;
    }

    @Override
    public Outcome classify(HttpCall call, Exception failure) {
        if (call.chain().call().isCanceled()) {
            return Outcome.FINAL;
        }
        if (Failures.neverReached(failure)) {
            return Outcome.FAILED_UNSENT;
        }
        if (call.request().body() != null && call.request().body().isOneShot()) {
            return Outcome.FINAL;
        }
        return failure instanceof IOException ? Outcome.FAILED : Outcome.FINAL;
    }

    @Override
    public String describe(Response response) {
        return "HTTP " + response.code() + (response.code() == 404 ? " (not found)" : "");
    }

    /**
     * OkHttp refuses a new attempt while a response of the call is open, so a response kept in
     * case no other member answers is buffered (its first {@value #KEPT_BODY_BYTES} bytes; error
     * bodies are small) and the original closed.
     */
    @Override
    public Response retain(Response response) {
        try {
            return response.newBuilder().body(response.peekBody(KEPT_BODY_BYTES)).build();
        } catch (IOException e) {
            return response.newBuilder().body(okhttp3.ResponseBody.create(new byte[0], null)).build();
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

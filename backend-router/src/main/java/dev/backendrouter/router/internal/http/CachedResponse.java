package dev.backendrouter.router.internal.http;

import java.io.IOException;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/** A whole response in memory, so many callers can each get a copy of one answer. */
record CachedResponse(int code, String message, Protocol protocol, Headers headers, MediaType contentType, byte[] body) {
    /** Bodies larger than this are streamed to their caller, never cached or shared. */
    static final int MAX_BODY_BYTES = 1024 * 1024;
    static final String CACHE_HEADER = "X-Backend-Router-Cache";

    /** The response read into memory and closed, or {@code null} (the response untouched) when its body is too large. */
    static CachedResponse of(Response response) throws IOException {
        ResponseBody body = response.body();
        long length = body.contentLength();
        if (length > MAX_BODY_BYTES || length < 0 && body.source().request(MAX_BODY_BYTES + 1L)) {
            return null;
        }
        byte[] bytes;
        try (response) {
            bytes = body.bytes();
        }
        Headers headers = response.request().method().equals("HEAD") ? response.headers()
                : response.headers().newBuilder().removeAll("Transfer-Encoding")
                        .set("Content-Length", Integer.toString(bytes.length)).build();
        return new CachedResponse(response.code(), response.message(), response.protocol(), headers, body.contentType(), bytes);
    }

    Response toResponse(Request request, String cacheStatus) {
        return new Response.Builder()
                .request(request)
                .protocol(protocol)
                .code(code)
                .message(message)
                .headers(headers)
                .header(CACHE_HEADER, cacheStatus)
                .body(ResponseBody.create(body, contentType))
                .sentRequestAtMillis(System.currentTimeMillis())
                .receivedResponseAtMillis(System.currentTimeMillis())
                .build();
    }
}

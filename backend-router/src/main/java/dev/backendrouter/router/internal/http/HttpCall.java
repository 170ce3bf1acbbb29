package dev.backendrouter.router.internal.http;

import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * One routed HTTP call: the chain to send attempts through, the caller's request and its
 * request id; whether it is a write, and whether it may be sent more than once.
 */
record HttpCall(Interceptor.Chain chain, Request request, String requestId, boolean write, boolean resendable,
        HttpSettings settings, OkHttpClient direct) {
}

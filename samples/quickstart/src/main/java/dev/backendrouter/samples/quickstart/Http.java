package dev.backendrouter.samples.quickstart;

import java.io.IOException;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** The few HTTP calls the scenes make; every response body is read and closed here. */
final class Http {
    private static final MediaType JSON = MediaType.get("application/json");

    private Http() {
    }

    record Reply(int status, String body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    static Reply get(OkHttpClient client, String url, String routingKey) throws IOException {
        return execute(client, request(url, routingKey).get().build());
    }

    static Reply put(OkHttpClient client, String url, String routingKey, String json) throws IOException {
        return execute(client, request(url, routingKey).put(RequestBody.create(json, JSON)).build());
    }

    /** A GET whose failure is counted, not thrown: for load loops. */
    static boolean getSucceeds(OkHttpClient client, String url) {
        try {
            return get(client, url, null).ok();
        } catch (IOException e) {
            return false;
        }
    }

    private static Request.Builder request(String url, String routingKey) {
        Request.Builder builder = new Request.Builder().url(url);
        return routingKey == null ? builder : builder.header("X-Routing-Key", routingKey);
    }

    private static Reply execute(OkHttpClient client, Request request) throws IOException {
        try (Response response = client.newCall(request).execute()) {
            return new Reply(response.code(), response.body().string());
        }
    }
}

package dev.backendrouter.spring;

import dev.backendrouter.router.BackendRouter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.Objects;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.ClientHttpRequest;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.ClientHttpResponse;

/**
 * Sends Spring's {@code RestClient} (and {@code RestTemplate}) requests for
 * {@code http://GROUP/...} through the router's OkHttp client; requests to any other host go to
 * the factory the application already had, with its timeouts and SSL untouched. Routed request
 * bodies are buffered.
 *
 * <pre>{@code
 * RestClient storage = RestClient.builder()
 *         .requestFactory(new RoutedClientHttpRequestFactory(router, router.httpClient(), new JdkClientHttpRequestFactory()))
 *         .baseUrl("http://storage")
 *         .build();
 * }</pre>
 */
public final class RoutedClientHttpRequestFactory implements ClientHttpRequestFactory {
    private final BackendRouter router;
    private final OkHttpClient client;
    private final ClientHttpRequestFactory otherHosts;

    /**
     * @param router decides which hosts are groups (by its current topology, so reloads count)
     * @param client the routed client, normally {@code router.httpClient()}
     * @param otherHosts where requests to hosts that are not groups go
     */
    public RoutedClientHttpRequestFactory(BackendRouter router, OkHttpClient client, ClientHttpRequestFactory otherHosts) {
        this.router = Objects.requireNonNull(router, "router");
        this.client = Objects.requireNonNull(client, "client");
        this.otherHosts = Objects.requireNonNull(otherHosts, "otherHosts");
    }

    @Override
    public ClientHttpRequest createRequest(URI uri, HttpMethod method) throws IOException {
        String host = uri.getHost();
        if (host != null && router.topology().group(host).isPresent()) {
            return new RoutedRequest(client, uri, method);
        }
        return otherHosts.createRequest(uri, method);
    }

    private static final class RoutedRequest implements ClientHttpRequest {
        private final OkHttpClient client;
        private final URI uri;
        private final HttpMethod method;
        private final HttpHeaders headers = new HttpHeaders();
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private final java.util.Map<String, Object> attributes = new java.util.LinkedHashMap<>();

        RoutedRequest(OkHttpClient client, URI uri, HttpMethod method) {
            this.client = client;
            this.uri = uri;
            this.method = method;
        }

        @Override
        public HttpMethod getMethod() {
            return method;
        }

        @Override
        public URI getURI() {
            return uri;
        }

        @Override
        public HttpHeaders getHeaders() {
            return headers;
        }

        @Override
        public java.util.Map<String, Object> getAttributes() {
            return attributes;
        }

        @Override
        public OutputStream getBody() {
            return body;
        }

        @Override
        public ClientHttpResponse execute() throws IOException {
            Request.Builder request = new Request.Builder().url(uri.toString());
            headers.forEach((name, values) -> values.forEach(value -> request.addHeader(name, value)));
            String contentType = headers.getFirst(HttpHeaders.CONTENT_TYPE);
            boolean hasBody = body.size() > 0 || method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH;
            RequestBody requestBody = hasBody
                    ? RequestBody.create(body.toByteArray(), contentType == null ? null : MediaType.parse(contentType)) : null;
            request.method(method.name(), requestBody);
            return new RoutedResponse(client.newCall(request.build()).execute());
        }
    }

    private static final class RoutedResponse implements ClientHttpResponse {
        private final Response response;
        private final HttpHeaders headers = new HttpHeaders();

        RoutedResponse(Response response) {
            this.response = response;
            response.headers().forEach(pair -> headers.add(pair.getFirst(), pair.getSecond()));
        }

        @Override
        public HttpStatusCode getStatusCode() {
            return HttpStatusCode.valueOf(response.code());
        }

        @Override
        public String getStatusText() {
            return response.message();
        }

        @Override
        public HttpHeaders getHeaders() {
            return headers;
        }

        @Override
        public InputStream getBody() {
            return response.body().byteStream();
        }

        @Override
        public void close() {
            response.close();
        }
    }
}

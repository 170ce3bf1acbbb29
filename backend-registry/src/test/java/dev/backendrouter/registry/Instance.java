package dev.backendrouter.registry;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** One registry instance in this JVM, on a free loopback port, and HTTP calls to it. */
final class Instance implements AutoCloseable {
    static final MediaType JSON_TYPE = MediaType.get("application/json");
    static final ObjectMapper JSON = JsonMapper.builder().build();
    static final OkHttpClient HTTP = new OkHttpClient.Builder().readTimeout(java.time.Duration.ofSeconds(70)).build();

    record Answer(int status, JsonNode body, String etag, okhttp3.Headers headers) {
    }

    final ConfigurableApplicationContext context;
    final String base;

    private Instance(ConfigurableApplicationContext context) {
        this.context = context;
        this.base = "http://127.0.0.1:" + ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    /** H2 in file mode in {@code data}. */
    static List<String> h2(Path data) {
        return List.of("--registry.data=" + data.toAbsolutePath());
    }

    /** A PostgreSQL database. */
    static List<String> postgres(String url) {
        return List.of("--spring.datasource.url=" + url, "--spring.datasource.username=registry", "--spring.datasource.password=");
    }

    static Instance start(List<String> database, String... more) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--server.address=127.0.0.1",
                "--logging.structured.format.console=", "--spring.main.banner-mode=off"));
        args.addAll(database);
        args.addAll(List.of(more));
        String[] given = args.toArray(String[]::new);
        return new Instance(RegistryApplication.application(given).run(RegistryApplication.withDemoFlag(given)));
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    Answer call(String method, String path, String body, String... headers) throws IOException {
        Request.Builder request = new Request.Builder().url(base + path)
                .method(method, body == null ? null : RequestBody.create(body, JSON_TYPE));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try (Response response = HTTP.newCall(request.build()).execute()) {
            String text = response.body().string();
            return new Answer(response.code(), text.isEmpty() ? null : JSON.readTree(text), response.header("ETag"), response.headers());
        }
    }

    @Override
    public void close() {
        context.close();
    }
}

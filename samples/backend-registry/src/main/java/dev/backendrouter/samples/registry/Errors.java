package dev.backendrouter.samples.registry;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.ObjectMapper;

/** The common error body: {@code {"error":{"code","message","details","timestamp","request_id"}}}. */
final class Errors {
    private Errors() {
    }

    static void send(HttpExchange exchange, ObjectMapper json, int status, String code, String message, String field)
            throws IOException {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        error.put("details", field == null ? Map.of() : Map.of("field", field));
        error.put("timestamp", Instant.now().toString());
        error.put("request_id", UUID.randomUUID().toString());
        byte[] body = json.writeValueAsBytes(Map.of("error", error));
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }
}

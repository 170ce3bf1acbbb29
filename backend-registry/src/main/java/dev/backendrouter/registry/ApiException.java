package dev.backendrouter.registry;

import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;

/** An answer in the error shape: status, code, message and the fields at fault. */
final class ApiException extends RuntimeException {
    private final HttpStatus status;
    private final String code;
    private final Map<String, Object> details;

    ApiException(HttpStatus status, String code, String message, Map<String, Object> details) {
        super(message);
        this.status = status;
        this.code = code;
        this.details = details;
    }

    static ApiException invalid(String field, String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, "VALIDATION_FAILED", field + ": " + message, Map.of("field", field));
    }

    /** Several problems: the first one's field, and every one with its path. */
    static ApiException invalid(List<Map<String, String>> problems) {
        Map<String, String> first = problems.get(0);
        String message = problems.size() == 1 ? first.get("path") + ": " + first.get("message")
                : problems.size() + " problems; the first: " + first.get("path") + ": " + first.get("message");
        return new ApiException(HttpStatus.BAD_REQUEST, "VALIDATION_FAILED", message,
                Map.of("field", first.get("path"), "problems", problems));
    }

    static ApiException notFound(String field, String message) {
        return new ApiException(HttpStatus.NOT_FOUND, "NOT_FOUND", message, field == null ? Map.of() : Map.of("field", field));
    }

    static ApiException conflict(String message, Map<String, Object> details) {
        return new ApiException(HttpStatus.CONFLICT, "CONFLICT", message, details);
    }

    static ApiException stale(String etag) {
        return new ApiException(HttpStatus.PRECONDITION_FAILED, "PRECONDITION_FAILED",
                "If-Match does not match the current version " + etag + ": read it again, then retry", Map.of("etag", etag));
    }

    HttpStatus status() {
        return status;
    }

    String code() {
        return code;
    }

    Map<String, Object> details() {
        return details;
    }
}

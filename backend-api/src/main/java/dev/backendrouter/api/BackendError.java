package dev.backendrouter.api;

/**
 * A backend's own error report, read from the common body
 * {@code {"error":{"code":"DB_DOWN","message":"Database unavailable","request_id":"7f3a..."}}}.
 *
 * @param code the backend's error code, or {@code null}
 * @param message its human-readable message, or {@code null}
 * @param requestId its request id, to find the failure in the backend's logs, or {@code null}
 */
public record BackendError(String code, String message, String requestId) {

    @Override
    public String toString() {
        return (code == null ? "" : code + ": ") + (message == null ? "" : message)
                + (requestId == null ? "" : " (request " + requestId + ")");
    }
}

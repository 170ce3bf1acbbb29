package dev.backendrouter.registry;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Every error in R2's shape, {@code {"error": {code, message, details, timestamp, request_id}}},
 * with the request's {@code X-Request-Id} (or a new one) so that logs and answers can be joined.
 */
@RestControllerAdvice
class ErrorAnswers {
    private static final Logger log = LoggerFactory.getLogger(ErrorAnswers.class);

    /** The request's {@code X-Request-Id} when it is a plain token, else a new one; the same for the whole request. */
    static String requestId(HttpServletRequest request) {
        Object kept = request.getAttribute("registry.requestId");
        if (kept != null) {
            return (String) kept;
        }
        String given = request.getHeader("X-Request-Id");
        String id = given != null && given.matches("[A-Za-z0-9._:-]{1,100}") ? given : UUID.randomUUID().toString();
        request.setAttribute("registry.requestId", id);
        return id;
    }

    static ResponseEntity<Map<String, Object>> answer(HttpServletRequest request, HttpStatusCode status, String code, String message,
            Map<String, Object> details) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        error.put("details", details);
        error.put("timestamp", Instant.now().toString());
        String requestId = requestId(request);
        error.put("request_id", requestId);
        // JSON whatever the request's Accept: an error is always in the one shape
        return ResponseEntity.status(status).header("X-Request-Id", requestId).contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .body(Map.of("error", error));
    }

    @ExceptionHandler(ApiException.class)
    ResponseEntity<Map<String, Object>> api(ApiException e, HttpServletRequest request) {
        return answer(request, e.status(), e.code(), e.getMessage(), e.details());
    }

    @ExceptionHandler(AccessFilter.BodyTooLargeException.class)
    ResponseEntity<Map<String, Object>> tooLarge(AccessFilter.BodyTooLargeException e, HttpServletRequest request) {
        return answer(request, HttpStatus.CONTENT_TOO_LARGE, "PAYLOAD_TOO_LARGE", e.getMessage(), Map.of());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Map<String, Object>> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof AccessFilter.BodyTooLargeException tooLarge) {
                return tooLarge(tooLarge, request);
            }
        }
        return answer(request, HttpStatus.BAD_REQUEST, "VALIDATION_FAILED", "body: not a JSON object this endpoint reads",
                Map.of("field", "body"));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Map<String, Object>> badId(MethodArgumentTypeMismatchException e, HttpServletRequest request) {
        return answer(request, HttpStatus.BAD_REQUEST, "VALIDATION_FAILED", e.getName() + ": must be a whole number",
                Map.of("field", e.getName()));
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<Map<String, Object>> mediaType(HttpMediaTypeNotSupportedException e, HttpServletRequest request) {
        return answer(request, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_MEDIA_TYPE", "send Content-Type: application/json",
                Map.of());
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<Map<String, Object>> method(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        return answer(request, HttpStatus.METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED", e.getMethod() + " is not served here",
                Map.of());
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<Map<String, Object>> noSuchPath(NoResourceFoundException e, HttpServletRequest request) {
        return answer(request, HttpStatus.NOT_FOUND, "NOT_FOUND", "no such endpoint: " + request.getRequestURI(), Map.of());
    }

    @ExceptionHandler(org.springframework.dao.PessimisticLockingFailureException.class)
    ResponseEntity<Map<String, Object>> busy(Exception e, HttpServletRequest request) {
        log.warn("request {} {} {}: the deployment stayed locked by another change: {}", requestId(request), request.getMethod(),
                request.getRequestURI(), e.toString());
        return answer(request, HttpStatus.CONFLICT, "CONFLICT", "another change to this deployment held it too long; "
                + "read it again, then retry", Map.of());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Map<String, Object>> unexpected(Exception e, HttpServletRequest request) {
        if (e instanceof org.springframework.web.ErrorResponse framework && framework.getStatusCode().is4xxClientError()) {
            // the framework's own refusals (a missing parameter, an Accept it cannot serve): the caller's to fix
            HttpStatus status = HttpStatus.valueOf(framework.getStatusCode().value());
            String detail = framework.getBody().getDetail();
            return answer(request, status, status.name(), detail == null ? status.getReasonPhrase() : detail, Map.of());
        }
        String requestId = requestId(request);
        log.error("request {} {} {} failed", requestId, request.getMethod(), request.getRequestURI(), e);
        return answer(request, HttpStatus.INTERNAL_SERVER_ERROR, "INTERNAL", "the registry failed; see its log for request "
                + requestId, Map.of());
    }
}

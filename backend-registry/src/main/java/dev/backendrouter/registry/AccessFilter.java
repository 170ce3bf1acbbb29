package dev.backendrouter.registry;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.ObjectMapper;

/**
 * Every request: a request id (logs carry it as {@code request_id}, answers as {@code X-Request-Id}),
 * the body size limit, and the tokens — writes need a {@code write} token, reads a {@code read} one
 * unless reads are open. Tokens come as {@code Authorization: Bearer brt_…} or {@code X-API-Key: brt_…}, or,
 * for the admin page, in its session cookie; a write with the cookie also needs the session's CSRF token.
 */
@Component
class AccessFilter extends OncePerRequestFilter {
    static final String CALLER = "registry.caller";
    static final String PRESENTED = "registry.presented";
    /** The admin page's session secret (see {@link Sessions}), HttpOnly and SameSite=Strict, sent to {@code /api/} only. */
    static final String SESSION_COOKIE = "registry_session";
    /** Writes with the session cookie carry this header, whose value only the signed-in page knows. */
    static final String CSRF_HEADER = "X-CSRF-Token";
    private final Tokens tokens;
    private final Sessions sessions;
    private final ObjectMapper json;
    private final boolean enabled;
    private final boolean readsOpen;
    private final long maxBody;

    AccessFilter(Tokens tokens, Sessions sessions, ObjectMapper json, @Value("${registry.auth.enabled:true}") boolean enabled,
            @Value("${registry.auth.reads-open:false}") boolean readsOpen, @Value("${registry.max-body-bytes:1048576}") long maxBody) {
        this.tokens = tokens;
        this.sessions = sessions;
        this.json = json;
        this.enabled = enabled;
        this.readsOpen = readsOpen;
        this.maxBody = maxBody;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String requestId = ErrorAnswers.requestId(request);
        MDC.put("request_id", requestId);
        try {
            response.setHeader("X-Request-Id", requestId);
            securityHeaders(response);
            if (request.getContentLengthLong() > maxBody) {
                refuse(request, response, HttpStatus.CONTENT_TOO_LARGE, "PAYLOAD_TOO_LARGE",
                        "the body has " + request.getContentLengthLong() + " bytes; at most " + maxBody + " are read", Map.of());
                return;
            }
            if (request.getRequestURI().equals(SessionController.PATH)) {
                // signing in needs no token yet; the controller checks the session's own writes
                Presented presented = presented(request);
                request.setAttribute(PRESENTED, presented);
                request.setAttribute(CALLER, callerOf(presented).orElse(Tokens.Caller.ANONYMOUS));
            } else if (request.getRequestURI().startsWith("/api/") && !allowed(request, response)) {
                return;
            }
            chain.doFilter(new Limited(request, maxBody), response);
        } finally {
            MDC.remove("request_id");
        }
    }

    /** Whether the request may go on; when not, the 401 or 403 is written. */
    private boolean allowed(HttpServletRequest request, HttpServletResponse response) throws IOException {
        boolean write = isWrite(request);
        Presented presented = presented(request);
        String token = presented == null ? null : presented.token();
        Optional<Tokens.Caller> caller = callerOf(presented);
        request.setAttribute(CALLER, caller.orElse(Tokens.Caller.ANONYMOUS));
        if (!enabled || (!write && readsOpen && token == null)) {
            return true;
        }
        if (caller.isEmpty()) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"backend-registry\"");
            refuse(request, response, HttpStatus.UNAUTHORIZED, "UNAUTHORIZED", token == null
                    ? "this registry needs a token: send Authorization: Bearer <token> (made with the jar's 'token create' command)"
                    : presented.fromCookie() ? "the session has ended (signed out, expired, or its token revoked): sign in again"
                    : "the token is unknown or revoked: check it with the registry's operators", Map.of());
            return false;
        }
        if (write && presented.fromCookie() && !csrfMatches(request, token)) {
            refuse(request, response, HttpStatus.FORBIDDEN, "CSRF_REFUSED", "a write signed in through the admin page needs its "
                    + CSRF_HEADER + " header; reload the page (or send the token as Authorization: Bearer instead)", Map.of());
            return false;
        }
        if (write ? !caller.get().canWrite() : !caller.get().canRead()) {
            refuse(request, response, HttpStatus.FORBIDDEN, "FORBIDDEN", "token '" + caller.get().name() + "' has scope "
                    + caller.get().scope() + "; " + request.getMethod() + " needs a write token", Map.of());
            return false;
        }
        return true;
    }

    /** A header carries a token; the page's cookie a session secret. */
    private Optional<Tokens.Caller> callerOf(Presented presented) {
        if (presented == null) {
            return Optional.empty();
        }
        return presented.fromCookie() ? sessions.find(presented.token()) : tokens.find(presented.token());
    }

    static boolean isWrite(HttpServletRequest request) {
        return !request.getMethod().equals("GET") && !request.getMethod().equals("HEAD") && !request.getMethod().equals("OPTIONS");
    }

    /**
     * A token, or the page's session secret, and where it came from: a header names it on purpose,
     * the page's cookie comes with every request.
     */
    record Presented(String token, boolean fromCookie) {
        @Override
        public String toString() {
            return "Presented[token=****, fromCookie=" + fromCookie + "]";
        }
    }

    static Presented presented(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return new Presented(authorization.substring(7).strip(), false);
        }
        String apiKey = request.getHeader("X-API-Key");
        if (apiKey != null) {
            return new Presented(apiKey.strip(), false);
        }
        if (request.getCookies() != null) {
            for (jakarta.servlet.http.Cookie cookie : request.getCookies()) {
                if (cookie.getName().equals(SESSION_COOKIE) && !cookie.getValue().isBlank()) {
                    return new Presented(cookie.getValue(), true);
                }
            }
        }
        return null;
    }

    /** Whether the request carries the CSRF token of its session (compared in constant time). */
    static boolean csrfMatches(HttpServletRequest request, String token) {
        String sent = request.getHeader(CSRF_HEADER);
        return sent != null && java.security.MessageDigest.isEqual(sent.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                Sessions.csrfOf(token).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The page loads only its own scripts and styles, is never framed, and sends no referrer. */
    private static void securityHeaders(HttpServletResponse response) {
        response.setHeader("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none';"
                + " base-uri 'none'; frame-ancestors 'none'; form-action 'self'");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Referrer-Policy", "no-referrer");
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String code, String message,
            Map<String, Object> details) throws IOException {
        ResponseEntity<Map<String, Object>> answer = ErrorAnswers.answer(request, status, code, message, details);
        response.setStatus(status.value());
        response.setContentType("application/json");
        response.getOutputStream().write(json.writeValueAsBytes(answer.getBody()));
    }

    /** A body read past the limit fails (a chunked body has no length to check up front); the error handler answers 413. */
    private static final class Limited extends HttpServletRequestWrapper {
        private final long limit;
        private ServletInputStream stream;

        Limited(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                ServletInputStream in = super.getInputStream();
                stream = new ServletInputStream() {
                    private long read;

                    @Override
                    public int read() throws IOException {
                        int b = in.read();
                        if (b >= 0) {
                            count(1);
                        }
                        return b;
                    }

                    @Override
                    public int read(byte[] buffer, int offset, int length) throws IOException {
                        int n = in.read(buffer, offset, length);
                        if (n > 0) {
                            count(n);
                        }
                        return n;
                    }

                    private void count(int n) {
                        read += n;
                        if (read > limit) {
                            throw new BodyTooLargeException(limit);
                        }
                    }

                    @Override
                    public boolean isFinished() {
                        return in.isFinished();
                    }

                    @Override
                    public boolean isReady() {
                        return in.isReady();
                    }

                    @Override
                    public void setReadListener(ReadListener listener) {
                        in.setReadListener(listener);
                    }
                };
            }
            return stream;
        }
    }

    /** A body over the limit, found while reading it. */
    static final class BodyTooLargeException extends RuntimeException {
        BodyTooLargeException(long limit) {
            super("the body is larger than " + limit + " bytes");
        }
    }
}

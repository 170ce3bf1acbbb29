package dev.backendrouter.registry;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseCookie;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * The admin page's sign-in. {@code POST /api/session} with {@code {"token": "brt_…"}} opens a session
 * ({@link Sessions}), puts its secret in an HttpOnly, SameSite=Strict cookie that expires with it, and
 * answers the session's CSRF token, which the page sends as
 * {@code X-CSRF-Token} with every write; {@code GET} tells the page who it is and what it may do;
 * {@code DELETE} signs out, ending the session on the server. Scripts tools use the token headers and need none of this.
 */
@RestController
class SessionController {
    static final String PATH = "/api/session";
    private final Tokens tokens;
    private final Sessions sessions;
    private final boolean enabled;
    private final boolean readsOpen;

    SessionController(Tokens tokens, Sessions sessions, @Value("${registry.auth.enabled:true}") boolean enabled,
            @Value("${registry.auth.reads-open:false}") boolean readsOpen) {
        this.tokens = tokens;
        this.sessions = sessions;
        this.enabled = enabled;
        this.readsOpen = readsOpen;
    }

    @GetMapping(PATH)
    Map<String, Object> session(HttpServletRequest request) {
        AccessFilter.Presented presented = (AccessFilter.Presented) request.getAttribute(AccessFilter.PRESENTED);
        return describe((Tokens.Caller) request.getAttribute(AccessFilter.CALLER), presented);
    }

    /** Refuses an unknown token with 401; the body must be JSON, so a form on another site cannot sign anyone in. */
    @PostMapping(path = PATH, consumes = "application/json")
    ResponseEntity<Map<String, Object>> signIn(@RequestBody JsonNode body, HttpServletRequest request) {
        JsonNode token = body == null ? null : body.get("token");
        if (token == null || !token.isString() || token.asString().isBlank()) {
            throw ApiException.invalid("token", "required: a token made with the jar's 'token create' command (brt_…)");
        }
        String text = token.asString().strip();
        ApiException unknown = new ApiException(HttpStatus.UNAUTHORIZED, "UNAUTHORIZED",
                "the token is unknown or revoked: check it with the registry's operators", Map.of("field", "token"));
        Tokens.Caller caller = tokens.find(text).orElseThrow(() -> unknown);
        String secret = sessions.open(text).orElseThrow(() -> unknown);
        ResponseCookie cookie = cookie(secret, request, sessions.maxAge());
        return ResponseEntity.ok().header(HttpHeaders.SET_COOKIE, cookie.toString())
                .body(describe(caller, new AccessFilter.Presented(secret, true)));
    }

    @DeleteMapping(PATH)
    ResponseEntity<Void> signOut(HttpServletRequest request) {
        AccessFilter.Presented presented = (AccessFilter.Presented) request.getAttribute(AccessFilter.PRESENTED);
        if (presented != null && presented.fromCookie() && !AccessFilter.csrfMatches(request, presented.token())) {
            throw new ApiException(HttpStatus.FORBIDDEN, "CSRF_REFUSED", "signing out needs the session's "
                    + AccessFilter.CSRF_HEADER + " header; reload the page", Map.of());
        }
        if (presented != null && presented.fromCookie()) {
            sessions.end(presented.token());
        }
        return ResponseEntity.noContent().header(HttpHeaders.SET_COOKIE, cookie("", request, Duration.ZERO).toString()).build();
    }

    private static ResponseCookie cookie(String value, HttpServletRequest request, Duration maxAge) {
        return ResponseCookie.from(AccessFilter.SESSION_COOKIE, value).httpOnly(true).sameSite("Strict").path("/api/")
                .secure(request.isSecure()).maxAge(maxAge).build();
    }

    private Map<String, Object> describe(Tokens.Caller caller, AccessFilter.Presented presented) {
        boolean known = caller != null && caller != Tokens.Caller.ANONYMOUS;
        Map<String, Object> session = new LinkedHashMap<>();
        session.put("authEnabled", enabled);
        session.put("signedIn", known);
        session.put("name", known ? caller.name() : null);
        session.put("scope", known ? caller.scope() : null);
        session.put("canRead", !enabled || readsOpen || (known && caller.canRead()));
        session.put("canWrite", !enabled || (known && caller.canWrite()));
        session.put("csrf", known && presented != null && presented.fromCookie() ? Sessions.csrfOf(presented.token()) : null);
        return session;
    }
}

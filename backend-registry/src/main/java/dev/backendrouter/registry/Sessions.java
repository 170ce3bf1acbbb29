package dev.backendrouter.registry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The admin page's sessions. Signing in with a token opens a session whose random secret travels in
 * the page's cookie instead of the token; the database keeps its digest, which token it stands for,
 * and when it expires. Every instance sharing the database knows every session; signing out deletes
 * it, and revoking the token ends it too.
 */
@Service
class Sessions {
    static final String PREFIX = "brs_";
    private static final SecureRandom RANDOM = new SecureRandom();
    private final JdbcClient jdbc;
    private final Duration maxAge;

    Sessions(JdbcClient jdbc, @Value("${registry.session.max-age:12h}") Duration maxAge) {
        this.jdbc = jdbc;
        this.maxAge = maxAge;
    }

    Duration maxAge() {
        return maxAge;
    }

    /** A session for this token, or empty when the token is unknown or revoked. Sessions that expired are removed here. */
    @Transactional
    public Optional<String> open(String token) {
        if (token == null || !token.startsWith(Tokens.PREFIX) || token.length() > 200) {
            return Optional.empty();
        }
        Optional<Long> tokenId = jdbc.sql("SELECT id FROM api_token WHERE token_hash = ? AND revoked_at IS NULL")
                .param(Tokens.digest(token)).query(Long.class).optional();
        if (tokenId.isEmpty()) {
            return Optional.empty();
        }
        Instant now = Instant.now();
        jdbc.sql("DELETE FROM web_session WHERE expires_at < ?").param(Timestamp.from(now)).update();
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        jdbc.sql("INSERT INTO web_session (session_hash, token_id, created_at, expires_at) VALUES (?, ?, ?, ?)")
                .params(Tokens.digest(secret), tokenId.get(), Timestamp.from(now), Timestamp.from(now.plus(maxAge))).update();
        return Optional.of(secret);
    }

    /** Who a live session belongs to: its token's name and scope. */
    @Transactional(readOnly = true)
    public Optional<Tokens.Caller> find(String secret) {
        if (secret == null || !secret.startsWith(PREFIX) || secret.length() > 200) {
            return Optional.empty();
        }
        return jdbc.sql("SELECT t.name, t.scope FROM web_session s JOIN api_token t ON t.id = s.token_id"
                        + " WHERE s.session_hash = ? AND s.expires_at > ? AND t.revoked_at IS NULL")
                .params(Tokens.digest(secret), Timestamp.from(Instant.now()))
                .query((row, n) -> new Tokens.Caller(row.getString("name"), row.getString("scope"))).optional();
    }

    @Transactional
    public void end(String secret) {
        if (secret != null) {
            jdbc.sql("DELETE FROM web_session WHERE session_hash = ?").param(Tokens.digest(secret)).update();
        }
    }

    /**
     * The session's CSRF token: derived from its secret, so every instance knows it without more
     * state, it changes with every sign-in, and it is no use without the secret (which the page's
     * scripts never see).
     */
    static String csrfOf(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(("csrf:" + secret).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

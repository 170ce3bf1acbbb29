package dev.backendrouter.registry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * API tokens: {@code read} for routers, {@code write} for operators (a write token reads too).
 * A token is 32 random bytes, shown once when made; the database keeps only its SHA-256 digest,
 * which is enough for a secret of that size (a slow password hash guards guessable secrets).
 */
@Service
class Tokens {
    static final String PREFIX = "brt_";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Who made a request: a token's name and scope. */
    record Caller(String name, String scope) {
        static final Caller ANONYMOUS = new Caller("anonymous", "none");

        boolean canWrite() {
            return scope.equals("write");
        }

        boolean canRead() {
            return scope.equals("write") || scope.equals("read");
        }
    }

    /** A token as listed: never its secret. */
    record Listed(String name, String scope, Instant createdAt, Instant revokedAt) {
    }

    private final JdbcClient jdbc;

    Tokens(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Makes a token and returns it: the only time it is seen. */
    @Transactional
    public String create(String name, String scope) {
        if (name == null || !name.matches("[A-Za-z0-9._@-]{1,100}")) {
            throw new IllegalArgumentException("a token name is 1-100 letters, digits, '.', '_', '@' or '-', was '"
                    + dev.backendrouter.api.internal.Texts.printable(String.valueOf(name), 100) + "'");
        }
        if (!scope.equals("read") && !scope.equals("write")) {
            throw new IllegalArgumentException("a token's scope is read or write, was '"
                    + dev.backendrouter.api.internal.Texts.printable(scope, 20) + "'");
        }
        if (jdbc.sql("SELECT COUNT(*) FROM api_token WHERE name = ?").param(name).query(Long.class).single() > 0) {
            throw new IllegalArgumentException("a token named '" + name + "' exists already (revoked ones keep their name)");
        }
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        jdbc.sql("INSERT INTO api_token (name, scope, token_hash, created_at) VALUES (?, ?, ?, ?)")
                .params(name, scope, digest(token), Timestamp.from(Instant.now())).update();
        return token;
    }

    /** Revokes the token of this name; its requests are refused from now on. */
    @Transactional
    public boolean revoke(String name) {
        return jdbc.sql("UPDATE api_token SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL")
                .params(Timestamp.from(Instant.now()), name).update() > 0;
    }

    @Transactional(readOnly = true)
    public Optional<Caller> find(String token) {
        if (token == null || !token.startsWith(PREFIX) || token.length() > 200) {
            return Optional.empty();
        }
        return jdbc.sql("SELECT name, scope FROM api_token WHERE token_hash = ? AND revoked_at IS NULL").param(digest(token))
                .query((row, n) -> new Caller(row.getString("name"), row.getString("scope"))).optional();
    }

    @Transactional(readOnly = true)
    public List<Listed> list() {
        return jdbc.sql("SELECT name, scope, created_at, revoked_at FROM api_token ORDER BY id")
                .query((row, n) -> new Listed(row.getString("name"), row.getString("scope"), row.getTimestamp("created_at").toInstant(),
                        row.getTimestamp("revoked_at") == null ? null : row.getTimestamp("revoked_at").toInstant())).list();
    }

    @Transactional(readOnly = true)
    public boolean none() {
        return jdbc.sql("SELECT COUNT(*) FROM api_token").query(Long.class).single() == 0;
    }

    static String digest(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

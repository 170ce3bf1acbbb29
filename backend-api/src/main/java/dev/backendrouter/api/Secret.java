package dev.backendrouter.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A credential: an API key, a token, a password. Its text comes out only through {@link #reveal()},
 * which the router calls where it writes the header or sends the password; {@code toString()} is
 * {@code ****}, and a JSON mapper finds nothing to read (no getter, no public field), so a
 * {@link BackendMember} written by Jackson or logged whole never carries the secret.
 *
 * <pre>{@code
 * Secret key = Secret.of(System.getenv("SCHOOL_API_KEY"));
 * BackendAuth.apiKey("X-API-Key", key);
 * String.valueOf(key);                  // "****"
 * }</pre>
 *
 * Two secrets are equal when their texts are (compared in constant time), so a topology reloaded
 * with the same credentials equals the one it replaces.
 */
public final class Secret {
    private static final String MASK = "****";

    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    /** The secret of this text; {@code null} is refused. */
    public static Secret of(String value) {
        return new Secret(Objects.requireNonNull(value, "value"));
    }

    /** The secret of this text, or {@code null} for {@code null}: for optional settings. */
    public static Secret ofNullable(String value) {
        return value == null ? null : new Secret(value);
    }

    /** The secret's text. Call it only where the credential is sent; never log what it returns. */
    public String reveal() {
        return value;
    }

    /** {@code ****}, whatever the secret. */
    @Override
    public String toString() {
        return MASK;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secret secret && MessageDigest.isEqual(
                value.getBytes(StandardCharsets.UTF_8), secret.value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        // equal secrets must hash alike; a constant keeps the hash from telling anything about the text
        return 1;
    }
}

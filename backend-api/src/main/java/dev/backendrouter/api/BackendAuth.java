package dev.backendrouter.api;

import java.util.Objects;

/**
 * Credentials the router adds to every attempt on a member. Each secret is a {@link Secret}:
 * {@code toString()} and JSON mappers never show it.
 *
 * <pre>{@code
 * BackendAuth.apiKey("X-API-Key", System.getenv("SCHOOL_API_KEY"))   // X-API-Key: <key>
 * BackendAuth.bearer(System.getenv("TOKEN"))                          // Authorization: Bearer <token>
 * BackendAuth.password(null, System.getenv("REDIS_PASSWORD"))          // Redis AUTH, for redis:// cache members
 * }</pre>
 */
public sealed interface BackendAuth permits BackendAuth.None, BackendAuth.ApiKey, BackendAuth.Bearer, BackendAuth.Password {

    /** No credentials. */
    static BackendAuth none() {
        return None.INSTANCE;
    }

    /** A secret sent in the named header, as {@code X-API-Key} services expect. */
    static BackendAuth apiKey(String header, String value) {
        return new ApiKey(header, Secret.of(Objects.requireNonNull(value, "value")));
    }

    /** A secret sent in the named header. */
    static BackendAuth apiKey(String header, Secret value) {
        return new ApiKey(header, value);
    }

    /** A token sent as {@code Authorization: Bearer <token>}. */
    static BackendAuth bearer(String token) {
        return new Bearer(Secret.of(Objects.requireNonNull(token, "token")));
    }

    /** A token sent as {@code Authorization: Bearer <token>}. */
    static BackendAuth bearer(Secret token) {
        return new Bearer(token);
    }

    /**
     * A password, with a user name for an ACL user ({@code null} for Redis's default user): how a
     * {@code redis://} cache member authenticates. HTTP members use {@link #apiKey} or {@link #bearer}.
     */
    static BackendAuth password(String username, String password) {
        return new Password(username, Secret.of(Objects.requireNonNull(password, "password")));
    }

    /** A password with a user name ({@code null} for Redis's default user). */
    static BackendAuth password(String username, Secret password) {
        return new Password(username, password);
    }

    /** The header name the credential travels in, or {@code null} for {@link #none()} and {@link Password}. */
    String headerName();

    /**
     * The full header value ({@code Bearer <token>} for a bearer token), or {@code null} for
     * {@link #none()} and {@link Password}; its {@link Secret#reveal()} is what goes on the wire.
     */
    Secret headerValue();

    /** No credentials. */
    enum None implements BackendAuth {
        INSTANCE;

        @Override
        public String headerName() {
            return null;
        }

        @Override
        public Secret headerValue() {
            return null;
        }

        @Override
        public String toString() {
            return "none";
        }
    }

    /** A secret in a named header. */
    record ApiKey(String header, Secret value) implements BackendAuth {
        public ApiKey {
            Objects.requireNonNull(header, "header");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String headerName() {
            return header;
        }

        @Override
        public Secret headerValue() {
            return value;
        }

        @Override
        public String toString() {
            return "ApiKey[header=" + header + ", value=****]";
        }
    }

    /** A bearer token. */
    record Bearer(Secret token) implements BackendAuth {
        public Bearer {
            Objects.requireNonNull(token, "token");
        }

        @Override
        public String headerName() {
            return "Authorization";
        }

        @Override
        public Secret headerValue() {
            return Secret.of("Bearer " + token.reveal());
        }

        @Override
        public String toString() {
            return "Bearer[****]";
        }
    }

    /** A user name and password, sent in no header: Redis's {@code AUTH [username] password}. */
    record Password(String username, Secret password) implements BackendAuth {
        public Password {
            Objects.requireNonNull(password, "password");
        }

        @Override
        public String headerName() {
            return null;
        }

        @Override
        public Secret headerValue() {
            return null;
        }

        @Override
        public String toString() {
            return "Password[" + (username == null ? "" : "username=" + username + ", ") + "password=****]";
        }
    }
}

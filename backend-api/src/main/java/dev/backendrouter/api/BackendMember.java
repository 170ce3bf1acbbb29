package dev.backendrouter.api;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One backend of a group: a resolved backend connection of the registry.
 *
 * <pre>{@code
 * BackendMember primary = BackendMember.builder("file-system-server-1", "http://localhost:4001")
 *     .role(BackendRole.PRIMARY)
 *     .priority(1)
 *     .build();
 * }</pre>
 *
 * A member is checked when the {@link Topology} holding it is built, never before: the
 * canonical constructor accepts anything so that a loader can report every problem at once.
 *
 * @param name unique name, such as the deployment name ({@code file-system-server-1})
 * @param url base URL; calls append their path to it
 * @param role what the member does; default {@link BackendRole#PRIMARY}
 * @param priority lower is preferred within a role; default 1
 * @param weight share of calls within a tier, relative to the other members; default 100
 * @param routingKey the shard range for {@link BackendRole#SHARD}, or a shard's range for the
 *     backups, replicas, caches and archives of that shard; {@code null} otherwise
 * @param labels free-form labels such as {@code stage} and {@code zone}; never {@code null}
 * @param auth credentials added to every attempt; never {@code null}
 * @param timeouts per-member timeout overrides; never {@code null}
 * @param circuitBreaker per-member circuit breaker settings over the topology's defaults; never {@code null}
 * @param tls how an {@code https} member's certificate is verified; never {@code null}, default
 *     {@link MemberTls#DEFAULTS} (the JVM's trusted CAs, no pins)
 */
public record BackendMember(
        String name,
        URI url,
        BackendRole role,
        int priority,
        int weight,
        String routingKey,
        Map<String, String> labels,
        BackendAuth auth,
        MemberTimeouts timeouts,
        BreakerSettings circuitBreaker,
        MemberTls tls) {

    /** The default priority. */
    public static final int DEFAULT_PRIORITY = 1;
    /** The default weight. */
    public static final int DEFAULT_WEIGHT = 100;
    /** The label that names the stage a member belongs to. */
    public static final String STAGE_LABEL = "stage";

    /** URL schemes of cache members served by an integration module rather than over HTTP. */
    public static final java.util.Set<String> CACHE_SCHEMES = java.util.Set.of("redis", "rediss", "redis-sentinel");

    public BackendMember {
        if (url != null && (auth == null || auth instanceof BackendAuth.None) && isCacheScheme(url)) {
            // credentials in a redis URL move into auth, so that url() never holds a secret
            String userInfo = dev.backendrouter.api.internal.Texts.rawUserInfo(url);
            if (userInfo != null) {
                auth = passwordOf(userInfo);
                url = dev.backendrouter.api.internal.Texts.withoutUserInfo(url, userInfo);
            }
        }
        labels = labels == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        auth = auth == null ? BackendAuth.none() : auth;
        timeouts = timeouts == null ? MemberTimeouts.DEFAULTS : timeouts;
        circuitBreaker = circuitBreaker == null ? BreakerSettings.INHERIT : circuitBreaker;
        tls = tls == null ? MemberTls.DEFAULTS : tls;
    }

    /** Whether the URL names a cache served by an integration module ({@code redis://}, {@code rediss://}, ...). */
    public static boolean isCacheScheme(URI url) {
        return url.getScheme() != null && CACHE_SCHEMES.contains(url.getScheme().toLowerCase(java.util.Locale.ROOT));
    }

    /** {@code user:password} or {@code password} (as Redis URLs write it), percent-decoded. */
    private static BackendAuth passwordOf(String userInfo) {
        int colon = userInfo.indexOf(':');
        String user = colon < 0 ? null : decode(userInfo.substring(0, colon));
        String password = decode(colon < 0 ? userInfo : userInfo.substring(colon + 1));
        return BackendAuth.password(user == null || user.isEmpty() ? null : user, password);
    }

    private static String decode(String text) {
        try {
            return java.net.URLDecoder.decode(text.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }

    /** The member with its auth masked: a record's own {@code toString} would be as safe, this one is shorter. */
    @Override
    public String toString() {
        return "BackendMember[name=" + name + ", url=" + (url == null ? null : dev.backendrouter.api.internal.Texts.redacted(url))
                + ", role=" + role + ", priority=" + priority + ", weight=" + weight + ", routingKey=" + routingKey
                + ", labels=" + labels + ", auth=" + auth + ", timeouts=" + timeouts + ", circuitBreaker=" + circuitBreaker
                + ", tls=" + tls + "]";
    }

    /** Starts a member with the given name and base URL. */
    public static Builder builder(String name, String url) {
        return new Builder(name, URI.create(Objects.requireNonNull(url, "url")));
    }

    /** The shard range of {@link #routingKey()}, parsed; throws if it has none or it is malformed. */
    public ShardRange shardRange() {
        if (routingKey == null) {
            throw new IllegalStateException("member " + name + " has no routing key");
        }
        return ShardRange.parse(routingKey);
    }

    /** The {@code stage} label, or {@code null}. */
    public String stage() {
        return labels.get(STAGE_LABEL);
    }

    /** Builds a {@link BackendMember}; every option has the documented default. */
    public static final class Builder {
        private final String name;
        private final URI url;
        private BackendRole role = BackendRole.PRIMARY;
        private int priority = DEFAULT_PRIORITY;
        private int weight = DEFAULT_WEIGHT;
        private String routingKey;
        private final Map<String, String> labels = new LinkedHashMap<>();
        private BackendAuth auth = BackendAuth.none();
        private MemberTimeouts timeouts = MemberTimeouts.DEFAULTS;
        private BreakerSettings circuitBreaker = BreakerSettings.INHERIT;
        private MemberTls tls = MemberTls.DEFAULTS;

        private Builder(String name, URI url) {
            this.name = Objects.requireNonNull(name, "name");
            this.url = url;
        }

        public Builder role(BackendRole role) {
            this.role = Objects.requireNonNull(role, "role");
            return this;
        }

        public Builder priority(int priority) {
            this.priority = priority;
            return this;
        }

        public Builder weight(int weight) {
            this.weight = weight;
            return this;
        }

        /** The shard range ({@code users-a-m}, {@code users#0-8191}); see {@link ShardRange}. */
        public Builder routingKey(String routingKey) {
            this.routingKey = routingKey;
            return this;
        }

        public Builder label(String key, String value) {
            labels.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public Builder auth(BackendAuth auth) {
            this.auth = Objects.requireNonNull(auth, "auth");
            return this;
        }

        public Builder timeouts(MemberTimeouts timeouts) {
            this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
            return this;
        }

        /** Circuit breaker settings of this member over the topology's defaults. */
        public Builder circuitBreaker(BreakerSettings circuitBreaker) {
            this.circuitBreaker = Objects.requireNonNull(circuitBreaker, "circuitBreaker");
            return this;
        }

        /** How this {@code https} member's certificate is verified; see {@link MemberTls}. */
        public Builder tls(MemberTls tls) {
            this.tls = Objects.requireNonNull(tls, "tls");
            return this;
        }

        public BackendMember build() {
            return new BackendMember(name, url, role, priority, weight, routingKey, labels, auth, timeouts, circuitBreaker, tls);
        }
    }
}

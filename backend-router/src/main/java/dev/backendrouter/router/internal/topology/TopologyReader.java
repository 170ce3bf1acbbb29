package dev.backendrouter.router.internal.topology;

import dev.backendrouter.api.BackendAuth;
import dev.backendrouter.api.BackendGroup;
import dev.backendrouter.api.BackendMember;
import dev.backendrouter.api.BackendRole;
import dev.backendrouter.api.BreakerSettings;
import dev.backendrouter.api.MemberTimeouts;
import dev.backendrouter.api.MemberTls;
import dev.backendrouter.api.NearCacheSettings;
import dev.backendrouter.api.Problem;
import dev.backendrouter.api.Topology;
import dev.backendrouter.api.TopologyException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns a parsed, merged and resolved topology tree into a {@link Topology}, reporting every
 * problem with its path: first what the file's shape gets wrong (types, unknown fields, roles),
 * then what the model's rules find, without repeating a path already reported.
 */
public final class TopologyReader {
    static final Set<String> ROOT_FIELDS = Set.of("service", "stage", "version", "defaults", "groups", "backends");
    static final Set<String> DEFAULTS_FIELDS = Set.of("circuitBreaker");
    static final Set<String> BREAKER_FIELDS = Set.of("window", "minimumCalls", "failureRate", "openFor", "halfOpenCalls");
    static final Set<String> GROUP_FIELDS = Set.of("backends", "allowShardGaps", "cache");
    static final Set<String> CACHE_FIELDS = Set.of("near");
    static final Set<String> NEAR_CACHE_FIELDS = Set.of("maxSize", "ttl", "staleIfError");
    static final Set<String> MEMBER_FIELDS = Set.of(
            "name", "url", "kubernetes", "role", "priority", "weight", "routingKey", "labels", "auth", "timeouts", "circuitBreaker", "tls");
    static final Set<String> KUBERNETES_FIELDS = Set.of("service", "namespace", "port", "scheme");
    static final Set<String> AUTH_FIELDS = Set.of("header", "value", "bearer", "username", "password");
    static final Set<String> TIMEOUT_FIELDS = Set.of("connect", "attempt");
    static final Set<String> TLS_FIELDS = Set.of("trustedCertificates", "trustStore", "trustStorePassword", "pins");

    private final List<Problem> problems;
    /** Paths whose problem the model would report again in other words (a url missing where a kubernetes block is wrong). */
    private final Set<String> covered = new HashSet<>();
    private final Fields fields;

    private TopologyReader(List<Problem> problems) {
        this.problems = problems;
        this.fields = new Fields(problems);
    }

    /**
     * Builds the topology, or throws a {@link TopologyException} with every problem in
     * {@code earlier} (from parsing and placeholders) and in the tree.
     *
     * @param stage the stage the caller asked for, or {@code null} to take the file's
     */
    public static Topology read(ObjectNode root, String source, String stage, List<Problem> earlier) {
        List<Problem> problems = new ArrayList<>(earlier);
        TopologyReader reader = new TopologyReader(problems);
        Topology.Builder builder = reader.root(root, stage);
        boolean flat = root.has("backends") && !root.has("groups");
        Set<String> reported = new HashSet<>();
        problems.forEach(problem -> reported.add(problem.path()));
        reported.addAll(reader.covered);
        for (Problem problem : builder.problems()) {
            String path = flat ? flatPath(problem.path()) : problem.path();
            if (!reported.contains(path)) {
                problems.add(new Problem(path, problem.message()));
            }
        }
        if (!problems.isEmpty()) {
            throw new TopologyException(source, problems);
        }
        return builder.build();
    }

    /** A file with a top-level {@code backends} list speaks of {@code backends[i]}, not of the implied group. */
    private static String flatPath(String path) {
        String implied = "groups." + BackendGroup.DEFAULT_NAME + ".";
        return path.startsWith(implied) ? path.substring(implied.length()) : path;
    }

    private Topology.Builder root(ObjectNode root, String askedStage) {
        fields.checkKnown(root, "", ROOT_FIELDS);
        Topology.Builder builder = Topology.builder()
                .service(fields.string(root, "", "service"))
                .version(fields.scalarText(root, "", "version"));
        String fileStage = fields.string(root, "", "stage");
        if (askedStage != null && fileStage != null && !askedStage.equals(fileStage)) {
            problems.add(new Problem("stage", "the file is for stage '" + Fields.printable(fileStage) + "' but stage '"
                    + askedStage + "' was asked for: set stage: " + askedStage + " in its overlay, or leave stage out of the base"));
        }
        builder.stage(askedStage != null ? askedStage : fileStage);
        JsonNode defaults = root.get("defaults");
        if (defaults != null && !defaults.isNull()) {
            if (!defaults.isObject()) {
                problems.add(new Problem("defaults", "must be a mapping such as { circuitBreaker: { openFor: 10s } }"));
            } else {
                fields.checkKnown(defaults, "defaults", DEFAULTS_FIELDS);
                builder.circuitBreakerDefaults(breaker(defaults, "defaults.circuitBreaker"));
            }
        }
        JsonNode groups = root.get("groups");
        JsonNode flat = root.get("backends");
        if (groups != null && flat != null) {
            problems.add(new Problem("backends", "use either 'groups' or a top-level 'backends' list, not both"));
        }
        if (groups != null && !groups.isNull()) {
            if (!groups.isObject()) {
                problems.add(new Problem("groups", "must be a mapping of group name to { backends: [...] }"));
            } else {
                for (String name : groups.propertyNames()) {
                    builder.group(group("groups." + Fields.printable(name), name, groups.get(name)));
                }
            }
        } else if (flat != null && !flat.isNull()) {
            ObjectNode implied = root.objectNode();
            implied.set("backends", flat);
            builder.group(group("", BackendGroup.DEFAULT_NAME, implied)).writtenAsBackendsList(true);
        }
        return builder;
    }

    private BackendGroup group(String path, String name, JsonNode node) {
        if (!node.isObject()) {
            problems.add(new Problem(path, "must be a mapping with a 'backends' list"));
            return new BackendGroup(name, List.of(), false);
        }
        fields.checkKnown(node, path, GROUP_FIELDS);
        String backendsPath = Fields.child(path, "backends");
        JsonNode backends = node.get("backends");
        List<BackendMember> members = new ArrayList<>();
        if (backends == null || backends.isNull()) {
            problems.add(new Problem(backendsPath, "required: the group's list of backends"));
        } else if (!backends.isArray()) {
            problems.add(new Problem(backendsPath, "must be a list of backends"));
        } else {
            for (int i = 0; i < backends.size(); i++) {
                BackendMember member = member(backendsPath + "[" + i + "]", backends.get(i));
                if (member != null) {
                    members.add(member);
                }
            }
        }
        Boolean gaps = fields.bool(node, path, "allowShardGaps");
        return new BackendGroup(name, members, gaps != null && gaps, nearCache(node, Fields.child(path, "cache")));
    }

    private NearCacheSettings nearCache(JsonNode group, String path) {
        JsonNode cache = group.get("cache");
        if (cache == null || cache.isNull()) {
            return null;
        }
        if (!cache.isObject()) {
            problems.add(new Problem(path, "must be a mapping such as { near: { maxSize: 10000, ttl: 5m } }"));
            return null;
        }
        fields.checkKnown(cache, path, CACHE_FIELDS);
        JsonNode near = cache.get("near");
        String nearPath = Fields.child(path, "near");
        if (near == null || near.isNull()) {
            return null;
        }
        if (!near.isObject()) {
            problems.add(new Problem(nearPath, "must be a mapping such as { maxSize: 10000, ttl: 5m, staleIfError: 1m }"));
            return null;
        }
        fields.checkKnown(near, nearPath, NEAR_CACHE_FIELDS);
        return new NearCacheSettings(fields.integer(near, nearPath, "maxSize"), fields.duration(near, nearPath, "ttl"),
                fields.duration(near, nearPath, "staleIfError"));
    }

    private BackendMember member(String path, JsonNode node) {
        if (!node.isObject()) {
            problems.add(new Problem(path, "must be a mapping with at least name and url (or kubernetes)"));
            return null;
        }
        fields.checkKnown(node, path, MEMBER_FIELDS);
        BackendRole role = BackendRole.PRIMARY;
        String roleText = fields.string(node, path, "role");
        if (roleText != null) {
            role = BackendRole.parse(roleText).orElse(null);
            if (role == null) {
                problems.add(new Problem(Fields.child(path, "role"), "unknown role '" + Fields.printable(roleText)
                        + "': use one of " + BackendRole.validNames()));
            }
        }
        Integer priority = fields.integer(node, path, "priority");
        Integer weight = fields.integer(node, path, "weight");
        return new BackendMember(
                fields.string(node, path, "name"),
                url(node, path),
                role,
                priority == null ? BackendMember.DEFAULT_PRIORITY : priority,
                weight == null ? BackendMember.DEFAULT_WEIGHT : weight,
                fields.string(node, path, "routingKey"),
                labels(node, path),
                auth(node, Fields.child(path, "auth")),
                timeouts(node, Fields.child(path, "timeouts")),
                breaker(node, Fields.child(path, "circuitBreaker")),
                tls(node, Fields.child(path, "tls")));
    }

    private MemberTls tls(JsonNode member, String path) {
        JsonNode node = member.get("tls");
        if (node == null || node.isNull()) {
            return MemberTls.DEFAULTS;
        }
        if (!node.isObject()) {
            problems.add(new Problem(path, "must be a mapping such as { trustedCertificates: ca.pem, pins: [ sha256/... ] }"));
            return MemberTls.DEFAULTS;
        }
        fields.checkKnown(node, path, TLS_FIELDS);
        List<String> pins = new ArrayList<>();
        JsonNode list = node.get("pins");
        String pinsPath = Fields.child(path, "pins");
        if (list != null && !list.isNull()) {
            if (!list.isArray()) {
                problems.add(new Problem(pinsPath, "must be a list such as [ \"sha256/...=\", \"sha256/...=\" ]"));
            } else {
                for (int i = 0; i < list.size(); i++) {
                    if (list.get(i).isString()) {
                        pins.add(list.get(i).asString());
                    } else if (!list.get(i).isNull()) {     // null: an unset placeholder, reported already
                        problems.add(new Problem(pinsPath + "[" + i + "]", "must be a text such as \"sha256/...=\""));
                    }
                }
            }
        }
        return new MemberTls(fields.string(node, path, "trustedCertificates"), fields.string(node, path, "trustStore"),
                dev.backendrouter.api.Secret.ofNullable(fields.secret(node, path, "trustStorePassword")), pins);
    }

    private BreakerSettings breaker(JsonNode parent, String path) {
        JsonNode node = parent.get("circuitBreaker");
        if (node == null || node.isNull()) {
            return BreakerSettings.INHERIT;
        }
        if (!node.isObject()) {
            problems.add(new Problem(path, "must be a mapping such as { failureRate: 50, openFor: 10s }"));
            return BreakerSettings.INHERIT;
        }
        fields.checkKnown(node, path, BREAKER_FIELDS);
        return new BreakerSettings(fields.integer(node, path, "window"), fields.integer(node, path, "minimumCalls"),
                fields.integer(node, path, "failureRate"), fields.duration(node, path, "openFor"),
                fields.integer(node, path, "halfOpenCalls"));
    }

    private URI url(JsonNode member, String path) {
        JsonNode kubernetes = member.get("kubernetes");
        if (kubernetes != null && !kubernetes.isNull()) {
            if (member.hasNonNull("url")) {
                problems.add(new Problem(Fields.child(path, "kubernetes"), "give either url or kubernetes, not both"));
                covered.add(Fields.child(path, "url"));
                return null;
            }
            return kubernetes(kubernetes, path);
        }
        String text = fields.string(member, path, "url");
        if (text == null) {
            return null;
        }
        try {
            return new URI(text.trim());
        } catch (URISyntaxException e) {
            problems.add(new Problem(Fields.child(path, "url"), "malformed URL: " + Fields.printable(e.getReason())
                    + " at index " + e.getIndex() + " (expected e.g. http://localhost:4001)"));
            return null;
        }
    }

    /** A {@code kubernetes} block: the Service whose endpoints fill this tier, held as a {@code kubernetes://} URL. */
    private URI kubernetes(JsonNode node, String memberPath) {
        String path = Fields.child(memberPath, "kubernetes");
        covered.add(Fields.child(memberPath, "url"));
        if (!node.isObject()) {
            problems.add(new Problem(path, "must be a mapping such as { service: file-system-server, namespace: storage, port: http }"));
            return null;
        }
        fields.checkKnown(node, path, KUBERNETES_FIELDS);
        JsonNode portNode = node.get("port");
        String port = portNode != null && portNode.isIntegralNumber() ? portNode.asString() : fields.string(node, path, "port");
        String service = fields.string(node, path, "service");
        String namespace = fields.string(node, path, "namespace");
        String scheme = fields.string(node, path, "scheme");
        java.util.Map<String, String> found = dev.backendrouter.api.KubernetesService.problems(service, namespace, port, scheme);
        found.forEach((field, message) -> problems.add(new Problem(Fields.child(path, field), message)));
        if (!found.isEmpty()) {
            return null;
        }
        return new dev.backendrouter.api.KubernetesService(service, namespace, port, scheme).toUrl();
    }

    private Map<String, String> labels(JsonNode member, String path) {
        String labelsPath = Fields.child(path, "labels");
        JsonNode node = member.get("labels");
        Map<String, String> labels = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return labels;
        }
        if (!node.isObject()) {
            problems.add(new Problem(labelsPath, "must be a mapping of label name to value, e.g. { stage: prod, zone: a }"));
            return labels;
        }
        for (String name : node.propertyNames()) {
            String value = fields.scalarText(node, labelsPath, name);
            if (value != null) {
                labels.put(name, value);
            }
        }
        return labels;
    }

    private BackendAuth auth(JsonNode member, String path) {
        JsonNode node = member.get("auth");
        if (node == null || node.isNull()) {
            return BackendAuth.none();
        }
        if (!node.isObject()) {
            problems.add(new Problem(path, "must be { header: X-API-Key, value: ... }, { bearer: ... } or, for a redis member, { password: ... }"));
            return BackendAuth.none();
        }
        fields.checkKnown(node, path, AUTH_FIELDS);
        String header = fields.string(node, path, "header");
        String value = fields.secret(node, path, "value");
        String bearer = fields.secret(node, path, "bearer");
        String username = fields.secret(node, path, "username");
        String password = fields.secret(node, path, "password");
        if (node.has("password") || node.has("username")) {
            if (header != null || value != null || bearer != null) {
                problems.add(new Problem(path, "give one kind of credential: header and value, bearer, or password"));
            } else if (password != null) {
                return BackendAuth.password(username, password);
            } else if (!node.has("password")) {
                problems.add(new Problem(path, "incomplete: a username needs a password"));
            }
            return BackendAuth.none();
        }
        if (bearer != null && (header != null || value != null)) {
            problems.add(new Problem(path, "give either header and value, or bearer, not both"));
        } else if (bearer != null) {
            return BackendAuth.bearer(bearer);
        } else if (header != null && value != null) {
            return BackendAuth.apiKey(header, value);
        } else if (!node.has("bearer") && !(node.has("header") && node.has("value"))) {
            problems.add(new Problem(path, "incomplete: give header and value (an API key), or bearer (a token)"));
        }
        return BackendAuth.none();
    }

    private MemberTimeouts timeouts(JsonNode member, String path) {
        JsonNode node = member.get("timeouts");
        if (node == null || node.isNull()) {
            return MemberTimeouts.DEFAULTS;
        }
        if (!node.isObject()) {
            problems.add(new Problem(path, "must be a mapping such as { connect: 200ms, attempt: 2s }"));
            return MemberTimeouts.DEFAULTS;
        }
        fields.checkKnown(node, path, TIMEOUT_FIELDS);
        Duration connect = fields.duration(node, path, "connect");
        Duration attempt = fields.duration(node, path, "attempt");
        return new MemberTimeouts(connect, attempt);
    }
}

package dev.backendrouter.api.internal;

import dev.backendrouter.api.BackendAuth;
import dev.backendrouter.api.BackendGroup;
import dev.backendrouter.api.BackendMember;
import dev.backendrouter.api.BackendRole;
import dev.backendrouter.api.BreakerSettings;
import dev.backendrouter.api.MemberTimeouts;
import dev.backendrouter.api.MemberTls;
import dev.backendrouter.api.NearCacheSettings;
import dev.backendrouter.api.Problem;
import static dev.backendrouter.api.internal.Texts.hasControl;
import static dev.backendrouter.api.internal.Texts.printable;
import static dev.backendrouter.api.internal.Texts.redacted;
import static dev.backendrouter.api.internal.Texts.userInfo;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a topology's rules and reports every violation with its path. Used by
 * {@code Topology.Builder}; loaders call it through the builder and merge their own problems.
 */
public final class TopologyValidator {
    private static final Pattern SERVICE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern MEMBER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
    private static final Pattern GROUP_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern STAGE_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Pattern PIN = Pattern.compile("sha256/[A-Za-z0-9+/]{43}=");
    static final String PROD = "prod";

    private final List<Problem> problems = new ArrayList<>();

    private TopologyValidator() {
    }

    /** Every problem of a topology made of these parts; empty when it is valid. */
    public static List<Problem> validate(String service, String stage, BreakerSettings breakerDefaults,
            List<BackendGroup> groups) {
        TopologyValidator validator = new TopologyValidator();
        validator.checkBreaker("defaults.circuitBreaker", breakerDefaults);
        validator.checkTopology(service, stage, groups);
        return List.copyOf(validator.problems);
    }

    private void problem(String path, String message) {
        problems.add(new Problem(path, message));
    }

    private void checkTopology(String service, String stage, List<BackendGroup> groups) {
        if (service == null || service.isBlank()) {
            problem("service", "required: the name of the service that calls these backends");
        } else if (!SERVICE_NAME.matcher(service).matches()) {
            problem("service", "'" + printable(service) + "' is not a valid service name "
                    + "(letters, digits, '.', '_', '-'; up to 128)");
        }
        if (stage != null && !STAGE_NAME.matcher(stage).matches()) {
            problem("stage", "'" + printable(stage) + "' is not a valid stage name (lower-case letters, digits, '-', '_')");
        }
        if (groups.isEmpty()) {
            problem("groups", "no groups: list backends under 'groups.<name>.backends' or a top-level 'backends'");
        }
        Set<String> groupNames = new HashSet<>();
        Map<String, Placed> membersByName = new HashMap<>();
        Map<String, Map<String, Placed>> membersByUrl = new HashMap<>();
        for (BackendGroup group : groups) {
            String path = "groups." + printable(group.name());
            if (!groupNames.add(group.name())) {
                problem(path, "duplicate group name '" + printable(group.name()) + "'");
            }
            checkGroup(path, group, stage, membersByName);
            for (int i = 0; i < group.members().size(); i++) {
                checkSameBackendSettings(path + ".backends[" + i + "]", group.members().get(i), membersByUrl);
            }
        }
    }

    /**
     * Members with one URL are one backend with one breaker: a setting given by several of them
     * (a breaker field, or the attempt timeout that is the breaker's slow-call threshold) must
     * agree. A setting given in one place only is fine: that explicit value wins over the defaults.
     */
    private void checkSameBackendSettings(String memberPath, BackendMember member, Map<String, Map<String, Placed>> byUrl) {
        if (member.url() == null) {
            return;
        }
        Map<String, Placed> settings = byUrl.computeIfAbsent(withoutTrailingSlash(member.url()), u -> new HashMap<>());
        BreakerSettings breaker = member.circuitBreaker();
        agree(memberPath + ".circuitBreaker.window", member, "window", breaker.window(), settings);
        agree(memberPath + ".circuitBreaker.minimumCalls", member, "minimumCalls", breaker.minimumCalls(), settings);
        agree(memberPath + ".circuitBreaker.failureRate", member, "failureRate", breaker.failureRate(), settings);
        agree(memberPath + ".circuitBreaker.openFor", member, "openFor", breaker.openFor(), settings);
        agree(memberPath + ".circuitBreaker.halfOpenCalls", member, "halfOpenCalls", breaker.halfOpenCalls(), settings);
        agree(memberPath + ".timeouts.attempt", member, "timeouts.attempt", member.timeouts().attempt(), settings);
        // one backend is one health probe and one pool of connections: it is verified one way
        Placed tls = settings.putIfAbsent("tls", new Placed(memberPath, member, member.tls()));
        if (tls != null && !tls.value().equals(member.tls())) {
            problem(memberPath + ".tls", "backend " + redacted(member.url()) + " is also " + tls.path()
                    + " with other tls settings; one backend is verified one way, so give both the same tls");
        }
    }

    private void agree(String path, BackendMember member, String field, Object value, Map<String, Placed> settings) {
        if (value == null) {
            return;
        }
        Placed earlier = settings.putIfAbsent(field, new Placed(path, member, value));
        if (earlier != null && !earlier.value().equals(value)) {
            problem(path, "backend " + redacted(member.url()) + " is also " + earlier.path().replaceAll("\\.(circuitBreaker|timeouts)\\..*$", "")
                    + " with " + field + " " + earlier.value() + "; one backend has one breaker, so give both the same "
                    + field + " or set it in one place");
        }
    }

    private void checkGroup(String path, BackendGroup group, String stage, Map<String, Placed> membersByName) {
        if (!GROUP_NAME.matcher(group.name()).matches()) {
            problem(path, "'" + printable(group.name()) + "' is not a valid group name: it is the host of "
                    + "http://" + "<group>/... calls, so use lower-case letters, digits and '-' (up to 63)");
        } else if (group.name().equals("localhost")) {
            problem(path, "'localhost' cannot be a group name: the routed client would take over every call to "
                    + "localhost; name the group after what it serves (storage, users)");
        }
        List<BackendMember> members = group.members();
        if (members.isEmpty()) {
            problem(path + ".backends", "the group has no backends");
            return;
        }
        Set<String> namesInGroup = new HashSet<>();
        boolean writable = false;
        boolean rolesKnown = true;
        for (int i = 0; i < members.size(); i++) {
            BackendMember member = members.get(i);
            String memberPath = path + ".backends[" + i + "]";
            checkMember(memberPath, member, stage);
            if (member.role() == null) {
                rolesKnown = false;
            } else if (member.role().acceptsWrites()) {
                writable = true;
            }
            if (member.name() != null && !member.name().isBlank()) {
                if (!namesInGroup.add(member.name())) {
                    problem(memberPath + ".name", "duplicate name '" + printable(member.name()) + "' in group "
                            + printable(group.name()));
                } else {
                    checkSameNameElsewhere(memberPath, member, membersByName);
                }
            }
        }
        if (!writable && rolesKnown) {
            problem(path, "the group has no member to write to: add a PRIMARY, BACKUP or SHARD backend");
        }
        new ShardChecks(path, group, problems).run();
        NearCacheSettings cache = group.nearCache();
        if (cache != null) {
            atLeast(path + ".cache.near.maxSize", cache.maxSize(), 1, 10_000_000);
            checkPositive(path + ".cache.near.ttl", cache.ttl());
            if (cache.staleIfError() != null && cache.staleIfError().isNegative()) {
                problem(path + ".cache.near.staleIfError", "must not be negative, was " + cache.staleIfError());
            }
        }
    }

    /** One name may serve several groups only as one backend: the same URL. */
    private void checkSameNameElsewhere(String memberPath, BackendMember member, Map<String, Placed> membersByName) {
        Placed earlier = membersByName.putIfAbsent(member.name(), new Placed(memberPath, member));
        if (earlier != null && member.url() != null && earlier.member().url() != null
                && !sameBackend(earlier.member().url(), member.url())) {
            problem(memberPath + ".url", "name '" + printable(member.name()) + "' is already used by " + earlier.path()
                    + " with url " + redacted(earlier.member().url()) + "; one name is one backend, so give this one another name");
        }
    }

    private void checkMember(String path, BackendMember member, String stage) {
        if (member.name() == null || member.name().isBlank()) {
            problem(path + ".name", "required: a unique name for the backend, e.g. its deployment name");
        } else if (!MEMBER_NAME.matcher(member.name()).matches()) {
            problem(path + ".name", "'" + printable(member.name()) + "' is not a valid name "
                    + "(letters, digits, '.', '_', ':', '-'; up to 128)");
        }
        if (member.url() != null && BackendMember.isCacheScheme(member.url())) {
            CacheUrls.check(path, member, problems);
        } else if (dev.backendrouter.api.KubernetesService.isServiceUrl(member.url())) {
            // a tier of a Service's endpoints: the module checks the Service against the cluster
            dev.backendrouter.api.KubernetesService.problemsOf(member.url()).forEach((field, message) ->
                    problem(path + ".url", (field.equals("url") ? "" : field + ": ") + message));
            if (member.auth() instanceof BackendAuth.Password) {
                problem(path + ".auth", "username and password are for redis cache members: a Service's endpoints take "
                        + "{ header: X-API-Key, value: ... } or { bearer: ... }");
            }
        } else {
            checkUrl(path + ".url", member.url());
            if (member.auth() instanceof BackendAuth.Password) {
                problem(path + ".auth", "username and password are for redis cache members: an HTTP member takes "
                        + "{ header: X-API-Key, value: ... } or { bearer: ... }");
            }
        }
        if (member.role() == null) {
            problem(path + ".role", "required: one of " + BackendRole.validNames());
        }
        if (member.priority() < 0) {
            problem(path + ".priority", "must be 0 or more (lower is preferred), was " + member.priority());
        }
        if (member.weight() <= 0) {
            problem(path + ".weight", "must be greater than 0, was " + member.weight());
        }
        checkLabels(path + ".labels", member, stage);
        checkAuth(path + ".auth", member.auth());
        checkTimeouts(path + ".timeouts", member.timeouts());
        checkBreaker(path + ".circuitBreaker", member.circuitBreaker());
        checkTls(path + ".tls", member);
    }

    /** The shape of a member's TLS settings; whether its files can be read is the router's to find out. */
    private void checkTls(String path, BackendMember member) {
        MemberTls tls = member.tls();
        if (tls.isDefault()) {
            return;
        }
        if (member.url() != null && "http".equalsIgnoreCase(member.url().getScheme())) {
            problem(path, "tls settings apply to https members, but the url is '" + printable(redacted(member.url()))
                    + "': use https:// or remove tls");
        }
        if (dev.backendrouter.api.KubernetesService.isServiceUrl(member.url())
                && dev.backendrouter.api.KubernetesService.of(member.url()).filter(k -> k.scheme().equals("http")).isPresent()) {
            problem(path, "tls settings apply to https endpoints, but this Service is called with scheme http: give"
                    + " kubernetes.scheme https or remove tls");
        }
        if (member.url() != null && BackendMember.isCacheScheme(member.url()) && !"rediss".equalsIgnoreCase(member.url().getScheme())) {
            problem(path, "tls settings apply to rediss:// members, but the url is '" + printable(redacted(member.url()))
                    + "': use rediss:// or remove tls");
        }
        if (member.url() != null && BackendMember.isCacheScheme(member.url()) && !tls.pins().isEmpty()) {
            problem(path + ".pins", "pins are checked for https members; for a rediss:// member give trustedCertificates or trustStore");
        }
        if (tls.trustedCertificates() != null && tls.trustStore() != null) {
            problem(path, "give either trustedCertificates (a PEM file) or trustStore (a PKCS12 or JKS file), not both");
        }
        checkFile(path + ".trustedCertificates", tls.trustedCertificates());
        checkFile(path + ".trustStore", tls.trustStore());
        if (tls.trustStorePassword() != null) {
            if (tls.trustStore() == null) {
                problem(path + ".trustStorePassword", "a password without a trustStore: give trustStore, or remove the password");
            } else {
                checkSecret(path + ".trustStorePassword", tls.trustStorePassword().reveal());
            }
        }
        for (int i = 0; i < tls.pins().size(); i++) {
            String pin = tls.pins().get(i);
            if (pin == null || !PIN.matcher(pin).matches() || Base64.getDecoder().decode(pin.substring(7)).length != 32) {
                problem(path + ".pins[" + i + "]", "'" + printable(String.valueOf(pin)) + "' is not a pin: write sha256/ "
                        + "and the base64 SHA-256 of the certificate's public key (44 characters, ending in '='), "
                        + "as OkHttp's CertificatePinner prints it");
            }
        }
    }

    private void checkFile(String path, String file) {
        if (file != null && (file.isBlank() || hasControl(file))) {
            problem(path, "'" + printable(file) + "' is not a file name: is its environment variable set?");
        }
    }

    private void checkBreaker(String path, BreakerSettings breaker) {
        atLeast(path + ".window", breaker.window(), 1, 10_000);
        atLeast(path + ".minimumCalls", breaker.minimumCalls(), 1, 10_000);
        atLeast(path + ".failureRate", breaker.failureRate(), 1, 100);
        atLeast(path + ".halfOpenCalls", breaker.halfOpenCalls(), 1, 1_000);
        checkPositive(path + ".openFor", breaker.openFor());
    }

    private void atLeast(String path, Integer value, int min, int max) {
        if (value != null && (value < min || value > max)) {
            problem(path, "must be within " + min + "-" + max + ", was " + value);
        }
    }

    private void checkUrl(String path, URI url) {
        if (url == null) {
            problem(path, "required: the backend's base URL, e.g. http://localhost:4001");
            return;
        }
        String scheme = url.getScheme() == null ? null : url.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            problem(path, "scheme must be http or https, was " + (scheme == null ? "none" : "'" + scheme + "'")
                    + " in '" + printable(redacted(url)) + "'");
            return;
        }
        if (url.getHost() == null || url.getHost().isEmpty()) {
            problem(path, "'" + printable(redacted(url)) + "' has no valid host");
        }
        if (url.getPort() == 0 || url.getPort() > 65535 || url.getPort() < -1) {
            problem(path, "port " + url.getPort() + " is outside 1-65535 in '" + printable(redacted(url)) + "'");
        }
        if (userInfo(url) != null) {
            problem(path, "credentials in the URL are not allowed (they would show in logs): "
                    + "use auth: { header: ..., value: ... } or auth: { bearer: ... }");
        }
        if (url.getRawQuery() != null || url.getRawFragment() != null) {
            problem(path, "a base URL cannot have a query or fragment: '" + printable(redacted(url)) + "'");
        }
    }

    private void checkLabels(String path, BackendMember member, String stage) {
        member.labels().forEach((key, value) -> {
            if (key.isBlank() || hasControl(key)) {
                problem(path, "label name '" + printable(key) + "' is blank or has control characters");
            }
            if (hasControl(value)) {
                problem(path + "." + printable(key), "label value has control characters");
            }
            if (!key.equals(BackendMember.STAGE_LABEL) && key.strip().equalsIgnoreCase(BackendMember.STAGE_LABEL)) {
                problem(path + "." + printable(key), "write the stage label as 'stage': the stage guard reads only that name");
            }
        });
        String memberStage = member.stage();
        if (memberStage != null && stage != null && !memberStage.equals(stage)) {
            String name = member.name() == null ? "this backend" : printable(member.name());
            if (PROD.equals(memberStage)) {
                problem(path + ".stage", name + " is labelled for prod but this topology is for stage '"
                        + printable(stage) + "': test stages never touch production backends");
            } else {
                problem(path + ".stage", name + " is labelled for stage '" + printable(memberStage)
                        + "' but this topology is for stage '" + printable(stage) + "': stages do not share backends");
            }
        }
    }

    private void checkAuth(String path, BackendAuth auth) {
        if (auth instanceof BackendAuth.Password password) {
            checkSecret(path + ".password", password.password().reveal());
            if (password.username() != null) {
                checkSecret(path + ".username", password.username());
            }
        }
        if (auth instanceof BackendAuth.ApiKey apiKey) {
            if (!HEADER_NAME.matcher(apiKey.header()).matches()) {
                problem(path + ".header", notAHeaderName(apiKey.header()));
            }
            checkSecret(path + ".value", apiKey.value().reveal());
        } else if (auth instanceof BackendAuth.Bearer bearer) {
            checkSecret(path + ".bearer", bearer.token().reveal());
        }
    }

    /**
     * Why a header name is invalid, without echoing it: a bad name is often a whole header line
     * pasted in ({@code X-API-Key: <the key>}), so the name may hold the secret.
     */
    private static String notAHeaderName(String header) {
        if (header.isEmpty()) {
            return "the header name is empty";
        }
        int at = 0;
        while (HEADER_NAME.matcher(header.substring(at, at + 1)).matches()) {
            at++;
        }
        char bad = header.charAt(at);
        String escaped = printable(String.valueOf(bad));
        String shown = Character.isWhitespace(bad) || Character.isSurrogate(bad) || !escaped.equals(String.valueOf(bad))
                ? String.format("\\u%04x", (int) bad) : "'" + bad + "'";
        return "not a valid header name: character " + (at + 1) + " is " + shown
                + " (a name is letters, digits and !#$%&'*+.^_`|~-; the secret goes in value, without the name)";
    }

    /** Reports a bad secret without ever echoing it. */
    private void checkSecret(String path, String secret) {
        if (secret.isBlank()) {
            problem(path, "the secret is empty: is its environment variable set?");
        } else if (hasControl(secret)) {
            problem(path, "the secret contains control characters (a stray newline?)");
        } else if (!secret.chars().allMatch(c -> c >= 0x20 && c <= 0x7e)) {
            problem(path, "the secret contains characters an HTTP header cannot carry (only visible ASCII): "
                    + "a stray invisible or accented character?");
        }
    }

    private void checkTimeouts(String path, MemberTimeouts timeouts) {
        checkPositive(path + ".connect", timeouts.connect());
        checkPositive(path + ".attempt", timeouts.attempt());
    }

    private void checkPositive(String path, Duration duration) {
        if (duration != null && (duration.isNegative() || duration.isZero())) {
            problem(path, "must be positive, was " + duration);
        }
    }

    /** One backend, whether or not its URL ends in a slash (the router keys its live state so too). */
    private static boolean sameBackend(URI one, URI other) {
        return withoutTrailingSlash(one).equals(withoutTrailingSlash(other));
    }

    private static String withoutTrailingSlash(URI url) {
        String text = url.toString();
        return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }

    private record Placed(String path, BackendMember member, Object value) {
        Placed(String path, BackendMember member) {
            this(path, member, null);
        }
    }

}

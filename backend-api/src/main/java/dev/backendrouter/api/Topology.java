package dev.backendrouter.api;

import dev.backendrouter.api.internal.TopologyValidator;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A service's backends: which deployments it calls, grouped by logical dependency, each in a
 * role. Immutable and always valid: {@link Builder#build()} checks every rule and throws a
 * {@link TopologyException} listing every problem. A changed topology is a new instance.
 *
 * <pre>{@code
 * Topology topology = Topology.builder()
 *     .service("file-service")
 *     .stage("prod")
 *     .group(BackendGroup.of("storage",
 *         BackendMember.builder("file-system-server-1", "http://localhost:4001").priority(1).build(),
 *         BackendMember.builder("file-system-server-2", "http://localhost:4002")
 *             .role(BackendRole.BACKUP).priority(2).build()))
 *     .build();
 * }</pre>
 */
public final class Topology {
    private final String service;
    private final String stage;
    private final String version;
    private final BreakerSettings circuitBreakerDefaults;
    private final List<BackendGroup> groups;
    private final Map<String, BackendGroup> groupsByName;
    private final boolean backendsList;

    private Topology(String service, String stage, String version, BreakerSettings circuitBreakerDefaults,
            List<BackendGroup> groups, boolean backendsList) {
        this.backendsList = backendsList;
        this.service = service;
        this.stage = stage;
        this.version = version;
        this.circuitBreakerDefaults = circuitBreakerDefaults;
        this.groups = List.copyOf(groups);
        Map<String, BackendGroup> byName = new LinkedHashMap<>();
        for (BackendGroup group : this.groups) {
            byName.put(group.name(), group);
        }
        this.groupsByName = Collections.unmodifiableMap(byName);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this topology's values, to derive a changed copy. */
    public Builder toBuilder() {
        Builder builder = new Builder().service(service).stage(stage).version(version)
                .circuitBreakerDefaults(circuitBreakerDefaults).writtenAsBackendsList(backendsList);
        groups.forEach(builder::group);
        return builder;
    }

    /** The name of the service whose backends these are ({@code file-service}). */
    public String service() {
        return service;
    }

    /** The stage ({@code wip}, {@code prep}, {@code ship}, {@code prod}), or {@code null} when unset. */
    public String stage() {
        return stage;
    }

    /** A version label for logs and snapshots ({@code 42}, an ETag), or {@code null}. */
    public String version() {
        return version;
    }

    /** Circuit breaker settings for every member ({@code defaults.circuitBreaker}); fields left null inherit the router's. */
    public BreakerSettings circuitBreakerDefaults() {
        return circuitBreakerDefaults;
    }

    /** The circuit breaker settings of one member: the topology's defaults with the member's own on top. */
    public BreakerSettings circuitBreakerOf(BackendMember member) {
        return circuitBreakerDefaults.overriddenBy(member.circuitBreaker());
    }

    /** The groups, in the order given. */
    public List<BackendGroup> groups() {
        return groups;
    }

    /** The group with this name, if any. */
    public Optional<BackendGroup> group(String name) {
        return Optional.ofNullable(groupsByName.get(name));
    }

    /**
     * Where a member is in the topology as its author wrote it, for problems found after the
     * topology was built (a TLS file a router cannot read, say): {@code backends[2]} for a file
     * that lists {@code backends:} without groups, else {@code groups.storage.backends[2]}.
     */
    public String memberPath(BackendGroup group, int index) {
        if (backendsList && group.name().equals(BackendGroup.DEFAULT_NAME)) {
            return "backends[" + index + "]";
        }
        return "groups." + dev.backendrouter.api.internal.Texts.printable(group.name()) + ".backends[" + index + "]";
    }

    /** Equal when service, stage, version, defaults and groups are; how it was written does not count. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Topology other
                && service.equals(other.service)
                && Objects.equals(stage, other.stage)
                && Objects.equals(version, other.version)
                && circuitBreakerDefaults.equals(other.circuitBreakerDefaults)
                && groups.equals(other.groups);
    }

    @Override
    public int hashCode() {
        return Objects.hash(service, stage, version, circuitBreakerDefaults, groups);
    }

    @Override
    public String toString() {
        return "Topology[service=" + service + ", stage=" + stage + ", version=" + version + ", groups=" + groups + "]";
    }

    /** Builds a {@link Topology}; {@link #build()} validates everything at once. */
    public static final class Builder {
        private String service;
        private String stage;
        private String version;
        private BreakerSettings circuitBreakerDefaults = BreakerSettings.INHERIT;
        private final List<BackendGroup> groups = new ArrayList<>();
        private boolean backendsList;

        private Builder() {
        }

        /**
         * Whether the topology was written as one top-level {@code backends} list (its group is
         * {@code default}), so that problems name {@code backends[i]} as its author wrote them;
         * see {@link Topology#memberPath}. Loaders set it; default {@code false}.
         */
        public Builder writtenAsBackendsList(boolean backendsList) {
            this.backendsList = backendsList;
            return this;
        }

        /** Required: the calling service's name. */
        public Builder service(String service) {
            this.service = service;
            return this;
        }

        /** Optional: the stage this topology is for; members labelled for another stage are refused. */
        public Builder stage(String stage) {
            this.stage = stage;
            return this;
        }

        /** Optional: a version label. */
        public Builder version(String version) {
            this.version = version;
            return this;
        }

        /** Optional: circuit breaker settings for every member. */
        public Builder circuitBreakerDefaults(BreakerSettings defaults) {
            this.circuitBreakerDefaults = Objects.requireNonNull(defaults, "defaults");
            return this;
        }

        /** Adds a group; group names must be unique. */
        public Builder group(BackendGroup group) {
            groups.add(Objects.requireNonNull(group, "group"));
            return this;
        }

        /** Adds a group made of these members. */
        public Builder group(String name, BackendMember... members) {
            return group(BackendGroup.of(name, members));
        }

        /** Every problem with the topology as it stands, empty when it is valid. */
        public List<Problem> problems() {
            return TopologyValidator.validate(service, stage, circuitBreakerDefaults, groups);
        }

        /**
         * Validates and builds.
         *
         * @throws TopologyException listing every problem, each with its path
         */
        public Topology build() {
            List<Problem> problems = problems();
            if (!problems.isEmpty()) {
                throw new TopologyException(service == null ? "(programmatic)" : "of " + service, problems);
            }
            return new Topology(service, stage, version, circuitBreakerDefaults, groups, backendsList);
        }
    }
}

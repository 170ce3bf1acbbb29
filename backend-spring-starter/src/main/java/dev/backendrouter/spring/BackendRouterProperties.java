package dev.backendrouter.spring;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of the Backend Router starter, under {@code backend-router.}: where the
 * topology comes from (a file, the registry, or inline groups) and the router's settings.
 */
@ConfigurationProperties("backend-router")
public class BackendRouterProperties {
    /** The stage this service runs in (wip, prep, ship, prod): loads the stage's overlay and refuses other stages' backends. */
    private String stage;
    private final TopologyFile topology = new TopologyFile();
    private final Registry registry = new Registry();
    /** Groups given inline, with the same fields as a topology file: groups.storage.backends[0].url=... */
    private Map<String, Group> groups = new LinkedHashMap<>();
    /** The calling service's name, for inline groups (else spring.application.name). */
    private String service;
    /** Where reads go first when a call names no read preference. */
    private dev.backendrouter.router.ReadPreference readPreference;
    private final Resilience resilience = new Resilience();
    private final Cache cache = new Cache();
    private final Health health = new Health();
    private final Kubernetes kubernetes = new Kubernetes();

    public String getStage() {
        return stage;
    }

    public void setStage(String stage) {
        this.stage = stage;
    }

    public TopologyFile getTopology() {
        return topology;
    }

    public Registry getRegistry() {
        return registry;
    }

    public Map<String, Group> getGroups() {
        return groups;
    }

    public void setGroups(Map<String, Group> groups) {
        this.groups = groups;
    }

    /** One inline group: its backends, with the fields of a topology file's backends. */
    public static class Group {
        /** The group's backends: name, url, role, priority, weight, routing-key, labels, auth, timeouts, circuit-breaker, tls. */
        private List<Map<String, Object>> backends = new java.util.ArrayList<>();
        /** Whether shard ranges may leave keys without a shard. */
        private Boolean allowShardGaps;
        /** The group's near cache: near.max-size, near.ttl, near.stale-if-error. */
        private Map<String, Object> cache;

        public List<Map<String, Object>> getBackends() {
            return backends;
        }

        public void setBackends(List<Map<String, Object>> backends) {
            this.backends = backends;
        }

        public Boolean getAllowShardGaps() {
            return allowShardGaps;
        }

        public void setAllowShardGaps(Boolean allowShardGaps) {
            this.allowShardGaps = allowShardGaps;
        }

        public Map<String, Object> getCache() {
            return cache;
        }

        public void setCache(Map<String, Object> cache) {
            this.cache = cache;
        }
    }

    public String getService() {
        return service;
    }

    public dev.backendrouter.router.ReadPreference getReadPreference() {
        return readPreference;
    }

    public void setReadPreference(dev.backendrouter.router.ReadPreference readPreference) {
        this.readPreference = readPreference;
    }

    public void setService(String service) {
        this.service = service;
    }

    public Resilience getResilience() {
        return resilience;
    }

    public Cache getCache() {
        return cache;
    }

    public Kubernetes getKubernetes() {
        return kubernetes;
    }

    public Health getHealth() {
        return health;
    }

    /** A topology file. */
    public static class TopologyFile {
        /** Where the topology file is: classpath:topology.yaml or file:/etc/service/topology.yaml. */
        private String location;

        public String getLocation() {
            return location;
        }

        public void setLocation(String location) {
            this.location = location;
        }
    }

    /** The Backend Connections registry. */
    public static class Registry {
        /** Base URL of the registry, such as http://registry:8080. */
        private URI url;
        /** The id of this service's deployment in the registry. */
        private Long deploymentId;
        /** How often the registry is polled (with ETags). */
        private Duration pollInterval;
        /** A file to keep the last valid topology in, to start from when the registry is down. */
        private Path lastKnownGood;
        /** Header the registry's credential travels in, such as X-API-Key. */
        private String authHeader;
        /** The registry's credential. Never logged. */
        private String authValue;
        /**
         * A backend-registry token, sent as {@code Authorization: Bearer ...}: give it as a
         * placeholder, {@code ${REGISTRY_TOKEN}}. Never logged.
         */
        private String token;
        /**
         * The only hosts the registry may send calls to: names, '*.' name suffixes, IP addresses
         * or CIDR blocks (such as *.svc.cluster.local, 10.0.0.0/8). Empty allows any host.
         */
        private java.util.List<String> allowedHosts = new java.util.ArrayList<>();

        public URI getUrl() {
            return url;
        }

        public void setUrl(URI url) {
            this.url = url;
        }

        public Long getDeploymentId() {
            return deploymentId;
        }

        public void setDeploymentId(Long deploymentId) {
            this.deploymentId = deploymentId;
        }

        public Duration getPollInterval() {
            return pollInterval;
        }

        public void setPollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
        }

        public Path getLastKnownGood() {
            return lastKnownGood;
        }

        public void setLastKnownGood(Path lastKnownGood) {
            this.lastKnownGood = lastKnownGood;
        }

        public String getAuthHeader() {
            return authHeader;
        }

        public void setAuthHeader(String authHeader) {
            this.authHeader = authHeader;
        }

        public String getToken() {
            return token;
        }

        public void setToken(String token) {
            this.token = token;
        }

        public String getAuthValue() {
            return authValue;
        }

        public void setAuthValue(String authValue) {
            this.authValue = authValue;
        }

        public java.util.List<String> getAllowedHosts() {
            return allowedHosts;
        }

        public void setAllowedHosts(java.util.List<String> allowedHosts) {
            this.allowedHosts = allowedHosts;
        }
    }

    /** Failover, retries and deadlines. */
    public static class Resilience {
        /** How many failed attempts a call may make. */
        private Integer maxAttempts;
        /** How long one attempt may take. */
        private Duration attemptTimeout;
        /** The total deadline of a call, over every attempt. */
        private Duration deadline;
        /** Extra attempts allowed per call, as a share of calls (0.2 = 20%). */
        private Double retryBudgetRatio;
        /** Extra attempts always allowed per second. */
        private Integer retryBudgetFloorPerSecond;
        /** How often to reload a topology file. */
        private Duration reloadInterval;

        public Integer getMaxAttempts() {
            return maxAttempts;
        }

        public void setMaxAttempts(Integer maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        public Duration getAttemptTimeout() {
            return attemptTimeout;
        }

        public void setAttemptTimeout(Duration attemptTimeout) {
            this.attemptTimeout = attemptTimeout;
        }

        public Duration getDeadline() {
            return deadline;
        }

        public void setDeadline(Duration deadline) {
            this.deadline = deadline;
        }

        public Double getRetryBudgetRatio() {
            return retryBudgetRatio;
        }

        public void setRetryBudgetRatio(Double retryBudgetRatio) {
            this.retryBudgetRatio = retryBudgetRatio;
        }

        public Integer getRetryBudgetFloorPerSecond() {
            return retryBudgetFloorPerSecond;
        }

        public void setRetryBudgetFloorPerSecond(Integer retryBudgetFloorPerSecond) {
            this.retryBudgetFloorPerSecond = retryBudgetFloorPerSecond;
        }

        public Duration getReloadInterval() {
            return reloadInterval;
        }

        public void setReloadInterval(Duration reloadInterval) {
            this.reloadInterval = reloadInterval;
        }
    }

    /** Caching. */
    public static class Cache {
        /** How long after a write reads of its key skip caches and replicas. */
        private Duration readYourWrites;
        /** How long a read from an HTTP CACHE member may take before it is a miss. */
        private Duration tierTimeout;
        /** How long an operation on a Redis CACHE member (redis://) may take before it is a miss; default 50 ms. */
        private Duration memberTimeout;
        /** The largest entry written to a Redis CACHE member, in bytes; default 1 MiB. */
        private Integer valueLimit;

        public Duration getReadYourWrites() {
            return readYourWrites;
        }

        public void setReadYourWrites(Duration readYourWrites) {
            this.readYourWrites = readYourWrites;
        }

        public Duration getTierTimeout() {
            return tierTimeout;
        }

        public void setTierTimeout(Duration tierTimeout) {
            this.tierTimeout = tierTimeout;
        }

        public Duration getMemberTimeout() {
            return memberTimeout;
        }

        public void setMemberTimeout(Duration memberTimeout) {
            this.memberTimeout = memberTimeout;
        }

        public Integer getValueLimit() {
            return valueLimit;
        }

        public void setValueLimit(Integer valueLimit) {
            this.valueLimit = valueLimit;
        }
    }

    /**
     * Tiers filled by Kubernetes Services (with {@code backend-router-kubernetes} on the class path).
     * Left unset, the client configures itself as {@code kubectl} does: the pod's service account
     * in the cluster, else the kubeconfig.
     */
    public static class Kubernetes {
        /** The namespace of backends whose kubernetes block names none; default: the client's own. */
        private String namespace;
        /** The API server, such as https://kubernetes.default.svc; default: the client's own. */
        private String masterUrl;
        /** A bearer token for the API server instead of the client's own credentials (masked in the actuator). */
        private String token;
        /** A kubeconfig file to configure the client with, instead of the default one. */
        private String kubeconfig;
        /** A folder where each Service's endpoints are kept, to start from when the API server cannot be reached. */
        private java.nio.file.Path lastKnownGood;
        /** How long the first list of a Service's endpoints may take; default 10 s. */
        private Duration startTimeout;

        public String getNamespace() {
            return namespace;
        }

        public void setNamespace(String namespace) {
            this.namespace = namespace;
        }

        public String getMasterUrl() {
            return masterUrl;
        }

        public void setMasterUrl(String masterUrl) {
            this.masterUrl = masterUrl;
        }

        public String getToken() {
            return token;
        }

        public void setToken(String token) {
            this.token = token;
        }

        public String getKubeconfig() {
            return kubeconfig;
        }

        public void setKubeconfig(String kubeconfig) {
            this.kubeconfig = kubeconfig;
        }

        public java.nio.file.Path getLastKnownGood() {
            return lastKnownGood;
        }

        public void setLastKnownGood(java.nio.file.Path lastKnownGood) {
            this.lastKnownGood = lastKnownGood;
        }

        public Duration getStartTimeout() {
            return startTimeout;
        }

        public void setStartTimeout(Duration startTimeout) {
            this.startTimeout = startTimeout;
        }

        @Override
        public String toString() {
            return "Kubernetes[namespace=" + namespace + ", masterUrl=" + masterUrl + ", token=" + (token == null ? null : "****")
                    + ", kubeconfig=" + kubeconfig + "]";
        }
    }

    /** Active health checks. */
    public static class Health {
        /** Whether backends are probed. */
        private Boolean enabled;
        /** The path probed under each backend's URL. */
        private String path;
        /** Time between probes of one backend. */
        private Duration interval;
        /** How long one probe may take. */
        private Duration timeout;
        /** Failed probes in a row that make a backend unhealthy. */
        private Integer unhealthyAfter;
        /** Good probes in a row that make it healthy again. */
        private Integer healthyAfter;

        public Boolean getEnabled() {
            return enabled;
        }

        public void setEnabled(Boolean enabled) {
            this.enabled = enabled;
        }

        public String getPath() {
            return path;
        }

        public void setPath(String path) {
            this.path = path;
        }

        public Duration getInterval() {
            return interval;
        }

        public void setInterval(Duration interval) {
            this.interval = interval;
        }

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

        public Integer getUnhealthyAfter() {
            return unhealthyAfter;
        }

        public void setUnhealthyAfter(Integer unhealthyAfter) {
            this.unhealthyAfter = unhealthyAfter;
        }

        public Integer getHealthyAfter() {
            return healthyAfter;
        }

        public void setHealthyAfter(Integer healthyAfter) {
            this.healthyAfter = healthyAfter;
        }
    }

    static List<String> sourcesGiven(BackendRouterProperties properties) {
        List<String> given = new java.util.ArrayList<>();
        if (properties.getTopology().getLocation() != null) {
            given.add("backend-router.topology.location");
        }
        if (properties.getRegistry().getUrl() != null) {
            given.add("backend-router.registry.url");
        }
        if (!properties.getGroups().isEmpty()) {
            given.add("backend-router.groups");
        }
        return given;
    }
}

package dev.backendrouter.api.registry;

import dev.backendrouter.api.BackendGroup;
import dev.backendrouter.api.BackendMember;
import dev.backendrouter.api.BackendRole;
import dev.backendrouter.api.Problem;
import dev.backendrouter.api.Topology;
import dev.backendrouter.api.TopologyException;
import dev.backendrouter.api.internal.Texts;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A deployment with its backend connections and their deployments, as the registry's
 * {@code GET /api/backends/deployment/{id}/details} returns it.
 *
 * <pre>{@code
 * Topology topology = details.toTopology();   // groups by connection group, default "default"
 * }</pre>
 *
 * @param deployment the calling deployment
 * @param backends its connections, each with the deployment it points to
 */
public record DeploymentWithBackends(Deployment deployment, List<Connection> backends) {

    public DeploymentWithBackends {
        Objects.requireNonNull(deployment, "deployment");
        backends = backends == null ? List.of() : List.copyOf(backends);
    }

    /**
     * One connection with the deployment it points to.
     *
     * @param connection the connection (role, priority, routing key)
     * @param deployment the backend deployment (name, URL)
     */
    public record Connection(ServiceBackend connection, Deployment deployment) {
        public Connection {
            Objects.requireNonNull(connection, "connection");
            Objects.requireNonNull(deployment, "deployment");
        }
    }

    /**
     * Maps the registry's view onto a topology: service and stage from the deployment, one member
     * per connection (named after its deployment, role PRIMARY and priority 1 when the registry
     * leaves them out), grouped by the connection's {@code group} or {@code default}. Each member
     * carries the labels {@code deploymentId}, {@code status} and, when known, {@code stage}.
     *
     * @throws TopologyException listing every problem, with paths into this JSON
     *     ({@code backends[2].routingKey})
     */
    public Topology toTopology() {
        List<Problem> problems = new ArrayList<>();
        Map<String, List<BackendMember>> groups = new LinkedHashMap<>();
        Map<String, String> pathPrefixes = new LinkedHashMap<>();
        Map<String, String> groupPaths = new LinkedHashMap<>();   // a group's problems point at its first connection's group
        for (int i = 0; i < backends.size(); i++) {
            Connection backend = backends.get(i);
            ServiceBackend connection = backend.connection();
            Deployment target = backend.deployment();
            String group = connection.group() == null || connection.group().isBlank()
                    ? BackendGroup.DEFAULT_NAME : connection.group().trim();
            List<BackendMember> members = groups.computeIfAbsent(group, g -> new ArrayList<>());
            groupPaths.putIfAbsent("groups." + Texts.printable(group), "backends[" + i + "].connection.group");
            pathPrefixes.put("groups." + Texts.printable(group) + ".backends[" + members.size() + "]",
                    "backends[" + i + "]");
            members.add(toMember(i, connection, target, problems));
        }
        Topology.Builder builder = Topology.builder()
                .service(deployment.serviceName() != null ? deployment.serviceName() : deployment.name())
                .stage(deployment.stage())
                .version(String.valueOf(deployment.id()));
        groups.forEach((name, members) -> builder.group(new BackendGroup(name, members, false)));
        List<Problem> mappingProblems = List.copyOf(problems);
        for (Problem problem : builder.problems()) {
            String path = groupPaths.getOrDefault(problem.path(), registryPath(problem.path(), pathPrefixes));
            if (mappingProblems.stream().noneMatch(earlier -> path.startsWith(earlier.path()))) {
                problems.add(new Problem(path, problem.message()));
            }
        }
        if (!problems.isEmpty()) {
            throw new TopologyException("of deployment " + deployment.id() + " from the registry", problems);
        }
        return builder.build();
    }

    private static BackendMember toMember(int index, ServiceBackend connection, Deployment target, List<Problem> problems) {
        URI url = null;
        String base = target.baseUrl();
        if (base == null) {
            problems.add(new Problem("backends[" + index + "].deployment",
                    "deployment " + target.id() + " has neither a url nor a host and port"));
        } else {
            try {
                url = new URI(base);
            } catch (URISyntaxException e) {
                problems.add(new Problem("backends[" + index + "].deployment.url",
                        "deployment " + target.id() + " has a malformed URL: " + e.getReason()));
            }
        }
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("deploymentId", String.valueOf(target.id()));
        if (target.status() != null) {
            labels.put("status", target.status());
        }
        if (target.stage() != null) {
            labels.put(BackendMember.STAGE_LABEL, target.stage());
        }
        return new BackendMember(
                target.memberName(),
                url,
                connection.role() == null ? BackendRole.PRIMARY : connection.role(),
                connection.priority() == null ? BackendMember.DEFAULT_PRIORITY : connection.priority(),
                BackendMember.DEFAULT_WEIGHT,
                connection.routingKey(),
                labels,
                null,
                null,
                null,
                null);
    }

    private String registryPath(String path, Map<String, String> prefixes) {
        if (path.equals("service")) {
            return "deployment.serviceName";
        }
        if (path.equals("stage")) {
            return "deployment.stage";
        }
        if (path.equals("groups")) {
            return "backends";
        }
        for (Map.Entry<String, String> prefix : prefixes.entrySet()) {
            if (path.equals(prefix.getKey()) || path.startsWith(prefix.getKey() + ".")) {
                String field = path.substring(prefix.getKey().length());
                return prefix.getValue() + REGISTRY_FIELDS.getOrDefault(field, field);
            }
        }
        return path;
    }

    /** Where each member field comes from in the registry's JSON. */
    private static final Map<String, String> REGISTRY_FIELDS = Map.of(
            ".name", ".deployment.name",
            ".url", ".deployment.url",
            ".labels.stage", ".deployment.stage",
            ".role", ".connection.role",
            ".priority", ".connection.priority",
            ".routingKey", ".connection.routingKey");
}

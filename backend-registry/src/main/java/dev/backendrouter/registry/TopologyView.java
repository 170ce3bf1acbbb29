package dev.backendrouter.registry;

import dev.backendrouter.api.BackendGroup;
import dev.backendrouter.api.BackendMember;
import dev.backendrouter.api.Problem;
import dev.backendrouter.api.Topology;
import dev.backendrouter.api.TopologyException;
import dev.backendrouter.api.internal.Texts;
import dev.backendrouter.api.registry.DeploymentWithBackends;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a router of a deployment gets from its details: the topology the library builds from them,
 * or the problems that make it refuse them. The admin page shows it beside the connections.
 */
final class TopologyView {
    private TopologyView() {
    }

    static Map<String, Object> of(DeploymentWithBackends details) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("deploymentId", details.deployment().id());
        if (details.backends().isEmpty()) {
            view.put("valid", false);
            view.put("problems", List.of(problem("backends", "no backend connections yet: a router of this deployment"
                    + " has nothing to call and keeps the topology it had")));
            return view;
        }
        try {
            Topology topology = details.toTopology();
            view.put("valid", true);
            view.put("problems", List.of());
            view.put("topology", topology(topology));
        } catch (TopologyException e) {
            List<Map<String, String>> problems = new ArrayList<>();
            for (Problem problem : e.problems()) {
                problems.add(problem(problem.path(), problem.message()));
            }
            view.put("valid", false);
            view.put("problems", problems);
        }
        return view;
    }

    private static Map<String, Object> topology(Topology topology) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("service", topology.service());
        view.put("stage", topology.stage());
        view.put("version", topology.version());
        List<Map<String, Object>> groups = new ArrayList<>();
        for (BackendGroup group : topology.groups()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", group.name());
            entry.put("sharded", group.isSharded());
            List<Map<String, Object>> members = new ArrayList<>();
            for (BackendMember member : group.members()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", member.name());
                m.put("url", Texts.redacted(member.url()));
                m.put("role", member.role().name());
                m.put("priority", member.priority());
                m.put("routingKey", member.routingKey());
                m.put("labels", member.labels());
                members.add(m);
            }
            entry.put("members", members);
            groups.add(entry);
        }
        view.put("groups", groups);
        return view;
    }

    private static Map<String, String> problem(String path, String message) {
        Map<String, String> entry = new LinkedHashMap<>();
        entry.put("path", path);
        entry.put("message", message);
        return entry;
    }
}

package dev.backendrouter.spring;

import dev.backendrouter.api.Problem;
import dev.backendrouter.api.TopologyException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a start-up that failed on the topology: every problem with its path and what to do,
 * or, when the source could not be read at all, what to check.
 */
public class TopologyFailureAnalyzer extends AbstractFailureAnalyzer<TopologyException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, TopologyException cause) {
        boolean unreadable = cause.problems().stream().allMatch(problem -> problem.path().isEmpty());
        StringBuilder description = new StringBuilder("The backend topology ").append(cause.source())
                .append(unreadable ? " could not be loaded:\n" : " is invalid (" + count(cause) + "):\n");
        for (Problem problem : cause.problems()) {
            description.append("\n    ").append(problem);
        }
        return new FailureAnalysis(description.toString(), unreadable ? unreadableAction() : invalidAction(cause), cause);
    }

    private static String count(TopologyException cause) {
        return cause.problems().size() + (cause.problems().size() == 1 ? " problem" : " problems");
    }

    private static String unreadableAction() {
        return "Check that the source can be read: the file or class-path resource of backend-router.topology.location, "
                + "or the registry at backend-router.registry.url (reachable from here, the deployment id, "
                + "backend-router.registry.auth-header/auth-value). Set backend-router.registry.last-known-good so a "
                + "registry outage at start-up uses the last topology that loaded.";
    }

    private static String invalidAction(TopologyException cause) {
        String where = cause.source().startsWith("backend-router.")
                ? "Fix each problem at its path under backend-router. (the paths use the file's names: routingKey is "
                        + "routing-key in properties)"
                : "Fix each problem at its path in " + cause.source();
        return where + ", then start again. docs/topology.md lists every field and rule.";
    }
}

package dev.backendrouter.spring;

import dev.backendrouter.api.Problem;
import dev.backendrouter.api.TopologyException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains a start-up that failed on an invalid topology: every problem with its path, and what to do. */
public class TopologyFailureAnalyzer extends AbstractFailureAnalyzer<TopologyException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, TopologyException cause) {
        StringBuilder description = new StringBuilder("The backend topology ").append(cause.source()).append(" is invalid (")
                .append(cause.problems().size()).append(cause.problems().size() == 1 ? " problem" : " problems").append("):\n");
        for (Problem problem : cause.problems()) {
            description.append("\n    ").append(problem);
        }
        return new FailureAnalysis(description.toString(), "Fix each problem at its path in the topology (the file, the "
                + "registry's answer, or the backend-router.* properties), then start again. docs/topology.md lists every "
                + "field and rule.", cause);
    }
}

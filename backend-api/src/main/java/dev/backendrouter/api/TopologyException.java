package dev.backendrouter.api;

import java.util.List;
import java.util.Objects;

/**
 * A topology could not be loaded or is invalid. Carries <em>every</em> problem found, each with
 * its path, so one run tells the user everything to fix.
 *
 * <pre>{@code
 * try {
 *     Topology topology = TopologySource.file(Path.of("topology.yaml")).load();
 * } catch (TopologyException e) {
 *     e.problems().forEach(p -> System.err.println(p.path() + ": " + p.message()));
 * }
 * }</pre>
 */
public class TopologyException extends BackendRouterException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final transient List<Problem> problems;

    /**
     * @param source what was being loaded, e.g. a file name; shown in the message
     * @param problems at least one problem
     */
    public TopologyException(String source, List<Problem> problems) {
        this(source, problems, null);
    }

    public TopologyException(String source, List<Problem> problems, Throwable cause) {
        super(describe(source, problems), cause);
        this.source = Objects.requireNonNull(source, "source");
        this.problems = List.copyOf(problems);
        if (this.problems.isEmpty()) {
            throw new IllegalArgumentException("a TopologyException needs at least one problem");
        }
    }

    /** What was being loaded: a file name, a class-path resource, a registry URL. */
    public String source() {
        return source;
    }

    /** Every problem found, in the order of the input. */
    public List<Problem> problems() {
        return problems;
    }

    private static String describe(String source, List<Problem> problems) {
        StringBuilder text = new StringBuilder("Invalid topology ").append(source).append(" (")
                .append(problems.size()).append(problems.size() == 1 ? " problem" : " problems")
                .append("):");
        for (Problem problem : problems) {
            text.append("\n  - ").append(problem);
        }
        return text.toString();
    }
}

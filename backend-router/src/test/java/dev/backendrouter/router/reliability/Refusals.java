package dev.backendrouter.router.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.backendrouter.api.Problem;
import dev.backendrouter.api.Topology;
import dev.backendrouter.api.TopologyException;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * What a refused topology must look like, whatever the input: a {@link TopologyException} (never
 * another exception, never a hang) with at least one problem, each with a path, and a message
 * that shows no raw control or invisible formatting characters and stays short.
 */
final class Refusals {
    /** Problems of a whole file, which docs/topology.md documents without a path. */
    static final List<String> WHOLE_FILE = List.of("the file is empty", "the file is larger than",
            "the file must hold a mapping", "the file is not UTF-8");
    /** A hang guard, not a speed assertion: a load takes milliseconds. */
    static final Duration HANG_GUARD = Duration.ofSeconds(10);
    /** Far below any oversized input, far above any honest message. */
    static final int MAX_MESSAGE_CHARS = 16 * 1024;

    private Refusals() {
    }

    /** A load's outcome: the topology, or the refusal. */
    record Outcome(Topology topology, TopologyException refusal) {
    }

    /**
     * Loads under the hang guard. A {@link TopologyException} is an outcome; any other throwable
     * propagates and fails the test with its stack trace.
     */
    static Outcome load(Supplier<Topology> load) {
        return assertTimeoutPreemptively(HANG_GUARD, () -> {
            try {
                return new Outcome(load.get(), null);
            } catch (TopologyException e) {
                return new Outcome(null, e);
            }
        }, "the load did not finish within " + HANG_GUARD + " (a hang)");
    }

    /**
     * Checks a refusal: problems, each with a path ({@code ""} only for the documented problems of
     * a whole file, or any problem when {@code wholeFile}), a printable and bounded message, no
     * forbidden text.
     */
    static void assertWellFormed(TopologyException e, boolean wholeFile, List<String> forbidden) {
        assertThat(e.problems()).as("the problems of %s", e.getMessage()).isNotEmpty();
        for (Problem problem : e.problems()) {
            boolean documented = WHOLE_FILE.stream().anyMatch(problem.message()::startsWith);
            if (!(problem.path().isEmpty() && (wholeFile || documented))) {
                assertThat(problem.path()).as("the path of '%s'", problem).isNotBlank();
            }
            assertThat(unprintable(problem.path() + problem.message()))
                    .as("a raw control or formatting character in '%s'", problem).isNegative();
        }
        String message = e.getMessage();
        assertThat(message.length()).as("the message's length").isLessThan(MAX_MESSAGE_CHARS);
        assertThat(unprintable(message.replace("\n  - ", " ")))
                .as("a raw control or formatting character in the message %s", message).isNegative();
        for (String text : forbidden) {
            assertThat(message).as("the message never shows '%s'", text).doesNotContain(text);
        }
    }

    /** The index of the first character a terminal or log viewer would not show as itself, or -1. */
    static int unprintable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int type = Character.getType(c);
            if (Character.isISOControl(c) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR) {
                return i;
            }
        }
        return -1;
    }

    /** Whether one of the problems has this path; {@code P*} matches every path that starts with P. */
    static boolean hasPath(TopologyException e, String expected) {
        if (expected.endsWith("*")) {
            String prefix = expected.substring(0, expected.length() - 1);
            return e.problems().stream().anyMatch(p -> p.path().startsWith(prefix));
        }
        return e.problems().stream().anyMatch(p -> p.path().equals(expected));
    }
}

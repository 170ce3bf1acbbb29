package dev.backendrouter.api;

import java.util.List;

/**
 * A call failed: carries every attempt (member, URL, duration, outcome) so the message says which
 * backend, which URL, what happened and what to check.
 *
 * <pre>{@code
 * catch (BackendCallException e) {
 *     e.attempts().forEach(a -> log.warn("{} {} -> {}", a.member(), a.url(), a.outcome()));
 * }
 * }</pre>
 */
public class BackendCallException extends BackendRouterException {
    private static final long serialVersionUID = 1L;

    private final String group;
    private final transient List<Attempt> attempts;

    public BackendCallException(String message, String group, List<Attempt> attempts, Throwable cause) {
        super(message + describe(attempts), cause);
        this.group = group;
        this.attempts = List.copyOf(attempts);
    }

    /** The group that was called. */
    public String group() {
        return group;
    }

    /** Every attempt, in order, then the members of the plan that were not tried and why. */
    public List<Attempt> attempts() {
        return attempts;
    }

    private static String describe(List<Attempt> attempts) {
        StringBuilder text = new StringBuilder();
        for (Attempt attempt : attempts) {
            text.append("\n  - ").append(attempt);
        }
        return text.toString();
    }
}

package dev.backendrouter.api;

import java.time.Duration;
import java.util.List;

/** The call's total deadline passed before an attempt succeeded; lists the attempts made. */
public class DeadlineExceededException extends BackendCallException {
    private static final long serialVersionUID = 1L;

    private final Duration deadline;

    public DeadlineExceededException(String group, Duration deadline, List<Attempt> attempts, Throwable cause) {
        super("Deadline of " + deadline.toMillis() + " ms for a call to group '" + group + "' passed after "
                + attempts.stream().filter(Attempt::tried).count() + " attempt(s); raise the deadline "
                + "(CallOptions.withDeadline) or check why the backends are slow:", group, attempts, cause);
        this.deadline = deadline;
    }

    /** The deadline that passed. */
    public Duration deadline() {
        return deadline;
    }
}

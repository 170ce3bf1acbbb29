package dev.backendrouter.api;

import java.time.Duration;
import java.util.Objects;

/**
 * What happened to one member during a call: an attempt and how it ended, or why the member was
 * not tried. Carried by {@link BackendCallException} and its subclasses; never holds a secret.
 *
 * @param member the member's name
 * @param url the member's base URL
 * @param role the member's role
 * @param duration how long the attempt took; zero when it was not tried
 * @param outcome what came of it: {@code HTTP 503}, {@code connection refused}, {@code not found},
 *     or for a member not tried, why ({@code not tried: 3 attempts made})
 * @param tried whether an attempt was made
 * @param error the backend's own error report, when its response carried one; else {@code null}
 */
public record Attempt(String member, String url, BackendRole role, Duration duration, String outcome, boolean tried,
        BackendError error) {
    public Attempt {
        Objects.requireNonNull(member, "member");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(duration, "duration");
    }

    @Override
    public String toString() {
        return member + " (" + url + "): " + outcome + (tried ? " (after " + duration.toMillis() + " ms)" : "");
    }
}

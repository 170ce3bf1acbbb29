package dev.backendrouter.api;

import java.util.Objects;

/**
 * One thing wrong with a topology: where it is and what is wrong.
 *
 * <p>The path names the field in the file's own terms, for example
 * {@code groups.users.backends[2].routingKey}; a syntax error names its line and column.
 *
 * @param path where the problem is
 * @param message what is wrong and, where it helps, what to do
 */
public record Problem(String path, String message) {
    public Problem {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return path.isEmpty() ? message : path + ": " + message;
    }
}

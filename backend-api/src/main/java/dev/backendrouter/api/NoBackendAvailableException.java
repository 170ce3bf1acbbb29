package dev.backendrouter.api;

import java.util.List;

/**
 * No member of the plan could serve the call: every one was tried and failed, or was skipped.
 * The message names each member of the plan and what its attempt returned or why it was skipped.
 */
public class NoBackendAvailableException extends BackendCallException {
    private static final long serialVersionUID = 1L;

    public NoBackendAvailableException(String message, String group, List<Attempt> attempts, Throwable cause) {
        super(message, group, attempts, cause);
    }
}

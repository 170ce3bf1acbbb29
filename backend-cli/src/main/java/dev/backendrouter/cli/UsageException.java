package dev.backendrouter.cli;

/** The command line cannot be understood: the message says why, and usage follows on stderr. */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The command whose usage to show, or {@code null} for the top level. */
    private final String command;

    UsageException(String command, String message) {
        super(message);
        this.command = command;
    }

    String command() {
        return command;
    }
}

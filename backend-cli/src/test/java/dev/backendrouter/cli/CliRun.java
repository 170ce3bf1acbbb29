package dev.backendrouter.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** One in-process run of the CLI: its exit code and what it printed. */
record CliRun(int exit, String out, String err) {
    static final String ESC = "\u001b";

    /** As when the output is piped: no terminal. */
    static CliRun run(String... args) {
        return run(false, args);
    }

    static CliRun run(boolean terminal, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), terminal);
        return new CliRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    String all() {
        return out + err;
    }
}

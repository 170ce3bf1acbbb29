package dev.backendrouter.cli;

import java.io.Console;
import java.lang.reflect.Method;

/** {@code java -jar backend-router-cli.jar COMMAND ...}: runs {@link Cli} and exits with its code. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(Cli.run(args, System.out, System.err, colourTerminal()));
    }

    /** Whether standard output is a terminal and the user has not asked for no colour (no-color.org). */
    static boolean colourTerminal() {
        String noColor = System.getenv("NO_COLOR");
        if (noColor != null && !noColor.isEmpty()) {
            return false;
        }
        Console console = System.console();
        if (console == null) {
            return false;
        }
        // From JDK 22 System.console() is not null when output is redirected; isTerminal() then tells.
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}

package dev.backendrouter.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code backend-router-cli} commands, callable in-process:
 *
 * <pre>{@code
 * int exit = Cli.run(new String[] {"validate", "topology.yaml", "--stage", "prep"}, System.out, System.err, false);
 * }</pre>
 *
 * {@code validate} checks a topology file, {@code probe} asks every backend's health endpoint,
 * {@code route} sends one call through a router. See docs/cli.md.
 */
public final class Cli {
    static final int OK = 0;
    static final int INVALID_TOPOLOGY = 1;
    static final int USAGE = 2;
    static final int UNAVAILABLE = 3;
    static final int HTTP_ERROR = 4;
    static final int INTERNAL_ERROR = 70;

    static final String USAGE_TEXT = """
            Usage: backend-router-cli [--no-color] COMMAND [OPTIONS]

            Commands:
              validate FILE             check a topology file (and a stage's overlay),
                                        without a router or any network
              probe FILE                GET every backend's health path, show which are up
              route FILE GROUP PATH     send one call to http://GROUP/PATH through a router,
                                        show who answered and every attempt

            Run backend-router-cli COMMAND --help for a command's options.

            Options:
              --no-color                no ANSI colour, even on a terminal (or set NO_COLOR)
              -h, --help                this help

            Exit codes: 0 ok, 1 invalid or unreadable topology, 2 usage error,
            3 a backend is down (probe) or no member could answer (route),
            4 the call was answered with a status of 400 or more (route),
            70 an unexpected error (a bug).
            """;

    private Cli() {
    }

    /**
     * Runs one command.
     *
     * @param terminal whether {@code out} is a terminal that may get ANSI colour and bold;
     *     {@link Main} passes false when {@code NO_COLOR} is set
     * @return the exit code
     */
    public static int run(String[] args, PrintStream out, PrintStream err, boolean terminal) {
        Objects.requireNonNull(args, "args");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
        try {
            return dispatch(List.of(args), out, err, terminal);
        } catch (UsageException e) {
            String usage = usage(e.command());
            err.println("backend-router-cli: " + e.getMessage());
            err.print(usage.substring(0, usage.indexOf("\n\n") + 1));
            err.println("Run 'backend-router-cli " + (e.command() == null ? "" : e.command() + " ") + "--help' for more.");
            return USAGE;
        } catch (RuntimeException e) {
            err.println("backend-router-cli: unexpected error; please report it with this trace:");
            e.printStackTrace(err);
            return INTERNAL_ERROR;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static int dispatch(List<String> args, PrintStream out, PrintStream err, boolean terminal) throws UsageException {
        int i = 0;
        boolean noColor = false;
        for (; i < args.size() && args.get(i).startsWith("-"); i++) {
            switch (args.get(i)) {
                case "-h", "--help" -> {
                    out.print(USAGE_TEXT);
                    return OK;
                }
                case "--no-color" -> noColor = true;
                default -> throw new UsageException(null, "unknown option " + args.get(i));
            }
        }
        if (i == args.size()) {
            throw new UsageException(null, "missing COMMAND");
        }
        String command = args.get(i);
        List<String> rest = args.subList(i + 1, args.size());
        if (command.equals("help")) {
            String about = rest.isEmpty() ? null : rest.get(0);
            if (about != null && !known(about)) {
                throw new UsageException(null, "unknown command '" + about + "'");
            }
            out.print(usage(about));
            return OK;
        }
        if (!known(command)) {
            throw new UsageException(null, "unknown command '" + command + "'");
        }
        Args parsed = Args.parse(command, rest, valued(command), switches(command));
        if (parsed.has(Options.HELP)) {
            out.print(usage(command));
            return OK;
        }
        Style style = new Style(terminal && !noColor && !parsed.has(Options.NO_COLOR));
        return switch (command) {
            case "validate" -> ValidateCommand.run(parsed, out, style);
            case "probe" -> ProbeCommand.run(parsed, out, err, style);
            default -> RouteCommand.run(parsed, out, err, style);
        };
    }

    private static boolean known(String command) {
        return Set.of("validate", "probe", "route").contains(command);
    }

    private static Set<String> valued(String command) {
        return switch (command) {
            case "validate" -> ValidateCommand.VALUED;
            case "probe" -> ProbeCommand.VALUED;
            default -> RouteCommand.VALUED;
        };
    }

    private static Set<String> switches(String command) {
        return switch (command) {
            case "validate" -> ValidateCommand.SWITCHES;
            case "probe" -> ProbeCommand.SWITCHES;
            default -> RouteCommand.SWITCHES;
        };
    }

    private static String usage(String command) {
        if (command == null) {
            return USAGE_TEXT;
        }
        return switch (command) {
            case "validate" -> ValidateCommand.USAGE;
            case "probe" -> ProbeCommand.USAGE;
            default -> RouteCommand.USAGE;
        };
    }
}

package dev.backendrouter.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One command's arguments: positionals, options with a value ({@code --stage prep} or
 * {@code --stage=prep}) and switches ({@code --json}). {@code --} ends the options.
 */
final class Args {
    private final String command;
    private final List<String> positionals = new ArrayList<>();
    private final Map<String, List<String>> values = new LinkedHashMap<>();
    private final Set<String> switches = new HashSet<>();

    private Args(String command) {
        this.command = command;
    }

    /**
     * @param valued the options that take a value
     * @param switches the options that take none; {@code --help}, {@code -h} and {@code --no-color} are always known
     */
    static Args parse(String command, List<String> args, Set<String> valued, Set<String> switches) throws UsageException {
        Args parsed = new Args(command);
        boolean optionsEnded = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (optionsEnded || !arg.startsWith("-") || arg.equals("-")) {
                parsed.positionals.add(arg);
                continue;
            }
            if (arg.equals("--")) {
                optionsEnded = true;
                continue;
            }
            int equals = arg.indexOf('=');
            String name = equals < 0 ? arg : arg.substring(0, equals);
            if (name.equals("-h") || name.equals("--help") || name.equals("--no-color") || switches.contains(name)) {
                if (equals >= 0) {
                    throw new UsageException(command, name + " takes no value");
                }
                parsed.switches.add(name.equals("-h") ? "--help" : name);
            } else if (valued.contains(name)) {
                String value;
                if (equals >= 0) {
                    value = arg.substring(equals + 1);
                } else if (i + 1 < args.size()) {
                    value = args.get(++i);
                } else {
                    throw new UsageException(command, name + " needs a value");
                }
                parsed.values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            } else {
                throw new UsageException(command, "unknown option " + name);
            }
        }
        return parsed;
    }

    boolean has(String name) {
        return switches.contains(name);
    }

    /** The option's value (the last one when given twice), or {@code null}. */
    String value(String name) {
        List<String> list = values.get(name);
        return list == null ? null : list.get(list.size() - 1);
    }

    List<String> values(String name) {
        return values.getOrDefault(name, List.of());
    }

    /** Exactly the positionals named, or a usage error naming the missing or extra ones. */
    List<String> positionals(String... names) throws UsageException {
        if (positionals.size() < names.length) {
            throw new UsageException(command, "missing " + String.join(" ", List.of(names).subList(positionals.size(), names.length)));
        }
        if (positionals.size() > names.length) {
            throw new UsageException(command, "unexpected argument '" + positionals.get(names.length) + "'");
        }
        return List.copyOf(positionals);
    }

    /** {@code 250ms}, {@code 2s}, {@code 1m}, {@code 1h} or ISO-8601 ({@code PT2S}), as in topology files; positive. */
    Duration duration(String name, Duration fallback) throws UsageException {
        String text = value(name);
        if (text == null) {
            return fallback;
        }
        Duration duration = Durations.parse(text);
        if (duration == null) {
            throw new UsageException(command, name + " '" + text + "' is not a duration: use 500ms, 2s, 1m or PT2S");
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new UsageException(command, name + " must be positive, was " + text);
        }
        return duration;
    }

    /** The {@code --env NAME=VALUE} pairs. */
    Map<String, String> environment() throws UsageException {
        Map<String, String> environment = new LinkedHashMap<>();
        for (String pair : values(Options.ENV)) {
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                // the value may be a secret typed with the wrong separator: never echo it
                throw new UsageException(command, Options.ENV + " takes NAME=VALUE; one of its arguments has no '=' after a name");
            }
            environment.put(pair.substring(0, equals), pair.substring(equals + 1));
        }
        return environment;
    }
}

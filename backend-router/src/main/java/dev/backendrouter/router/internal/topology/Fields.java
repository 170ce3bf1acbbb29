package dev.backendrouter.router.internal.topology;

import dev.backendrouter.api.Problem;
import dev.backendrouter.api.internal.Texts;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/** Typed reads of one field of a tree node; a wrong type is a problem at the field's path. */
final class Fields {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

    private final List<Problem> problems;

    Fields(List<Problem> problems) {
        this.problems = problems;
    }

    static String child(String path, String name) {
        String shown = name.isBlank() ? "\"" + name + "\"" : name;   // a key "" still has a path
        return path.isEmpty() ? shown : path + "." + shown;
    }

    static String printable(String text) {
        return Texts.printable(text == null ? "" : text);
    }

    private void problem(String path, String message) {
        problems.add(new Problem(path, message));
    }

    /** Reports fields not in {@code known}, suggesting the nearest known name. */
    void checkKnown(JsonNode node, String path, Set<String> known) {
        for (String name : node.propertyNames()) {
            if (!known.contains(name)) {
                String suggestion = nearest(name, known);
                problem(child(path, printable(name)), "unknown field" + (suggestion == null ? "" : " (did you mean '"
                        + suggestion + "'?)") + "; known fields: " + String.join(", ", new TreeSet<>(known)));
            }
        }
    }

    /** A text field; numbers and booleans are taken as their text. */
    String string(JsonNode node, String path, String name) {
        return scalarText(node, path, name);
    }

    /** Any scalar as text; {@code null} when absent or null; a mapping or list is a problem. */
    String scalarText(JsonNode node, String path, String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isString()) {
            return value.asString();
        }
        if (value.isNumber() || value.isBoolean()) {
            return value.asString();
        }
        problem(child(path, name), "must be a single value, not a " + kind(value));
        return null;
    }

    /** A secret: like {@link #string} but no message ever shows the value. */
    String secret(JsonNode node, String path, String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isValueNode()) {
            problem(child(path, name), "must be a single text value, not a " + kind(value));
            return null;
        }
        return value.asString();
    }

    Integer integer(JsonNode node, String path, String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isIntegralNumber() && value.canConvertToInt()) {
            return value.intValue();
        }
        if (value.isString()) {
            try {
                return Integer.valueOf(value.asString().trim());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        problem(child(path, name), "must be a whole number, was " + describe(value));
        return null;
    }

    Boolean bool(JsonNode node, String path, String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isString()) {
            String text = value.asString().trim().toLowerCase(Locale.ROOT);
            if (text.equals("true") || text.equals("false")) {
                return Boolean.valueOf(text);
            }
        }
        problem(child(path, name), "must be true or false, was " + describe(value));
        return null;
    }

    /** {@code 250ms}, {@code 2s}, {@code 1m}, {@code 1h}, or ISO-8601 ({@code PT2S}). */
    Duration duration(JsonNode node, String path, String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isString()) {
            String text = value.asString().trim().toLowerCase(Locale.ROOT);
            Matcher matcher = DURATION.matcher(text);
            try {
                if (matcher.matches()) {
                    long amount = Long.parseLong(matcher.group(1));
                    return switch (matcher.group(2)) {
                        case "ms" -> Duration.ofMillis(amount);
                        case "s" -> Duration.ofSeconds(amount);
                        case "m" -> Duration.ofMinutes(amount);
                        default -> Duration.ofHours(amount);
                    };
                }
                if (text.startsWith("pt")) {
                    return Duration.parse(text.toUpperCase(Locale.ROOT));
                }
            } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
                // reported below
            }
        }
        String hint = value.isNumber() ? " (add a unit: 500ms, 2s, 1m)" : " (write e.g. 500ms, 2s, 1m or PT2S)";
        problem(child(path, name), "must be a duration, was " + describe(value) + hint);
        return null;
    }

    private static String describe(JsonNode value) {
        return value.isValueNode() ? "'" + printable(value.asString()) + "'" : "a " + kind(value);
    }

    private static String kind(JsonNode value) {
        return value.isObject() ? "mapping" : value.isArray() ? "list" : value.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    /** The known name within edit distance 2 of {@code name}, if one is. */
    static String nearest(String name, Set<String> known) {
        String best = null;
        int bestDistance = 3;
        for (String candidate : known) {
            int distance = distance(name.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}

package dev.backendrouter.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as topology files write them: {@code 250ms}, {@code 2s}, {@code 1m}, {@code 1h} or ISO-8601. */
final class Durations {
    private static final Pattern SIMPLE = Pattern.compile("(\\d+)(ms|s|m|h)");

    private Durations() {
    }

    /** The duration, or {@code null} when the text is none of the forms (a bare number has no unit: refused). */
    static Duration parse(String text) {
        Matcher matcher = SIMPLE.matcher(text);
        try {
            if (!matcher.matches()) {
                return Duration.parse(text);
            }
            long amount = Long.parseLong(matcher.group(1));
            return switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            return null;
        }
    }

    /** {@code 2s}, {@code 500ms}: the shortest exact form. */
    static String text(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }
}

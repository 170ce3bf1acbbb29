package dev.backendrouter.router.internal.http;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Reads a {@code Retry-After} header: delay-seconds or an HTTP date. */
final class RetryAfter {
    private RetryAfter() {
    }

    /** The delay in nanoseconds; 0 when absent, malformed or in the past. */
    static long nanos(String header) {
        if (header == null || header.isBlank()) {
            return 0;
        }
        String value = header.trim();
        try {
            long seconds = Long.parseLong(value);
            return seconds <= 0 ? 0 : Duration.ofSeconds(Math.min(seconds, 86_400)).toNanos();
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME));
                return until.isNegative() ? 0 : Math.min(until.toNanos(), Duration.ofDays(1).toNanos());
            } catch (DateTimeParseException notADate) {
                return 0;
            }
        }
    }
}

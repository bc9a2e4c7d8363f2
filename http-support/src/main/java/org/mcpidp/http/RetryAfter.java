package org.mcpidp.http;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The {@code Retry-After} response header (RFC 9110 section 10.2.3): delta-seconds or an HTTP-date. What a caller does
 * with the wait (cap it, floor it, fall back to its own backoff) is the caller's policy; this class only reads it.
 */
public final class RetryAfter {

    private RetryAfter() {
    }

    /**
     * The wait {@code header} asks for, as seen at {@code now}: never negative (a date in the past or a negative
     * number is "now"), empty when the header is absent, blank or neither form.
     */
    public static Optional<Duration> parse(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.trim();
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value))));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration wait = Duration.between(now, at);
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException neither) {
                return Optional.empty();
            }
        }
    }
}

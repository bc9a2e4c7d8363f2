package org.mcpidp.http;

import java.time.Duration;
import java.util.Objects;

/**
 * The checks every builder of the kit's modules makes of its settings, written once so that they agree: text is
 * stripped (a secret read from a file keeps no trailing newline, whichever builder gets it) and must not be blank;
 * a duration must be positive. Each message names the setting.
 */
public final class Checks {

    private Checks() {
    }

    /** {@code value} stripped of surrounding white space. */
    public static String text(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value.strip();
    }

    /** {@code value}, when longer than zero. */
    public static Duration positive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
        return value;
    }

    /** {@code value}, when not negative. */
    public static Duration notNegative(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, got " + value);
        }
        return value;
    }
}

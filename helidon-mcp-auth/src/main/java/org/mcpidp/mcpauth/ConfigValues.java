package org.mcpidp.mcpauth;

import io.helidon.config.Config;
import io.helidon.config.ConfigException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Reads single values of the {@code mcp.*} tree with Helidon config mapping; every failure names the full key. The
 * rules a value must follow live in the builder it is given to: {@link #named} turns that builder's refusal into a
 * message naming the key.
 */
final class ConfigValues {

    private ConfigValues() {
    }

    static Optional<String> string(Config node) {
        return node.asString().asOptional().map(String::strip).filter(value -> !value.isEmpty());
    }

    /**
     * A YAML list, one comma-separated value (e.g. from one environment variable), or {@code KEY_0}, {@code KEY_1}
     * environment variables: Helidon resolves those one by one but never makes {@code KEY} itself exist as a list.
     * A value wins over a list: Helidon merges one environment variable (or system property) over a YAML list into a
     * node holding both, and would otherwise answer the list, silently ignoring the variable; an empty value clears
     * the list.
     */
    static List<String> strings(Config node) {
        if (!node.exists()) {
            List<String> indexed = new ArrayList<>();
            for (int i = 0; node.get(Integer.toString(i)).exists(); i++) {
                string(node.get(Integer.toString(i))).ifPresent(indexed::add);
            }
            return indexed;
        }
        Optional<String> direct = node.asString().asOptional();
        List<String> values = node.isLeaf() || direct.isPresent()
                ? direct.map(text -> Arrays.asList(text.split(","))).orElse(List.of())
                : node.asList(String.class).orElse(List.of());
        return values.stream().map(String::strip).filter(value -> !value.isEmpty()).toList();
    }

    static Optional<Boolean> bool(Config node) {
        return string(node).map(text -> switch (text.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(node, "must be true or false, was " + text);
        });
    }

    static Optional<Integer> integer(Config node) {
        return mapped(node, Integer.class, "must be a number");
    }

    static Optional<Long> longValue(Config node) {
        return mapped(node, Long.class, "must be a number");
    }

    static Optional<Duration> duration(Config node) {
        return mapped(node, Duration.class, "must be an ISO-8601 duration such as PT60S");
    }

    private static <T> Optional<T> mapped(Config node, Class<T> type, String expected) {
        if (string(node).isEmpty()) {
            return Optional.empty();
        }
        try {
            return node.as(type).asOptional();
        } catch (ConfigException | IllegalArgumentException e) {
            throw invalid(node, expected + ", was " + string(node).orElse(""));
        }
    }

    /** Runs {@code step} (a builder call that validates), naming {@code node}'s key when it refuses the value. */
    static <T> T named(Config node, Supplier<T> step) {
        try {
            return step.get();
        } catch (Invalid e) {
            throw e; // already names its (more precise) key
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw invalid(node, e.getMessage());
        }
    }

    static Invalid invalid(Config node, String problem) {
        return invalid(node.key().toString(), problem);
    }

    static Invalid invalid(String key, String problem) {
        return new Invalid("configuration " + key + " " + problem);
    }

    /** A configuration mistake, its message naming the key: for the user to fix, printed without a stack trace. */
    static final class Invalid extends IllegalStateException {
        Invalid(String message) {
            super(message);
        }
    }
}

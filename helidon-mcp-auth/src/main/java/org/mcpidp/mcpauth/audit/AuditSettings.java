package org.mcpidp.mcpauth.audit;

import io.helidon.config.Config;
import io.helidon.config.ConfigException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The audit trail's settings, under {@code mcp.audit}:
 * <ul>
 *   <li>{@code enabled} (default true): write an audit line per decision;</li>
 *   <li>{@code logger} (default {@value #DEFAULT_LOGGER}): the java.util.logging logger the lines go to, routed by
 *       the operator's {@code logging.properties};</li>
 *   <li>{@code queue-size} (default 8192): events waiting for the writer at most; more are dropped and counted;</li>
 *   <li>{@code accept-request-id} (default true): keep a well-formed incoming {@code X-Request-Id};</li>
 *   <li>{@code arguments.<tool>}: a list of argument names recorded for that tool (default: none, for every tool).
 *       Only for arguments that can never hold a secret or personal data the audit must not keep.</li>
 * </ul>
 */
public record AuditSettings(boolean enabled, String logger, int queueSize, boolean acceptRequestId,
                            Map<String, Set<String>> arguments) {

    public static final String DEFAULT_LOGGER = "mcp.audit";
    static final int MAX_QUEUE = 1_000_000;

    public AuditSettings {
        if (logger == null || logger.isBlank()) {
            throw new IllegalArgumentException("mcp.audit.logger: must not be empty");
        }
        if (queueSize < 1 || queueSize > MAX_QUEUE) {
            throw new IllegalArgumentException("mcp.audit.queue-size: " + queueSize + " is not within 1-" + MAX_QUEUE);
        }
        Map<String, Set<String>> copy = new LinkedHashMap<>();
        arguments.forEach((tool, names) -> copy.put(tool, Set.copyOf(names)));
        arguments = java.util.Collections.unmodifiableMap(copy);
    }

    /** Audit on, to {@value #DEFAULT_LOGGER}, no arguments recorded. */
    public static AuditSettings defaults() {
        return new AuditSettings(true, DEFAULT_LOGGER, 8192, true, Map.of());
    }

    /** Reads {@code mcp.audit.*} of {@code root} (the whole configuration); a bad value names its key. */
    public static AuditSettings from(Config root) {
        Config audit = root.get("mcp.audit");
        AuditSettings defaults = defaults();
        Map<String, Set<String>> arguments = new LinkedHashMap<>();
        for (Config tool : audit.get("arguments").asNodeList().orElse(List.of())) {
            List<String> names = read(tool, () -> tool.asList(String.class).orElse(List.of()), "a list of names");
            for (String name : names) {
                if (name.isBlank()) {
                    throw new IllegalArgumentException(tool.key() + ": an argument name must not be blank");
                }
            }
            arguments.put(tool.name(), new LinkedHashSet<>(names));
        }
        return new AuditSettings(
                bool(audit.get("enabled"), defaults.enabled()),
                audit.get("logger").asString().orElse(defaults.logger()),
                read(audit.get("queue-size"), () -> audit.get("queue-size").asInt().orElse(defaults.queueSize()),
                        "a number"),
                bool(audit.get("accept-request-id"), defaults.acceptRequestId()),
                arguments);
    }

    /** Strictly true or false: Helidon's asBoolean() reads any other word as false, which would turn audit off. */
    private static boolean bool(Config key, boolean fallback) {
        String text = key.asString().orElse(Boolean.toString(fallback)).strip();
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(text);
        }
        throw new IllegalArgumentException(key.key() + ": must be true or false (was " + text + ")");
    }

    private static <T> T read(Config key, java.util.function.Supplier<T> value, String expected) {
        try {
            return value.get();
        } catch (ConfigException e) {
            throw new IllegalArgumentException(key.key() + ": must be " + expected + " (was "
                    + key.asString().orElse("?") + ")");
        }
    }
}

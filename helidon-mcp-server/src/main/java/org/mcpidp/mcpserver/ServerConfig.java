package org.mcpidp.mcpserver;

import io.helidon.config.Config;
import io.helidon.config.ConfigException;
import org.mcpidp.mcpserver.observe.ObserveSettings;

/**
 * The demo server's own settings: where it listens, where health and metrics go, and whether the MCP extension keeps
 * sessions. Everything about authentication
 * ({@code mcp.*}) is the library's, read by {@code BearerAuthFeature.builder().config(config)}. Read from Helidon
 * config ({@code application.yaml}, overridden by environment variables such as {@code SERVER_PORT} and by system
 * properties); a bad value fails with an {@link IllegalStateException} naming the key.
 *
 * @param host    {@code server.host}
 * @param port    {@code server.port}
 * @param observe {@code observe.port}
 * @param stateless {@code mcp.stateless} (env {@code MCP_STATELESS}, default false): the extension's stateless
 *                Streamable HTTP mode, for several instances without session affinity. A request naming a session
 *                another instance opened is then served instead of answered 404 (see the README, "Running several
 *                instances").
 */
public record ServerConfig(String host, int port, ObserveSettings observe, boolean stateless) {

    /** Reads and checks the settings. */
    public static ServerConfig from(Config config) {
        String host = config.get("server.host").asString().map(String::strip).filter(v -> !v.isEmpty())
                .orElse("127.0.0.1");
        int port;
        try {
            port = config.get("server.port").asInt().orElse(8080);
        } catch (ConfigException e) {
            throw new IllegalStateException("configuration server.port must be a number");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalStateException("configuration server.port must be 0..65535");
        }
        return new ServerConfig(host, port, ObserveSettings.from(config, port), stateless(config));
    }

    private static boolean stateless(Config config) {
        String value = config.get("mcp.stateless").asString().orElse("false").strip();
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw new IllegalStateException("mcp.stateless (MCP_STATELESS) must be true or false, not '" + value + "'");
        }
        return Boolean.parseBoolean(value);
    }
}

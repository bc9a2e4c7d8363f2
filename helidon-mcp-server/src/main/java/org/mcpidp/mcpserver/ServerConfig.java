package org.mcpidp.mcpserver;

import io.helidon.config.Config;
import io.helidon.config.ConfigException;
import org.mcpidp.mcpauth.observe.ObserveSettings;

/**
 * The demo server's own settings: where it listens and where health and metrics go. Everything about authentication
 * ({@code mcp.*}) is the library's, read by {@code BearerAuthFeature.builder().config(config)}. Read from Helidon
 * config ({@code application.yaml}, overridden by environment variables such as {@code SERVER_PORT} and by system
 * properties); a bad value fails with an {@link IllegalStateException} naming the key.
 *
 * @param host    {@code server.host}
 * @param port    {@code server.port}
 * @param observe {@code observe.port}
 */
public record ServerConfig(String host, int port, ObserveSettings observe) {

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
        return new ServerConfig(host, port, ObserveSettings.from(config, port));
    }
}

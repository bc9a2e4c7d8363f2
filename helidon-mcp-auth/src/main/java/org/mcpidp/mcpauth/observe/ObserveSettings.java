package org.mcpidp.mcpauth.observe;

import io.helidon.config.Config;
import io.helidon.config.ConfigException;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Where health and metrics are served: {@code observe.port} (environment {@code OBSERVE_PORT}, Helidon's mapping)
 * puts them on a listener of their own, on the main host, so the public port serves MCP only; unset, they stay on the
 * main port as before. {@code 0} picks a free port (tests).
 *
 * @param port the separate port, or empty for the main port
 */
public record ObserveSettings(OptionalInt port) {

    /** The name of the Helidon listener (named socket) the endpoints get when {@link #port} is set. */
    public static final String SOCKET = "observe";

    public ObserveSettings {
        port.ifPresent(p -> {
            if (p < 0 || p > 65535) {
                throw new IllegalArgumentException("observe.port: " + p + " is not a TCP port (0-65535)");
            }
        });
    }

    /** Reads {@code observe.port}; {@code mainPort} is {@code server.port}, which the observe port must differ from. */
    public static ObserveSettings from(Config config, int mainPort) {
        Optional<Integer> port;
        try {
            port = config.get("observe.port").asInt().asOptional();
        } catch (ConfigException e) {
            throw new IllegalArgumentException("observe.port: not a number ("
                    + config.get("observe.port").asString().orElse("") + ")");
        }
        if (port.isPresent() && port.get() != 0 && port.get() == mainPort) {
            throw new IllegalArgumentException("observe.port: " + port.get() + " is server.port already; leave "
                    + "observe.port unset to serve /observe on the main port");
        }
        return new ObserveSettings(port.map(OptionalInt::of).orElse(OptionalInt.empty()));
    }
}

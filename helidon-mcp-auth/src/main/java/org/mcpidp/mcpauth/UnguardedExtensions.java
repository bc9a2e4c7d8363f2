package org.mcpidp.mcpauth;

import io.helidon.common.Builder;
import io.helidon.extensions.mcp.server.McpServerFeature;
import io.helidon.webserver.ListenerConfig;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The start-up check that no MCP extension runs beside the kit's unguarded: an application that adds an
 * {@link McpServerFeature} of its own to a routing (at any path, on any listener) would serve tools no stage guards,
 * so the server does not start. Helidon offers no public view of a routing builder's features: they are read from
 * its private list, and when that is not possible the start fails too (closed, with the reason).
 */
final class UnguardedExtensions {

    private UnguardedExtensions() {
    }

    /**
     * @param guardedSockets the listeners the stages are installed on: the kit's own extension is unguarded elsewhere
     * @throws IllegalStateException naming what is routed unguarded, or why the routings could not be inspected
     */
    static void refuse(WebServerConfig server, McpServerFeature guarded, Set<String> guardedSockets) {
        List<ListenerConfig> listeners = new ArrayList<>();
        listeners.add(server);
        listeners.addAll(server.sockets().values());
        for (ListenerConfig listener : listeners) {
            List<HttpRouting.Builder> routings = new ArrayList<>();
            listener.routing().ifPresent(routings::add);
            for (Builder<?, ?> routing : listener.routings()) {
                if (routing instanceof HttpRouting.Builder http) {
                    routings.add(http);
                }
            }
            server.namedRoutings().getOrDefault(listener.name(), List.of()).forEach(routing -> {
                if (routing instanceof HttpRouting.Builder http) {
                    routings.add(http);
                }
            });
            for (HttpRouting.Builder http : routings) {
                for (Object feature : features(http)) {
                    if (feature instanceof McpServerFeature extension && extension != guarded) {
                        throw new IllegalStateException("an MCP extension (McpServerFeature) is routed on listener "
                                + listener.name() + " outside BearerAuthFeature, so no stage would guard its "
                                + "tools: build it with BearerAuthFeature.builder().mcpServer(...) and route "
                                + "auth.mcpServerFeature() instead");
                    }
                    if (feature == guarded && !guardedSockets.contains(listener.name())) {
                        throw new IllegalStateException("auth.mcpServerFeature() is routed on listener "
                                + listener.name() + ", which BearerAuthFeature does not guard: name it in "
                                + "sockets(...)");
                    }
                }
            }
        }
    }

    private static List<?> features(HttpRouting.Builder routing) {
        try {
            Field features = routing.getClass().getDeclaredField("features");
            features.setAccessible(true);
            return List.copyOf((List<?>) features.get(routing));
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot check the routing for MCP extensions that no stage guards ("
                    + routing.getClass().getName() + ": " + e.getClass().getSimpleName() + "); this Helidon version "
                    + "is not supported by this kit", e);
        }
    }
}

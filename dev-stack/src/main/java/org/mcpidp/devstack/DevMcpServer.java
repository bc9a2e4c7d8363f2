package org.mcpidp.devstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.mcpidp.provisioning.spec.ScopeHierarchy;
import org.mcpidp.runtime.McpServerProcess;

/**
 * The dev stack's configuration of helidon-mcp-server: introspection against the demo realm, the tenant spec's scope
 * hierarchy, CORS for the Inspector.
 */
final class DevMcpServer {

    /** Browser origins allowed to call the dev stack's server: the MCP Inspector's page on its default port. */
    static final String INSPECTOR_ORIGINS = "http://localhost:6274,http://127.0.0.1:6274";

    private DevMcpServer() {
    }

    /**
     * Starts the server in introspection mode against {@code issuer}, deciding with the tenant's scope hierarchy, and
     * waits until it is ready (every issuer's metadata loaded).
     */
    static McpServerProcess start(Path jar, int port, String resource, String issuer, String clientId,
                                  String clientSecret, String ordersApiUrl, ScopeHierarchy hierarchy, Path logFile,
                                  Consumer<Duration> progress) {
        if (!Files.isRegularFile(jar)) {
            throw new StartupException("no MCP server jar at " + jar + ": build it with ./mvnw -q -DskipTests "
                    + "-pl helidon-mcp-server -am package (./dev-stack.sh does that).");
        }
        Map<String, String> env = environment(resource, issuer, clientId, clientSecret, ordersApiUrl, hierarchy);
        try {
            return McpServerProcess.start(jar, List.of(), env, port, logFile, Duration.ofSeconds(90), progress);
        } catch (IllegalStateException e) {
            throw new StartupException(e.getMessage(), e);
        }
    }

    /** The server's environment: everything it is configured with beyond its application.yaml. */
    static Map<String, String> environment(String resource, String issuer, String clientId, String clientSecret,
                                           String ordersApiUrl, ScopeHierarchy hierarchy) {
        return Map.of(
                // The MCP Inspector calls the server from its page (origin http://localhost:6274): CORS for it only.
                "MCP_ALLOWED_ORIGINS", INSPECTOR_ORIGINS,
                "MCP_RESOURCE", resource,
                "MCP_AUTH_ISSUERS_0_URL", issuer,
                "MCP_AUTH_ISSUERS_0_MODE", "introspection",
                "MCP_AUTH_ISSUERS_0_CLIENT_ID", clientId,
                // The environment, not an argument: arguments are visible to every user in ps.
                "MCP_AUTH_ISSUERS_0_CLIENT_SECRET", clientSecret,
                // The spec provisioned is the one source of the hierarchy: it replaces the list in application.yaml
                // (the demo's, equal to the demo spec's), and an empty value clears it for a spec without one.
                ScopeHierarchy.VARIABLE, hierarchy.variableValue(),
                // list_orders: the orders API, called with a token exchanged for it by this same client
                "MCP_DOWNSTREAM_ORDERS_API_URL", ordersApiUrl);
    }
}

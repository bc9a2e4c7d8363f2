package org.mcpidp.mcpserver.people;

import java.util.HashMap;
import java.util.Map;
import org.mcpidp.mcpserver.ServerUnderTest;

/**
 * The real MCP server (Main.server, the packaged application.yaml) on a loopback port, trusting the demo tenant by
 * introspection with the mcp-server client's secret, and allowing browser calls from one origin. No environment
 * variables or system properties are read: CI's environment must not change the test.
 */
final class PeopleServer implements AutoCloseable {

    final String mcpUrl;
    private final ServerUnderTest server;

    private PeopleServer(String mcpUrl, ServerUnderTest server) {
        this.mcpUrl = mcpUrl;
        this.server = server;
    }

    static PeopleServer start(int port, DemoTenant tenant, String allowedOrigin) {
        Map<String, String> values = new HashMap<>();
        values.put("mcp.auth.issuers.0.url", tenant.issuer);
        values.put("mcp.auth.issuers.0.mode", "introspection");
        values.put("mcp.auth.issuers.0.client-id", DemoTenant.SERVER_CLIENT);
        values.put("mcp.auth.issuers.0.client-secret", tenant.serverSecret);
        values.put("mcp.allowed-origins.0", allowedOrigin);
        ServerUnderTest server = ServerUnderTest.start(port, values);
        return new PeopleServer(server.mcpUrl, server);
    }

    @Override
    public void close() {
        server.close();
    }
}

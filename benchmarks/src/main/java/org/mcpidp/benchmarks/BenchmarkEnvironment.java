package org.mcpidp.benchmarks;

import org.mcpidp.testkit.KeycloakServer;
import org.mcpidp.testkit.TestRealm;

/**
 * The real Keycloak the benchmarks measure against: one realm shaped like the demo tenant (MCP scopes whose tokens
 * carry the resource URL and the server client in {@code aud}), a resource-server client, an agent.
 */
record BenchmarkEnvironment(TestRealm realm, String serverSecret, String agentSecret) {

    static final String RESOURCE = "http://127.0.0.1:8080/mcp";
    static final String SERVER_CLIENT = "mcp-server";
    static final String AGENT = "agent-bench";

    static BenchmarkEnvironment create() {
        TestRealm realm = TestRealm.create(KeycloakServer.shared());
        realm.clientScope("mcp:read", RESOURCE, SERVER_CLIENT);
        String serverSecret = realm.resourceServerClient(SERVER_CLIENT);
        String agentSecret = realm.agentClient(AGENT, "mcp:read");
        return new BenchmarkEnvironment(realm, serverSecret, agentSecret);
    }

    String token() {
        return realm.clientCredentials(AGENT, agentSecret, "mcp:read").accessToken();
    }
}

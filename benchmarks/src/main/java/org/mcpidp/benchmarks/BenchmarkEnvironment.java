package org.mcpidp.benchmarks;

import org.mcpidp.testkit.KeycloakServer;
import org.mcpidp.testkit.TestRealm;

/**
 * The real Keycloak the benchmarks measure against: one realm shaped like the demo tenant (MCP scopes whose tokens
 * carry the resource URL and the server client in {@code aud}), a resource-server client, an agent, and a second
 * agent whose tokens are Keycloak's lightweight access tokens (client attribute
 * {@value #LIGHTWEIGHT_ATTRIBUTE}): almost no claims in the token, all of them in the introspection answer.
 */
record BenchmarkEnvironment(TestRealm realm, String serverSecret, String agentSecret, String lightweightAgentSecret) {

    static final String RESOURCE = "http://127.0.0.1:8080/mcp";
    static final String SERVER_CLIENT = "mcp-server";
    static final String AGENT = "agent-bench";
    static final String LIGHTWEIGHT_AGENT = "agent-bench-lightweight";
    static final String LIGHTWEIGHT_ATTRIBUTE = "client.use.lightweight.access.token.enabled";

    static BenchmarkEnvironment create() {
        TestRealm realm = TestRealm.create(KeycloakServer.shared());
        realm.clientScope("mcp:read", RESOURCE, SERVER_CLIENT);
        String serverSecret = realm.resourceServerClient(SERVER_CLIENT);
        String agentSecret = realm.agentClient(AGENT, "mcp:read");
        String lightweightSecret = realm.agentClient(LIGHTWEIGHT_AGENT, "mcp:read");
        realm.setClientAttribute(LIGHTWEIGHT_AGENT, LIGHTWEIGHT_ATTRIBUTE, "true");
        return new BenchmarkEnvironment(realm, serverSecret, agentSecret, lightweightSecret);
    }

    String token() {
        return realm.clientCredentials(AGENT, agentSecret, "mcp:read").accessToken();
    }

    /** A lightweight access token of the same agent shape: only introspection says who the caller is. */
    String lightweightToken() {
        return realm.clientCredentials(LIGHTWEIGHT_AGENT, lightweightAgentSecret, "mcp:read").accessToken();
    }
}

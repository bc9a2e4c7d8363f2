package org.mcpidp.mcpserver;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.mcpidp.testkit.KeycloakServer;
import org.mcpidp.testkit.TestRealm;

/**
 * The demo tenant in a fresh Keycloak realm: scopes {@code mcp:read}, {@code mcp:write}, {@code mcp:admin} (each puts
 * the MCP resource URL and the server's client id into {@code aud}), the server's confidential client, and agents:
 * reader (mcp:read), writer (mcp:read mcp:write), admin (all three), role-admin (mcp:read plus the realm role admin),
 * outsider (no MCP scope, so no MCP audience).
 */
final class DemoRealm implements AutoCloseable {

    static final String SERVER_CLIENT = "mcp-server";

    final TestRealm realm;
    final String resource;
    final String serverSecret;
    private final Map<String, String> secrets;

    private DemoRealm(TestRealm realm, String resource, String serverSecret, Map<String, String> secrets) {
        this.realm = realm;
        this.resource = resource;
        this.serverSecret = serverSecret;
        this.secrets = secrets;
    }

    static DemoRealm create(KeycloakServer keycloak, String resource) {
        TestRealm realm = TestRealm.create(keycloak);
        try {
            String serverSecret = realm.resourceServerClient(SERVER_CLIENT);
            for (String scope : List.of("mcp:read", "mcp:write", "mcp:admin")) {
                realm.clientScope(scope, resource, SERVER_CLIENT);
            }
            realm.realmRole("admin");
            Map<String, String> secrets = Map.of(
                    "reader", realm.agentClient("reader", "mcp:read"),
                    "writer", realm.agentClient("writer", "mcp:read", "mcp:write"),
                    "admin", realm.agentClient("admin", "mcp:read", "mcp:write", "mcp:admin"),
                    "role-admin", realm.agentClient("role-admin", "mcp:read"),
                    "outsider", realm.agentClient("outsider"));
            realm.grantRealmRoleToAgent("role-admin", "admin");
            return new DemoRealm(realm, resource, serverSecret, secrets);
        } catch (RuntimeException e) {
            realm.close();
            throw e;
        }
    }

    String secret(String agent) {
        return secrets.get(agent);
    }

    /** A client_credentials token of {@code agent} asking for {@code scopes}. */
    TestRealm.Tokens token(String agent, String... scopes) {
        return realm.clientCredentials(agent, secret(agent), String.join(" ", scopes));
    }

    /** The scopes Keycloak granted, sorted (what the server adds to a step-up challenge). */
    static List<String> grantedScopes(TestRealm.Tokens tokens) {
        return Arrays.stream(tokens.scope().split(" ")).filter(s -> !s.isEmpty()).sorted().toList();
    }

    @Override
    public void close() {
        realm.close();
    }
}

package org.mcpidp.mcpserver.people;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.mcpidp.testkit.KeycloakServer;

/**
 * INTERIM, until idp-provisioning applies the spec's {@code downstream:} section: the Keycloak side of the orders API
 * exchange, made with the admin API exactly as the issue describes it (the orders-api client, an orders:read client
 * scope whose audience mapper adds orders-api, that scope as an optional scope of mcp-server, and
 * {@code standard.token.exchange.enabled=true} on mcp-server). Does nothing when provisioning already made the client.
 */
final class InterimExchangeSetup {

    private InterimExchangeSetup() {
    }

    static void ensure(KeycloakServer keycloak, String realm) {
        var admin = keycloak.admin();
        String base = "/" + realm;
        if (!admin.get(base + "/clients?clientId=orders-api").isEmpty()) {
            return;
        }
        admin.post(base + "/clients", Map.of("clientId", "orders-api", "protocol", "openid-connect",
                "publicClient", false, "bearerOnly", true, "standardFlowEnabled", false,
                "directAccessGrantsEnabled", false, "serviceAccountsEnabled", false));
        String scopeId = admin.post(base + "/client-scopes", Map.of("name", "orders:read", "protocol", "openid-connect",
                "attributes", Map.of("include.in.token.scope", "true", "display.on.consent.screen", "false"),
                "protocolMappers", List.of(Map.of("name", "aud orders-api", "protocol", "openid-connect",
                        "protocolMapper", "oidc-audience-mapper", "config", Map.of(
                                "included.client.audience", "orders-api", "access.token.claim", "true",
                                "introspection.token.claim", "true"))))).orElseThrow();
        JsonNode server = admin.get(base + "/clients?clientId=mcp-server").get(0);
        String serverId = server.path("id").asText();
        admin.put(base + "/clients/" + serverId + "/optional-client-scopes/" + scopeId, Map.of());
        @SuppressWarnings("unchecked")
        Map<String, Object> updated = KeycloakServerJson.toMap(server);
        @SuppressWarnings("unchecked")
        Map<String, Object> attributes = (Map<String, Object>) updated.computeIfAbsent("attributes",
                k -> new java.util.HashMap<>());
        attributes.put("standard.token.exchange.enabled", "true");
        admin.put(base + "/clients/" + serverId, updated);
    }

    private static final class KeycloakServerJson {
        @SuppressWarnings("unchecked")
        static Map<String, Object> toMap(JsonNode node) {
            return new com.fasterxml.jackson.databind.ObjectMapper().convertValue(node, Map.class);
        }
    }
}

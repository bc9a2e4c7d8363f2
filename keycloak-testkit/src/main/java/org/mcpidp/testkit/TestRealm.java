package org.mcpidp.testkit;

import static org.mcpidp.testkit.KeycloakAdmin.map;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.ECKey;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An isolated realm with a random name, for one test class: create it in {@code @BeforeAll}, close it in
 * {@code @AfterAll}. Helpers create exactly what resource-server tests need: client scopes whose tokens carry the
 * right {@code aud} (Keycloak 26.7 refuses introspection to a client that is not in {@code aud}), a confidential
 * resource-server client allowed to introspect, agent clients with service accounts, roles and users.
 */
public final class TestRealm implements AutoCloseable {

    private final KeycloakServer server;
    private final String name;

    private TestRealm(KeycloakServer server, String name) {
        this.server = server;
        this.name = name;
    }

    /** Creates a realm named {@code t-<random>} with a 5-minute access-token lifetime. */
    public static TestRealm create(KeycloakServer server) {
        byte[] random = new byte[5];
        ThreadLocalRandom.current().nextBytes(random);
        String name = "t-" + HexFormat.of().formatHex(random);
        server.admin().post("", map("realm", name, "enabled", true, "accessTokenLifespan", 300));
        return new TestRealm(server, name);
    }

    public String name() {
        return name;
    }

    public KeycloakServer server() {
        return server;
    }

    /** The issuer exactly as it appears in this realm's tokens. */
    public String issuer() {
        return server.issuer(name);
    }

    public String tokenEndpoint() {
        return issuer() + "/protocol/openid-connect/token";
    }

    public String introspectionEndpoint() {
        return tokenEndpoint() + "/introspect";
    }

    /** Admin REST paths relative to this realm ({@code ""} is the realm itself). */
    public String path(String relative) {
        return "/" + name + (relative.isEmpty() || relative.startsWith("/") ? relative : "/" + relative);
    }

    /**
     * A client scope that appears in the token's {@code scope} claim and adds each audience to {@code aud}: a value
     * with {@code ://} is a custom audience (the MCP resource URL), anything else a client id (the resource server).
     */
    public String clientScope(String scopeName, String... audiences) {
        List<Map<String, Object>> mappers = new ArrayList<>();
        for (String audience : audiences) {
            boolean url = audience.contains("://");
            mappers.add(map(
                    "name", "aud " + audience,
                    "protocol", "openid-connect",
                    "protocolMapper", "oidc-audience-mapper",
                    "config", map(
                            url ? "included.custom.audience" : "included.client.audience", audience,
                            "access.token.claim", "true",
                            "introspection.token.claim", "true")));
        }
        return server.admin().post(path("client-scopes"), map(
                "name", scopeName,
                "protocol", "openid-connect",
                "attributes", map("include.in.token.scope", "true", "display.on.consent.screen", "false"),
                "protocolMappers", mappers)).orElseThrow();
    }

    /** A confidential client with no grants of its own: the resource server that introspects. Returns its secret. */
    public String resourceServerClient(String clientId) {
        return confidentialClient(clientId, false, false);
    }

    /**
     * A machine agent: confidential, client_credentials (and password grant for user tests), the given client
     * scopes as optional scopes it may request. Returns its secret.
     */
    public String agentClient(String clientId, String... optionalScopes) {
        return confidentialClient(clientId, true, true, optionalScopes);
    }

    /**
     * A client for people only: confidential, password grant (tests' stand-in for a browser login), NO service
     * account, so no {@code service-account-<clientId>} user exists for it. Returns its secret.
     */
    public String userClient(String clientId, String... optionalScopes) {
        return confidentialClient(clientId, true, false, optionalScopes);
    }

    public void realmRole(String role) {
        server.admin().post(path("roles"), map("name", role));
    }

    /** Grants a realm role to an agent's service-account user. */
    public void grantRealmRoleToAgent(String clientId, String role) {
        JsonNode user = server.admin().get(path("clients/" + clientUuid(clientId) + "/service-account-user"));
        grantRealmRole(user.get("id").asText(), role);
    }

    /** A user with a password and realm roles; returns its id. */
    public String user(String username, String password, String... realmRoles) {
        String id = server.admin().post(path("users"), map(
                "username", username,
                "enabled", true,
                "email", username + "@example.test",
                "emailVerified", true,
                "firstName", username,
                "lastName", "Test",
                "credentials", List.of(map("type", "password", "value", password, "temporary", false)))).orElseThrow();
        for (String role : realmRoles) {
            grantRealmRole(id, role);
        }
        return id;
    }

    /** Logs a user out of every session (what an admin does when a laptop is stolen). */
    public void logoutUser(String userId) {
        server.admin().post(path("users/" + userId + "/logout"), map());
    }

    public void setClientEnabled(String clientId, boolean enabled) {
        String uuid = clientUuid(clientId);
        JsonNode client = server.admin().get(path("clients/" + uuid));
        Map<String, Object> updated = KeycloakAdmin.JSON.convertValue(client, Map.class);
        updated.put("enabled", enabled);
        server.admin().put(path("clients/" + uuid), updated);
    }

    /** Sets a confidential client's secret to {@code secret} (what a rotation, or fixing a wrong one, does). */
    public void setClientSecret(String clientId, String secret) {
        String uuid = clientUuid(clientId);
        @SuppressWarnings("unchecked")
        Map<String, Object> updated = KeycloakAdmin.JSON.convertValue(server.admin().get(path("clients/" + uuid)), Map.class);
        updated.put("secret", secret);
        server.admin().put(path("clients/" + uuid), updated);
    }

    public void setClientAttribute(String clientId, String attribute, String value) {
        String uuid = clientUuid(clientId);
        JsonNode client = server.admin().get(path("clients/" + uuid));
        @SuppressWarnings("unchecked")
        Map<String, Object> updated = KeycloakAdmin.JSON.convertValue(client, Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> attributes = (Map<String, Object>) updated.computeIfAbsent("attributes", k -> new java.util.HashMap<>());
        attributes.put(attribute, value);
        server.admin().put(path("clients/" + uuid), updated);
    }

    /** A client_credentials token; {@code scope} may be empty. */
    public Tokens clientCredentials(String clientId, String secret, String scope) {
        return tokens().clientCredentials(clientId, secret, scope);
    }

    /**
     * A client_credentials token bound to {@code key} by DPoP (RFC 9449): the request carries a DPoP proof signed
     * with it, so Keycloak (DPoP is on by default in 26.7) issues a token with {@code cnf.jkt} and
     * {@code token_type: DPoP}. Returns the token and the proof that obtained it.
     */
    public DpopTokens dpopClientCredentials(String clientId, String secret, String scope, ECKey key) {
        return tokens().dpopClientCredentials(clientId, secret, scope, key);
    }

    /** A DPoP-bound token and the proof sent to get it: both secrets, never printed. */
    public record DpopTokens(Tokens tokens, String proof) {
        @Override
        public String toString() {
            return "DpopTokens[" + tokens + "]";
        }
    }

    /** A resource-owner password token for a user (tests only; agents use client_credentials). */
    public Tokens password(String clientId, String secret, String username, String password, String scope) {
        return tokens().password(clientId, secret, username, password, scope);
    }

    /** RFC 7009 revocation of an access token by the client it was issued to. */
    public void revoke(String clientId, String secret, String accessToken) {
        tokens().revoke(clientId, secret, accessToken);
    }

    /** This realm's token endpoint, as a client uses it (the admin API is for setting the realm up). */
    private RealmTokenEndpoint tokens() {
        return new RealmTokenEndpoint(server.admin().http(), tokenEndpoint(),
                issuer() + "/protocol/openid-connect/revoke");
    }

    public String clientUuid(String clientId) {
        JsonNode found = server.admin().get(path("clients?clientId=" + clientId));
        if (found.isEmpty()) {
            throw new IllegalArgumentException("no client " + clientId + " in realm " + name);
        }
        return found.get(0).get("id").asText();
    }

    /** Deletes the realm. */
    @Override
    public void close() {
        try {
            server.admin().delete(path(""));
        } catch (RuntimeException e) {
            // a realm that cannot be deleted (server stopped by the test) is gone with the server anyway
        }
    }

    /**
     * A confidential client (client-secret authentication, no browser flow) with the given grants and the client
     * scopes it may request; returns its secret.
     *
     * @param passwordGrant   direct access grants: the password grant, tests' stand-in for a person's login
     * @param serviceAccount  client_credentials, with a {@code service-account-<clientId>} user
     */
    private String confidentialClient(String clientId, boolean passwordGrant, boolean serviceAccount,
                                      String... optionalScopes) {
        String uuid = server.admin().post(path("clients"), map(
                "clientId", clientId,
                "protocol", "openid-connect",
                "publicClient", false,
                "standardFlowEnabled", false,
                "directAccessGrantsEnabled", passwordGrant,
                "serviceAccountsEnabled", serviceAccount,
                "clientAuthenticatorType", "client-secret")).orElseThrow();
        for (String scope : optionalScopes) {
            server.admin().put(path("clients/" + uuid + "/optional-client-scopes/" + scopeId(scope)), map());
        }
        return secret(clientId);
    }

    private String secret(String clientId) {
        return server.admin().get(path("clients/" + clientUuid(clientId) + "/client-secret")).get("value").asText();
    }

    private String scopeId(String scopeName) {
        for (JsonNode scope : server.admin().get(path("client-scopes"))) {
            if (scope.get("name").asText().equals(scopeName)) {
                return scope.get("id").asText();
            }
        }
        throw new IllegalArgumentException("no client scope " + scopeName + " in realm " + name);
    }

    private void grantRealmRole(String userId, String role) {
        JsonNode representation = server.admin().get(path("roles/" + role));
        server.admin().post(path("users/" + userId + "/role-mappings/realm"), List.of(representation));
    }

    /** A token endpoint answer. The access token is a secret: never print it. */
    public record Tokens(String accessToken, long expiresIn, String scope, String refreshToken) {
        @Override
        public String toString() {
            return "Tokens[scope=" + scope + ", expiresIn=" + expiresIn + "]";
        }
    }
}

package org.mcpidp.mcpserver.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mcpidp.testkit.LocalIssuer;

/**
 * The MCP server configured for Microsoft Entra ID tokens (profile entra, multi-tenant template, scope prefix).
 * Microsoft cannot be reached from here: the tokens are shaped like Entra v2 access tokens and signed by a LOCAL
 * STAND-IN key set (LocalIssuer's JWKS, configured as jwks-uri instead of Entra's discovery).
 */
class EntraTokensStandInTest {

    private static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    private static final String OTHER_TENANT = "9188040d-6c67-4c5b-b112-36a304b66dad";
    private static final String API_APP_ID = "6e74172b-be56-4843-9ff4-e66a39bb12e3";
    private static final String PREFIX = "api://" + API_APP_ID + "/";
    private static final String TEMPLATE = "https://login.microsoftonline.com/{tenantid}/v2.0";

    private static LocalIssuer keys;
    private static SecurityServer server;

    @BeforeAll
    static void start() {
        keys = LocalIssuer.start();
        server = SecurityServer.jwt(TEMPLATE, Map.of(
                "mcp.auth.issuers.0.profile", "entra",
                "mcp.auth.issuers.0.tenants", TENANT,
                "mcp.auth.issuers.0.jwks-uri", keys.jwksUri(),
                "mcp.auth.audiences", API_APP_ID,
                "mcp.auth.scope-prefix", PREFIX));
    }

    @AfterAll
    static void stop() {
        server.close();
        keys.close();
    }

    private static Map<String, Object> v2(String tenant) {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("aud", API_APP_ID);
        claims.put("iss", "https://login.microsoftonline.com/" + tenant + "/v2.0");
        claims.put("iat", now);
        claims.put("nbf", now);
        claims.put("exp", now + 3599);
        claims.put("aio", "E2RgYJh8zv/1hJ3vf/h3/w8xAAA=");
        claims.put("azp", "3b2c7f0e-5a77-4d6e-9c9e-1d2f3a4b5c6d");
        claims.put("azpacr", "1");
        claims.put("oid", "f5c6d1e2-aaaa-4bbb-8ccc-0123456789ab");
        claims.put("rh", "1.AXkAv4j5cvGGr0GRqy180BHbRysXdG5WvkNIn_TmOjm7EuN5AAB5AA.");
        claims.put("sub", "f5c6d1e2-aaaa-4bbb-8ccc-0123456789ab");
        claims.put("tid", tenant);
        claims.put("uti", "AbCdEfGhIjKlMnOpQrStUv");
        claims.put("ver", "2.0");
        return claims;
    }

    private static String sign(Map<String, Object> claims) {
        return keys.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT)
                .keyID(keys.rsaKey().getKeyID()).build(), claims);
    }

    private static SecurityServer.Reply call(String token, String tool) {
        SecurityServer.Reply init = server.send(server.post(token, SecurityServer.INITIALIZE).build());
        assertThat(init.status()).as(init.body()).isEqualTo(200);
        String session = init.header("Mcp-Session-Id");
        server.send(server.post(token, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}")
                .header("Mcp-Session-Id", session).build());
        Request request = server.post(token, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\""
                + tool + "\",\"arguments\":{\"name\":\"Desk\",\"price\":10,\"id\":\"p-1\"}}}")
                .header("Mcp-Session-Id", session).build();
        return server.send(request);
    }

    @Test
    void whenAnAppOnlyTokenHoldsTheAppRoleThenTheToolNeedingThatScopeRuns() {
        Map<String, Object> claims = v2(TENANT);
        claims.put("idtyp", "app");
        claims.put("roles", List.of("mcp:read"));
        SecurityServer.Reply reply = call(sign(claims), "list_products");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).contains("Keyboard");
    }

    @Test
    void whenADelegatedTokenHasScpThenTheToolRuns() {
        Map<String, Object> claims = v2(TENANT);
        claims.put("scp", "mcp:read mcp:write");
        assertThat(call(sign(claims), "create_product").status()).isEqualTo(200);
    }

    @Test
    void whenTheScopeIsMissingThenTheChallengeNamesEntraScopes() {
        Map<String, Object> claims = v2(TENANT);
        claims.put("roles", List.of("mcp:read"));
        SecurityServer.Reply reply = call(sign(claims), "delete_product");
        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.header("WWW-Authenticate"))
                .contains("error=\"insufficient_scope\"")
                .contains("scope=\"" + PREFIX + "mcp:admin " + PREFIX + "mcp:read\"");
    }

    @Test
    void whenNoTokenThenTheChallengeAndMetadataNameEntraScopes() {
        SecurityServer.Reply reply = server.send(server.post(null, SecurityServer.INITIALIZE).build());
        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.header("WWW-Authenticate")).contains("scope=\"" + PREFIX + "mcp:read");
        SecurityServer.Reply metadata = server.send(new Request.Builder()
                .url(server.baseUrl + "/.well-known/oauth-protected-resource/mcp").build());
        assertThat(metadata.body()).contains("\"" + PREFIX + "mcp:read\"").contains("\"" + PREFIX + "mcp:admin\"");
    }

    @Test
    void whenTheTenantIsNotAllowedOrTheTokenIsForGraphThenInvalidToken() {
        Map<String, Object> stranger = v2(OTHER_TENANT);
        stranger.put("roles", List.of("mcp:read"));
        SecurityServer.Reply reply = server.send(server.post(sign(stranger), SecurityServer.INITIALIZE).build());
        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.challengeError()).isEqualTo("invalid_token");

        Map<String, Object> graph = v2(TENANT);
        graph.put("aud", "00000003-0000-0000-c000-000000000000");
        String graphToken = keys.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(keys.rsaKey().getKeyID())
                .customParam("nonce", "abc").build(), graph);
        SecurityServer.Reply graphReply = server.send(server.post(graphToken, SecurityServer.INITIALIZE).build());
        assertThat(graphReply.status()).isEqualTo(401);
        assertThat(graphReply.header("WWW-Authenticate")).contains("Microsoft API");
    }

    @Test
    void whenTheEntraConfigurationIsIncompleteThenStartupFailsNamingTheKey() {
        assertThatThrownBy(() -> SecurityServer.jwt(TEMPLATE, Map.of(
                "mcp.auth.issuers.0.profile", "entra",
                "mcp.auth.issuers.0.jwks-uri", keys.jwksUri(),
                "mcp.auth.audiences", API_APP_ID)))
                .hasMessageContaining("mcp.auth.issuers.0.tenants");
        assertThatThrownBy(() -> SecurityServer.jwt("https://login.microsoftonline.com/" + TENANT + "/v2.0", Map.of(
                "mcp.auth.issuers.0.profile", "entra",
                "mcp.auth.issuers.0.mode", "introspection",
                "mcp.auth.issuers.0.client-secret", "x")))
                .hasMessageContaining("mcp.auth.issuers.0.mode");
    }
}

package org.mcpidp.mcpserver.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import java.util.List;
import java.util.Map;
import okhttp3.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mcpidp.testkit.EntraClaims;
import org.mcpidp.testkit.LocalIssuer;

/**
 * The MCP server configured for Microsoft Entra ID tokens (profile entra, multi-tenant template, scope prefix).
 * Microsoft cannot be reached from here: the tokens are shaped like Entra v2 access tokens and signed by a LOCAL
 * STAND-IN key set (LocalIssuer's JWKS, configured as jwks-uri instead of Entra's discovery).
 */
class EntraTokensStandInTest {

    private static final String TENANT = EntraClaims.TENANT;
    private static final String OTHER_TENANT = EntraClaims.OTHER_TENANT;
    private static final String API_APP_ID = EntraClaims.API_APP_ID;
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
        return EntraClaims.v2AccessToken(tenant);
    }

    private static String sign(Map<String, Object> claims) {
        return EntraClaims.sign(keys, claims);
    }

    private static SecurityServer.Reply call(String token, String tool) {
        return call(token, tool, "p-1");
    }

    private static SecurityServer.Reply call(String token, String tool, String productId) {
        SecurityServer.Reply init = server.send(server.post(token, SecurityServer.INITIALIZE).build());
        assertThat(init.status()).as(init.body()).isEqualTo(200);
        String session = init.header("Mcp-Session-Id");
        server.send(server.post(token, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}")
                .header("Mcp-Session-Id", session).build());
        Request request = server.post(token, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\""
                + tool + "\",\"arguments\":{\"name\":\"Desk\",\"price\":10,\"id\":\"" + productId + "\"}}}")
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
    void whenAPersonsDelegatedTokenCarriesTheAdminAppRoleThenTheRoleDoesNotWidenWhatSheConsentedTo() {
        // Entra puts a user's app roles into her delegated token too: the consented scp decides, not the role
        Map<String, Object> person = v2(TENANT);
        person.put("scp", "mcp:read");
        person.put("roles", List.of("admin"));

        SecurityServer.Reply reply = call(sign(person), "delete_product");

        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.header("WWW-Authenticate")).contains("error=\"insufficient_scope\"");
    }

    @Test
    void whenAnAppOnlyTokenHoldsTheAdminAppRoleThenItMayDelete() {
        Map<String, Object> app = v2(TENANT);
        app.put("idtyp", "app");
        app.put("roles", List.of("admin"));

        SecurityServer.Reply reply = call(sign(app), "delete_product", "p-3"); // the other tests read p-1

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).contains("p-3").doesNotContain("\"isError\":true");
    }

    @Test
    void whenTheScopeIsMissingThenTheChallengeNamesEntraScopes() {
        Map<String, Object> claims = v2(TENANT);
        claims.put("roles", List.of("mcp:read"));
        SecurityServer.Reply reply = call(sign(claims), "delete_product");
        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.header("WWW-Authenticate"))
                .contains("error=\"insufficient_scope\"")
                .contains("scope=\"" + PREFIX + "mcp:admin\""); // exactly what the call needs
    }

    @Test
    void whenNoTokenThenTheChallengeAndMetadataNameEntraScopes() {
        SecurityServer.Reply reply = server.send(server.post(null, SecurityServer.INITIALIZE).build());
        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.header("WWW-Authenticate")).contains("scope=\"" + PREFIX + "mcp:read");
        SecurityServer.Reply metadata = server.send(new Request.Builder()
                .url(server.baseUrl + "/.well-known/oauth-protected-resource/mcp").build());
        assertThat(metadata.body()).contains("\"" + PREFIX + "mcp:read\"").contains("\"" + PREFIX + "mcp:admin\"");
        // the multi-tenant template is published as the allowed tenant's issuer, never as {tenantid}
        assertThat(metadata.body()).contains("\"authorization_servers\":[\"https://login.microsoftonline.com/"
                + TENANT + "/v2.0\"]").doesNotContain("tenantid");
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

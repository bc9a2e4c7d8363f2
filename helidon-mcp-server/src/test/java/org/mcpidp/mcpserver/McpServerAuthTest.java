package org.mcpidp.mcpserver;

import org.mcpidp.testkit.McpHttp;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.Request;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mcpidp.testkit.TestRealm;

/**
 * The MCP endpoint as an OAuth resource server, against a real Keycloak: every status and challenge a client can
 * meet, metadata at both well-known URLs, per-tool 403 with the step-up scope, a Keycloak realm role allowing a demo
 * tool, sessions bound to their subject. The exact challenges seen are appended
 * to target/auth-headers.txt.
 */
class McpServerAuthTest {

    // the metadata tests read as a browser page on this origin would (an Origin not allowed gets 403)
    @RegisterExtension
    static final DemoServer demo = new DemoServer(Map.of("mcp.allowed-origins.0", "https://inspector.example"));

    @Test
    void whenNoTokenThen401WithMetadataAndScopeButNoError() {
        McpHttp.Reply reply = demo.mcp.rpc(null, Optional.empty(), "tools/list", "{}");

        assertThat(reply.status()).isEqualTo(401);
        record("401 without a token", reply);
        assertThat(reply.header("WWW-Authenticate")).isEqualTo("Bearer scope=\"mcp:read mcp:write mcp:admin\", "
                + "resource_metadata=\"" + demo.server.prmUrl() + "\"");
    }

    @Test
    void whenTokenOnlyInQueryThenItIsIgnored() {
        String token = demo.realm.token("reader", "mcp:read").accessToken();
        Request request = new Request.Builder()
                .url(demo.server.baseUrl + "/mcp?access_token=" + token)
                .header("Accept", "application/json, text/event-stream")
                .post(okhttp3.RequestBody.create("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}",
                        okhttp3.MediaType.get("application/json")))
                .build();

        McpHttp.Reply reply = demo.mcp.send(request);

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.header("WWW-Authenticate")).doesNotContain("error=");
    }

    @Test
    void whenAnotherSchemeThen401WithoutError() {
        Request request = demo.mcp.post(null, Optional.empty(), "{}").header("Authorization", "Basic YTpi").build();

        McpHttp.Reply reply = demo.mcp.send(request);

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.header("WWW-Authenticate")).startsWith("Bearer scope=").doesNotContain("error=");
    }

    @Test
    void whenSchemeIsLowerCaseThenTokenIsAccepted() {
        String token = demo.realm.token("reader", "mcp:read").accessToken();
        Request request = demo.mcp.post(null, Optional.empty(), """
                {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",
                 "capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""")
                .header("Authorization", "bearer " + token).build();

        assertThat(demo.mcp.send(request).status()).isEqualTo(200);
    }

    @Test
    void whenTwoAuthorizationHeadersThen400InvalidRequest() {
        String token = demo.realm.token("reader", "mcp:read").accessToken();
        Request request = demo.mcp.post(token, Optional.empty(), "{}").addHeader("Authorization", "Bearer " + token).build();

        McpHttp.Reply reply = demo.mcp.send(request);

        assertThat(reply.status()).isEqualTo(400);
        record("400 with two Authorization headers", reply);
        assertThat(reply.header("WWW-Authenticate")).startsWith("Bearer error=\"invalid_request\"");
    }

    @Test
    void whenTokenIsUnknownThen401InvalidToken() {
        McpHttp.Reply reply = demo.mcp.rpc("not-a-token-this-server-ever-issued", Optional.empty(), "tools/list", "{}");

        assertThat(reply.status()).isEqualTo(401);
        record("401 with an invalid token", reply);
        assertThat(reply.header("WWW-Authenticate"))
                .startsWith("Bearer error=\"invalid_token\", error_description=\"")
                .endsWith("resource_metadata=\"" + demo.server.prmUrl() + "\"");
    }

    @Test
    void whenTokenIsMalformedThen401InvalidToken() {
        Request request = demo.mcp.post(null, Optional.empty(), "{}").header("Authorization", "Bearer a\"b").build();

        McpHttp.Reply reply = demo.mcp.send(request);

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
    }

    @Test
    void whenTokenIsForAnotherAudienceThen401InvalidToken() {
        // outsider asks for no MCP scope: neither the resource URL nor the server's client id is in aud
        String token = demo.realm.token("outsider").accessToken();

        McpHttp.Reply reply = demo.mcp.rpc(token, Optional.empty(), "tools/list", "{}");

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
    }

    @Test
    void whenTokenIsRevokedThen401() {
        // a revoked token that the server never saw is not in its cache: introspection answers inactive
        TestRealm.Tokens tokens = demo.realm.token("reader", "mcp:read");
        demo.realm.realm.revoke("reader", demo.realm.secret("reader"), tokens.accessToken());

        McpHttp.Reply reply = demo.mcp.rpc(tokens.accessToken(), Optional.empty(), "tools/list", "{}");

        assertThat(reply.status()).isEqualTo(401);
    }

    @Test
    void whenSseOrDeleteOrMessageRouteWithoutTokenThen401() {
        for (Request request : List.of(
                new Request.Builder().url(demo.server.baseUrl + "/mcp").header("Accept", "text/event-stream").get().build(),
                new Request.Builder().url(demo.server.baseUrl + "/mcp").delete().build(),
                new Request.Builder().url(demo.server.baseUrl + "/mcp/message?sessionId=x")
                        .post(okhttp3.RequestBody.create("{}", okhttp3.MediaType.get("application/json"))).build())) {
            McpHttp.Reply reply = demo.mcp.send(request);
            assertThat(reply.status()).as(request.method() + " " + request.url()).isEqualTo(401);
            assertThat(reply.header("WWW-Authenticate")).startsWith("Bearer ");
        }
    }

    @Test
    void whenPathAwareMetadataIsReadThenItDescribesTheResource() throws IOException {
        McpHttp.Reply reply = demo.mcp.send(new Request.Builder().url(demo.server.prmUrl())
                .header("Origin", "https://inspector.example").build());

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Access-Control-Allow-Origin")).isEqualTo("*");
        JsonNode metadata = McpHttp.JSON.readTree(reply.body());
        assertThat(metadata.path("resource").asText()).isEqualTo(demo.server.resource);
        assertThat(metadata.path("authorization_servers").get(0).asText()).isEqualTo(demo.realm.realm.issuer());
        assertThat(metadata.path("scopes_supported").toString()).isEqualTo("[\"mcp:read\",\"mcp:write\",\"mcp:admin\"]");
        assertThat(metadata.path("bearer_methods_supported").toString()).isEqualTo("[\"header\"]");
        assertThat(metadata.path("resource_name").asText()).isEqualTo("MCP IdP kit demo server");
    }

    @Test
    void whenRootMetadataIsReadThenItIsTheSameDocument() {
        McpHttp.Reply root = demo.mcp.send(new Request.Builder()
                .url(demo.server.baseUrl + "/.well-known/oauth-protected-resource").build());
        McpHttp.Reply pathAware = demo.mcp.send(new Request.Builder().url(demo.server.prmUrl()).build());

        assertThat(root.status()).isEqualTo(200);
        assertThat(root.body()).isEqualTo(pathAware.body());
    }

    @Test
    void whenMetadataPreflightThenCorsAllowsGet() {
        McpHttp.Reply reply = demo.mcp.send(new Request.Builder().url(demo.server.prmUrl())
                .method("OPTIONS", null)
                .header("Origin", "https://inspector.example")
                .header("Access-Control-Request-Method", "GET").build());

        assertThat(reply.status()).isEqualTo(204);
        assertThat(reply.header("Access-Control-Allow-Origin")).isEqualTo("*");
        assertThat(reply.header("Access-Control-Allow-Methods")).contains("GET");
    }

    /**
     * Keycloak's realm role in a client_credentials token reaches the demo's delete_product requirement (mcp:admin or
     * role admin). Per-caller filtering itself (scopes, hierarchy, roles of people and applications) is the library's
     * ToolListFilteringTest.
     */
    @Test
    void whenRoleAdminListsToolsThenDeleteIsShownThroughTheRole() {
        String token = demo.realm.token("role-admin", "mcp:read").accessToken();
        String session = demo.mcp.openSession(token);

        assertThat(demo.mcp.toolNames(token, session)).containsExactly("whoami", "list_products", "delete_product");
    }

    @Test
    void whenReaderCallsListProductsThenProductsAreReturned() {
        String token = demo.realm.token("reader", "mcp:read").accessToken();
        String session = demo.mcp.openSession(token);

        McpHttp.Reply reply = demo.mcp.callTool(token, session, "list_products", "{}");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("result").path("content").get(0).path("text").asText()).contains("Keyboard");
    }

    @Test
    void whenWhoamiThenTheVerifiedCallerIsShown() throws IOException {
        String token = demo.realm.token("reader", "mcp:read").accessToken();
        String session = demo.mcp.openSession(token);

        McpHttp.Reply reply = demo.mcp.callTool(token, session, "whoami", "{}");

        JsonNode me = McpHttp.JSON.readTree(reply.json().path("result").path("content").get(0).path("text").asText());
        assertThat(me.path("clientId").asText()).isEqualTo("reader");
        assertThat(me.path("issuer").asText()).isEqualTo(demo.realm.realm.issuer());
        assertThat(me.path("subject").asText()).isNotBlank();
        assertThat(me.path("scopes").toString()).contains("mcp:read");
        assertThat(me.path("expiresAt").asText()).isNotBlank();
    }

    @Test
    void whenAPersonCallsWhoamiThenUsernameNameAndEmailAreShown() throws IOException {
        String password = java.util.UUID.randomUUID().toString();
        demo.realm.realm.user("erin", password);
        String token = demo.realm.realm.password("reader", demo.realm.secret("reader"), "erin", password, "mcp:read").accessToken();
        String session = demo.mcp.openSession(token);

        JsonNode me = McpHttp.JSON.readTree(demo.mcp.callTool(token, session, "whoami", "{}")
                .json().path("result").path("content").get(0).path("text").asText());

        assertThat(me.path("username").asText()).isEqualTo("erin");
        assertThat(me.path("name").asText()).isEqualTo("erin Test");
        assertThat(me.path("email").asText()).isEqualTo("erin@example.test");
        assertThat(me.path("clientId").asText()).isEqualTo("reader");
    }

    @Test
    void whenAnAgentCallsWhoamiThenNoNameOrEmailIsInvented() throws IOException {
        String token = demo.realm.token("reader", "mcp:read").accessToken();
        String session = demo.mcp.openSession(token);

        JsonNode me = McpHttp.JSON.readTree(demo.mcp.callTool(token, session, "whoami", "{}")
                .json().path("result").path("content").get(0).path("text").asText());

        assertThat(me.path("username").asText()).isEqualTo("service-account-reader");
        assertThat(me.has("name")).isFalse();
        assertThat(me.has("email")).isFalse();
    }

    @Test
    void whenReaderCallsCreateProductThen403WithWriteScopePlusCurrentScopes() {
        assertReaderRefused("create_product", "{\"name\":\"Pen\",\"price\":1.5}", "mcp:write", "mcp:write");
    }

    @Test
    void whenReaderCallsDeleteProductThen403WithAdminScope() {
        assertReaderRefused("delete_product", "{\"id\":\"p-1\"}", "mcp:admin or role admin", "mcp:admin");
    }

    /**
     * The reader calls {@code tool}: 403 whose challenge names what the tool {@code needs} and exactly the scopes the
     * call needs ({@code stepUpScope}), all in one challenge: the client adds them to what it holds (2026-07-28).
     */
    private static void assertReaderRefused(String tool, String arguments, String needs, String stepUpScope) {
        TestRealm.Tokens tokens = demo.realm.token("reader", "mcp:read");
        String session = demo.mcp.openSession(tokens.accessToken());

        McpHttp.Reply reply = demo.mcp.callTool(tokens.accessToken(), session, tool, arguments);

        assertThat(reply.status()).isEqualTo(403);
        record("403 reader calls " + tool, reply);
        assertThat(reply.header("WWW-Authenticate")).isEqualTo("Bearer error=\"insufficient_scope\", "
                + "error_description=\"tool " + tool + " needs scope " + needs + "\", "
                + "scope=\"" + stepUpScope + "\", "
                + "resource_metadata=\"" + demo.server.prmUrl() + "\"");
    }

    @Test
    void whenWriterCreatesAProductThenItIsCreated() {
        String token = demo.realm.token("writer", "mcp:read", "mcp:write").accessToken();
        String session = demo.mcp.openSession(token);

        McpHttp.Reply reply = demo.mcp.callTool(token, session, "create_product", "{\"name\":\"Pen\",\"price\":1.5}");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("result").path("isError").asBoolean(false)).isFalse();
        assertThat(reply.json().path("result").path("content").get(0).path("text").asText()).contains("Pen");
    }

    @Test
    void whenRoleAdminDeletesAProductThenTheRoleIsEnough() {
        String token = demo.realm.token("role-admin", "mcp:read").accessToken();
        String session = demo.mcp.openSession(token);
        String created = demo.mcp.callTool(demo.realm.token("writer", "mcp:read", "mcp:write").accessToken(),
                demo.mcp.openSession(demo.realm.token("writer", "mcp:read", "mcp:write").accessToken()),
                "create_product", "{\"name\":\"Doomed\",\"price\":2}").json()
                .path("result").path("content").get(0).path("text").asText();
        String id = created.replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");

        McpHttp.Reply reply = demo.mcp.callTool(token, session, "delete_product", "{\"id\":\"" + id + "\"}");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("result").path("isError").asBoolean(false)).isFalse();
    }

    @Test
    void whenAPersonHoldingTheAdminRoleConsentedToReadOnlyThenHerRoleDoesNotLetHerDelete() throws IOException {
        // Keycloak puts her realm roles into the token whatever scopes she consented to: for a person's token the
        // granted scopes decide, roles count only for an application's own (client credentials) token
        String password = java.util.UUID.randomUUID().toString();
        demo.realm.realm.user("frank", password, "admin");
        String token = demo.realm.realm.password("role-admin", demo.realm.secret("role-admin"), "frank", password,
                "mcp:read").accessToken();
        String session = demo.mcp.openSession(token);
        JsonNode me = McpHttp.JSON.readTree(demo.mcp.callTool(token, session, "whoami", "{}")
                .json().path("result").path("content").get(0).path("text").asText());
        assertThat(me.path("roles").toString()).as("the role is in her token").contains("admin");

        McpHttp.Reply reply = demo.mcp.callTool(token, session, "delete_product", "{\"id\":\"p-2\"}");

        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.header("WWW-Authenticate")).contains("error=\"insufficient_scope\"", "scope=\"mcp:admin\"");
        assertThat(demo.mcp.toolNames(token, session)).doesNotContain("delete_product");
    }

    @Test
    void whenAnotherSubjectUsesTheSessionThen404() {
        String reader = demo.realm.token("reader", "mcp:read").accessToken();
        String writer = demo.realm.token("writer", "mcp:read", "mcp:write").accessToken();
        String session = demo.mcp.openSession(reader);

        McpHttp.Reply hijack = demo.mcp.rpc(writer, Optional.of(session), "tools/list", "{}");
        McpHttp.Reply owner = demo.mcp.rpc(reader, Optional.of(session), "tools/list", "{}");

        assertThat(hijack.status()).isEqualTo(404);
        assertThat(owner.status()).isEqualTo(200);
    }

    @Test
    void whenTheSameSubjectUsesANewTokenThenTheSessionGoesOn() {
        String first = demo.realm.token("reader", "mcp:read").accessToken();
        String session = demo.mcp.openSession(first);
        String second = demo.realm.token("reader", "mcp:read").accessToken();

        assertThat(demo.mcp.rpc(second, Optional.of(session), "tools/list", "{}").status()).isEqualTo(200);
    }

    @Test
    void whenSessionIsUnknownThen404() {
        String token = demo.realm.token("reader", "mcp:read").accessToken();

        McpHttp.Reply reply = demo.mcp.rpc(token, Optional.of("00000000-0000-0000-0000-000000000000"), "tools/list", "{}");

        assertThat(reply.status()).isEqualTo(404);
    }

    @Test
    void whenBodyIsTooLargeThen413() {
        String token = demo.realm.token("reader", "mcp:read").accessToken();
        String session = demo.mcp.openSession(token);
        String big = "x".repeat(70 * 1024);

        McpHttp.Reply reply = demo.mcp.callTool(token, session, "whoami", "{\"padding\":\"" + big + "\"}");

        assertThat(reply.status()).isEqualTo(413);
    }

    @Test
    void whenChunkedBodyIsTooLargeThen413NotServerError() {
        String token = demo.realm.token("reader", "mcp:read").accessToken();
        String session = demo.mcp.openSession(token);
        byte[] big = ("{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"ping\",\"params\":{\"p\":\""
                + "x".repeat(200 * 1024) + "\"}}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        okhttp3.RequestBody chunked = new okhttp3.RequestBody() {
            @Override
            public okhttp3.MediaType contentType() {
                return okhttp3.MediaType.get("application/json");
            }

            @Override
            public long contentLength() {
                return -1; // unknown length: sent chunked, no Content-Length to check up front
            }

            @Override
            public void writeTo(okio.BufferedSink sink) throws IOException {
                sink.write(big);
            }
        };
        Request request = demo.mcp.post(token, Optional.of(session), "{}").post(chunked).build();

        assertThat(demo.mcp.send(request).status()).isEqualTo(413);
    }

    @Test
    void whenReadyThenHealthIsUpAndMetricsCountOutcomes() {
        demo.mcp.rpc(null, Optional.empty(), "tools/list", "{}");

        McpHttp.Reply ready = demo.mcp.send(new Request.Builder().url(demo.server.baseUrl + "/observe/health/ready").build());
        McpHttp.Reply live = demo.mcp.send(new Request.Builder().url(demo.server.baseUrl + "/observe/health/live").build());
        McpHttp.Reply metrics = demo.mcp.send(new Request.Builder().url(demo.server.baseUrl + "/observe/metrics").build());

        assertThat(ready.status()).isEqualTo(200);
        assertThat(live.status()).isEqualTo(200);
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("mcp_auth_requests_total{outcome=\"no_token\"}")
                .contains("mcp_token_cache_hit_ratio")
                .contains("mcp_introspection_seconds_count");
        // Micrometer prints counts as doubles ("1.0"): a zero is "0" or "0.0"
        assertThat(metrics.body()).doesNotContainPattern("outcome=\"no_token\"} 0(\\.0)?\\n");
    }

    private static void record(String what, McpHttp.Reply reply) {
        HeadersFile.append(what, reply);
    }
}

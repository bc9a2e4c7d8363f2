package org.mcpidp.mcpserver;

import org.mcpidp.testkit.McpHttp;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Optional;
import okhttp3.Request;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Browsers and host names (MCP Streamable HTTP: Origin validation against DNS rebinding; CORS answered before
 * authentication), and what initialize announces, on the real server against the real Keycloak.
 */
class BrowserAccessTest {

    private static final String ALLOWED = "http://localhost:6274";
    private static final String EVIL = "http://evil.example";

    @RegisterExtension
    static final DemoServer demo = new DemoServer(Map.of("mcp.allowed-origins", ALLOWED));

    private static long lookups() {
        return demo.server.verifier.stats().cacheHits() + demo.server.verifier.stats().cacheMisses()
                + demo.server.verifier.stats().loads();
    }

    private static String token() {
        return demo.realm.token("reader", "mcp:read").accessToken();
    }

    private static Request.Builder initialize(String token) {
        return demo.mcp.post(token, Optional.empty(), """
                {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",\
                "capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""");
    }

    @Test
    void whenOriginIsNotAllowedThen403BeforeTheTokenIsLookedAt() {
        long lookups = lookups();

        McpHttp.Reply reply = demo.mcp.send(initialize(token()).header("Origin", EVIL).build());

        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.json().path("error").asText()).isEqualTo("origin_not_allowed");
        assertThat(reply.header("WWW-Authenticate")).isNull();
        assertThat(reply.header("Access-Control-Allow-Origin")).isNull();
        assertThat(lookups()).as("no token check").isEqualTo(lookups);
    }

    @Test
    void whenOriginIsNotAllowedThenTheMetadataIsRefusedToo() {
        McpHttp.Reply reply = demo.mcp.send(new Request.Builder().url(demo.server.prmUrl()).header("Origin", EVIL).build());

        assertThat(reply.status()).isEqualTo(403);
    }

    @Test
    void whenOriginIsTheNullOriginThen403() {
        McpHttp.Reply reply = demo.mcp.send(initialize(token()).header("Origin", "null").build());

        assertThat(reply.status()).isEqualTo(403);
    }

    @Test
    void whenHostIsNotThisServerThen403EvenWithoutOrigin() {
        McpHttp.Reply reply = demo.mcp.send(initialize(token()).header("Host", "evil.example:" + demo.server.port).build());

        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.json().path("error").asText()).isEqualTo("host_not_allowed");
    }

    @Test
    void whenHostIsALoopbackNameAndOriginIsTheServersOwnThenAccepted() {
        for (String host : new String[] {"localhost", "127.0.0.1", "[::1]"}) {
            String authority = host + ":" + demo.server.port;
            McpHttp.Reply reply = demo.mcp.send(initialize(token())
                    .header("Host", authority).header("Origin", "http://" + authority).build());

            assertThat(reply.status()).as(authority).isEqualTo(200);
            assertThat(reply.header("Access-Control-Allow-Origin")).as("same origin needs no CORS").isNull();
        }
    }

    @Test
    void whenNoOriginThenNothingChangesForDesktopClients() {
        McpHttp.Reply reply = demo.mcp.send(initialize(token()).build());

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Access-Control-Allow-Origin")).isNull();
    }

    @Test
    void whenAllowedOriginSendsAPreflightThen204WithoutAToken() {
        McpHttp.Reply reply = demo.mcp.send(new Request.Builder().url(demo.server.baseUrl + "/mcp").method("OPTIONS", null)
                .header("Origin", ALLOWED)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization, content-type, mcp-protocol-version").build());

        assertThat(reply.status()).isEqualTo(204);
        assertThat(reply.header("Access-Control-Allow-Origin")).isEqualTo(ALLOWED);
        assertThat(reply.header("Vary")).contains("Origin");
        assertThat(reply.header("Access-Control-Allow-Methods")).isEqualTo("GET, POST, DELETE, OPTIONS");
        assertThat(reply.header("Access-Control-Allow-Headers"))
                .isEqualTo("Authorization, Content-Type, Mcp-Session-Id, Mcp-Protocol-Version, Mcp-Method, Mcp-Name, "
                        + "Last-Event-ID");
        assertThat(reply.header("Access-Control-Max-Age")).isEqualTo("600");
        assertThat(reply.header("WWW-Authenticate")).isNull();
    }

    @Test
    void whenAllowedOriginGetsA401ThenTheChallengeIsReadable() {
        McpHttp.Reply reply = demo.mcp.send(initialize(null).header("Origin", ALLOWED).build());

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.header("WWW-Authenticate")).startsWith("Bearer ");
        assertThat(reply.header("Access-Control-Allow-Origin")).isEqualTo(ALLOWED);
        assertThat(reply.header("Access-Control-Expose-Headers")).isEqualTo("WWW-Authenticate, Mcp-Session-Id");
    }

    @Test
    void whenAllowedOriginGetsA403ThenItCarriesCorsHeaders() {
        String token = token();
        String session = demo.mcp.openSession(token);

        McpHttp.Reply reply = demo.mcp.send(demo.mcp.post(token, Optional.of(session), """
                {"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"delete_product","arguments":{"id":"p-1"}}}""")
                .header("Origin", ALLOWED).build());

        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.header("WWW-Authenticate")).contains("insufficient_scope");
        assertThat(reply.header("Access-Control-Allow-Origin")).isEqualTo(ALLOWED);
    }

    @Test
    void whenAllowedOriginCallsThenTheAnswerExposesTheSessionId() {
        McpHttp.Reply reply = demo.mcp.send(initialize(token()).header("Origin", ALLOWED).build());

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Mcp-Session-Id")).isNotBlank();
        assertThat(reply.header("Access-Control-Allow-Origin")).isEqualTo(ALLOWED);
        assertThat(reply.header("Access-Control-Expose-Headers")).contains("Mcp-Session-Id");
    }

    @Test
    void whenInitializedThenOnlyWhatTheServerHasIsAnnounced() {
        JsonNode capabilities = demo.mcp.send(initialize(token()).build()).json().path("result").path("capabilities");

        assertThat(capabilities.has("tools")).isTrue();
        assertThat(capabilities.has("logging")).isTrue();
        assertThat(capabilities.has("prompts")).as("no prompts: prompts/list would answer -32600").isFalse();
        assertThat(capabilities.has("resources")).as("no resources: resources/list would answer -32600").isFalse();
        assertThat(capabilities.has("completions")).isFalse();
    }

    @Test
    void whenAnAnnouncedMethodIsCalledThenItIsNeverInvalidRequest() {
        String token = token();
        String session = demo.mcp.openSession(token);
        JsonNode capabilities = demo.mcp.send(initialize(token).build()).json().path("result").path("capabilities");
        Map<String, String> listMethods = Map.of("tools", "tools/list", "prompts", "prompts/list",
                "resources", "resources/list", "logging", "logging/setLevel");

        listMethods.forEach((capability, method) -> {
            if (capabilities.has(capability)) {
                String params = method.equals("logging/setLevel") ? "{\"level\":\"info\"}" : "{}";
                JsonNode answer = demo.mcp.rpc(token, Optional.of(session), method, params).json();
                assertThat(answer.path("error").path("code").asInt()).as(method).isNotEqualTo(-32600);
                assertThat(answer.has("result")).as(method + " " + answer).isTrue();
            }
        });
    }

    @Test
    void whenAJsonRpcMessageHasADuplicateKeyThen400() {
        String token = token();
        String session = demo.mcp.openSession(token);

        McpHttp.Reply reply = demo.mcp.send(demo.mcp.post(token, Optional.of(session), """
                {"jsonrpc":"2.0","id":3,"method":"tools/call",\
                "params":{"name":"delete_product","name":"whoami","arguments":{}}}""").build());

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().path("error").path("message").asText()).contains("duplicate key").contains("name");
    }
}

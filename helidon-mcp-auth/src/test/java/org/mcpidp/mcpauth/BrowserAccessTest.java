package org.mcpidp.mcpauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Optional;
import okhttp3.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mcpidp.testkit.McpHttp;
import org.mcpidp.verifier.VerifierStats;

/**
 * Browsers and host names (MCP Streamable HTTP: Origin validation against DNS rebinding; CORS answered before
 * authentication), and what {@code initialize} announces. The Origin and Host checks run before any token is read, so
 * a local issuer's tokens are all this needs.
 */
class BrowserAccessTest {

    private static final String ALLOWED = "http://localhost:6274";
    private static final String EVIL = "http://evil.example";

    private static SdkTestServer server;
    private static McpHttp mcp;

    @BeforeAll
    static void start() {
        server = SdkTestServer.builder().set("mcp.allowed-origins.0", ALLOWED).start();
        mcp = server.mcp;
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static long lookups() {
        VerifierStats stats = server.verifier().stats();
        return stats.cacheHits() + stats.cacheMisses() + stats.loads();
    }

    private static String token() {
        return server.token("reader", "mcp:read");
    }

    private static Request.Builder initialize(String token) {
        return mcp.post(token, Optional.empty(), """
                {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",\
                "capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""");
    }

    @Test
    void whenOriginIsNotAllowedThen403BeforeTheTokenIsLookedAt() {
        String token = token();
        long lookups = lookups();

        McpHttp.Reply reply = mcp.send(initialize(token).header("Origin", EVIL).build());

        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.json().path("error").asText()).isEqualTo("origin_not_allowed");
        assertThat(reply.header("WWW-Authenticate")).isNull();
        assertThat(reply.header("Access-Control-Allow-Origin")).isNull();
        assertThat(lookups()).as("no token check").isEqualTo(lookups);
    }

    @Test
    void whenOriginIsNotAllowedThenTheMetadataIsRefusedToo() {
        McpHttp.Reply reply = mcp.send(new Request.Builder().url(server.metadataUrl()).header("Origin", EVIL).build());

        assertThat(reply.status()).isEqualTo(403);
    }

    @Test
    void whenOriginIsTheNullOriginThen403() {
        McpHttp.Reply reply = mcp.send(initialize(token()).header("Origin", "null").build());

        assertThat(reply.status()).isEqualTo(403);
    }

    @Test
    void whenHostIsNotThisServerThen403EvenWithoutOrigin() {
        String token = token();
        long lookups = lookups();

        McpHttp.Reply reply = mcp.send(initialize(token).header("Host", "evil.example:" + server.port).build());

        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.json().path("error").asText()).isEqualTo("host_not_allowed");
        assertThat(lookups()).as("no token check").isEqualTo(lookups);
    }

    @Test
    void whenHostIsALoopbackNameAndOriginIsTheServersOwnThenAccepted() {
        for (String host : new String[] {"localhost", "127.0.0.1", "[::1]"}) {
            String authority = host + ":" + server.port;
            McpHttp.Reply reply = mcp.send(initialize(token())
                    .header("Host", authority).header("Origin", "http://" + authority).build());

            assertThat(reply.status()).as(authority).isEqualTo(200);
            assertThat(reply.header("Access-Control-Allow-Origin")).as("same origin needs no CORS").isNull();
        }
    }

    @Test
    void whenNoOriginThenNothingChangesForDesktopClients() {
        McpHttp.Reply reply = mcp.send(initialize(token()).build());

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Access-Control-Allow-Origin")).isNull();
    }

    @Test
    void whenAllowedOriginSendsAPreflightThen204WithoutAToken() {
        McpHttp.Reply reply = mcp.send(new Request.Builder().url(server.url).method("OPTIONS", null)
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
        McpHttp.Reply reply = mcp.send(initialize(null).header("Origin", ALLOWED).build());

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.header("WWW-Authenticate")).startsWith("Bearer ");
        assertThat(reply.header("Access-Control-Allow-Origin")).isEqualTo(ALLOWED);
        assertThat(reply.header("Access-Control-Expose-Headers")).isEqualTo("WWW-Authenticate, Mcp-Session-Id");
    }

    @Test
    void whenAllowedOriginGetsA403ThenItCarriesCorsHeaders() {
        String token = token();
        String session = mcp.openSession(token);

        McpHttp.Reply reply = mcp.send(mcp.post(token, Optional.of(session), """
                {"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"erase","arguments":{"item":"a"}}}""")
                .header("Origin", ALLOWED).build());

        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.header("WWW-Authenticate")).contains("insufficient_scope");
        assertThat(reply.header("Access-Control-Allow-Origin")).isEqualTo(ALLOWED);
        assertThat(server.runs("erase")).isZero();
    }

    @Test
    void whenAllowedOriginCallsThenTheAnswerExposesTheSessionId() {
        McpHttp.Reply reply = mcp.send(initialize(token()).header("Origin", ALLOWED).build());

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Mcp-Session-Id")).isNotBlank();
        assertThat(reply.header("Access-Control-Allow-Origin")).isEqualTo(ALLOWED);
        assertThat(reply.header("Access-Control-Expose-Headers")).contains("Mcp-Session-Id");
    }

    @Test
    void whenInitializedThenOnlyWhatTheServerHasIsAnnounced() {
        JsonNode capabilities = mcp.send(initialize(token()).build()).json().path("result").path("capabilities");

        assertThat(capabilities.has("tools")).isTrue();
        assertThat(capabilities.has("logging")).isTrue();
        assertThat(capabilities.has("prompts")).as("no prompts: prompts/list would answer -32600").isFalse();
        assertThat(capabilities.has("resources")).as("no resources: resources/list would answer -32600").isFalse();
        assertThat(capabilities.has("completions")).isFalse();
    }

    @Test
    void whenAnAnnouncedMethodIsCalledThenItIsNeverInvalidRequest() {
        String token = token();
        String session = mcp.openSession(token);
        JsonNode capabilities = mcp.send(initialize(token).build()).json().path("result").path("capabilities");
        Map<String, String> listMethods = Map.of("tools", "tools/list", "prompts", "prompts/list",
                "resources", "resources/list", "logging", "logging/setLevel");

        listMethods.forEach((capability, method) -> {
            if (capabilities.has(capability)) {
                String params = method.equals("logging/setLevel") ? "{\"level\":\"info\"}" : "{}";
                JsonNode answer = mcp.rpc(token, Optional.of(session), method, params).json();
                assertThat(answer.path("error").path("code").asInt()).as(method).isNotEqualTo(-32600);
                assertThat(answer.has("result")).as(method + " " + answer).isTrue();
            }
        });
    }

    @Test
    void whenAJsonRpcMessageHasADuplicateKeyThen400() {
        String token = token();
        String session = mcp.openSession(token);

        McpHttp.Reply reply = mcp.send(mcp.post(token, Optional.of(session), """
                {"jsonrpc":"2.0","id":3,"method":"tools/call",\
                "params":{"name":"erase","name":"echo","arguments":{}}}""").build());

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().path("error").path("message").asText()).contains("duplicate key").contains("name");
        assertThat(server.runs("echo") + server.runs("erase")).isZero();
    }
}

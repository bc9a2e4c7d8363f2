package org.mcpidp.mcpauth;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.modern.McpSchema;
import io.modelcontextprotocol.modern.server.McpRequestContext;
import io.modelcontextprotocol.modern.server.McpSyncResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The legacy era (2025-11-25 and older) on the SDK engine: {@code initialize} opens a session of the SDK's legacy
 * server that belongs to the caller; another principal naming it gets 404 (and does not keep it alive); a DELETE
 * ends it in the kit's registry and in the SDK; tools run through the modern engine and are listed per caller.
 */
class LegacySessionTest {

    private SdkTestServer server;

    @BeforeEach
    void start() {
        server = SdkTestServer.start(engine -> engine, feature -> feature);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String initialize(String token) {
        SdkTestServer.Reply reply = server.post(token, Map.of("jsonrpc", "2.0", "id", 1, "method", "initialize",
                "params", Map.of("protocolVersion", "2025-11-25", "capabilities", Map.of(),
                        "clientInfo", Map.of("name", "legacy-test", "version", "1"))), Map.of());
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.json().path("result").path("protocolVersion").asText()).isEqualTo("2025-11-25");
        return reply.header("Mcp-Session-Id");
    }

    private SdkTestServer.Reply inSession(String token, String session, String method, Map<String, Object> params) {
        Map<String, String> headers = new HashMap<>();
        headers.put("Mcp-Session-Id", session);
        headers.put("MCP-Protocol-Version", "2025-11-25");
        return server.post(token, Map.of("jsonrpc", "2.0", "id", 2, "method", method, "params", params), headers);
    }

    @Test
    void whenAnotherPrincipalNamesTheSessionThen404AndTheOwnerKeepsUsingIt() {
        String alice = server.token("alice", "mcp:read");
        String session = initialize(alice);

        SdkTestServer.Reply hijack = inSession(server.token("mallory", "mcp:admin"), session, "tools/list", Map.of());
        SdkTestServer.Reply owner = inSession(alice, session, "tools/list", Map.of());

        assertThat(hijack.status()).isEqualTo(404);
        assertThat(owner.status()).isEqualTo(200);
        assertThat(SdkTestServer.names(owner.json().path("result").path("tools"))).containsExactly("echo");
    }

    @Test
    void whenTheOwnerCallsAToolInTheSessionThenItRunsOnTheModernEngineAndAnswersAsALegacyResult() {
        String alice = server.token("alice", "mcp:read");
        String session = initialize(alice);

        SdkTestServer.Reply reply = inSession(alice, session, "tools/call", Map.of("name", "echo",
                "arguments", Map.of("x", 1)));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("result").path("content").path(0).path("text").asText()).isEqualTo("echo {x=1}");
        assertThat(reply.json().path("result").has("resultType")).as("a legacy result has no resultType").isFalse();
    }

    @Test
    void whenALegacyCallHasArgumentsTheSchemaRefusesThenTheToolNeverRunsAndTheAnswerIsAToolError() {
        AtomicInteger runs = new AtomicInteger();
        server.close();
        server = SdkTestServer.start(engine -> engine.addTool(new CountingTool(runs)), feature -> feature);
        String alice = server.token("alice", "mcp:read");
        String session = initialize(alice);

        SdkTestServer.Reply wrong = inSession(alice, session, "tools/call", Map.of("name", "count",
                "arguments", Map.of("n", "not a number")));
        SdkTestServer.Reply missing = inSession(alice, session, "tools/call", Map.of("name", "count",
                "arguments", Map.of()));
        SdkTestServer.Reply right = inSession(alice, session, "tools/call", Map.of("name", "count",
                "arguments", Map.of("n", 3)));

        // validated once, by the modern engine every legacy call runs through (the legacy server's own check is off)
        assertThat(wrong.json().path("result").path("isError").asBoolean()).as(wrong.body()).isTrue();
        assertThat(missing.json().path("result").path("isError").asBoolean()).as(missing.body()).isTrue();
        assertThat(right.json().path("result").path("isError").asBoolean()).as(right.body()).isFalse();
        assertThat(runs).hasValue(1);
    }

    /** {@code count}: needs an integer {@code n}; counts its runs. */
    private record CountingTool(AtomicInteger runs) implements SdkTool {
        @Override
        public McpSchema.Tool definition() {
            return McpSchema.Tool.builder("count", Map.of("type", "object", "properties",
                    Map.of("n", Map.of("type", "integer")), "required", List.of("n"))).build();
        }

        @Override
        public ToolRequirement requirement() {
            return ToolRequirement.anyAuthenticated();
        }

        @Override
        public McpSyncResponse<McpSchema.CallToolOutcome> call(McpRequestContext context,
                                                               McpSchema.CallToolRequest request) {
            runs.incrementAndGet();
            return McpSyncResponse.result(McpSchema.CallToolResult.builder()
                    .addContent(McpSchema.TextContent.builder("n=" + request.arguments().get("n")).build()).build());
        }
    }

    @Test
    void whenTheSessionIsDeletedThenItIsGoneInTheEngineToo() {
        String alice = server.token("alice", "mcp:read");
        String session = initialize(alice);

        java.net.http.HttpResponse<String> deleted = delete(alice, session);
        SdkTestServer.Reply after = inSession(alice, session, "tools/list", Map.of());

        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(after.status()).isEqualTo(404);
    }

    @Test
    void whenARequestOtherThanInitializeComesWithoutASessionThen400() {
        SdkTestServer.Reply reply = server.post(server.token("alice", "mcp:read"), Map.of("jsonrpc", "2.0", "id", 3,
                "method", "tools/list"), Map.of());

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().path("error").path("message").asText()).contains("Mcp-Session-Id");
    }

    private java.net.http.HttpResponse<String> delete(String token, String session) {
        try {
            return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                                    java.net.URI.create(server.url))
                            .header("Authorization", "Bearer " + token).header("Mcp-Session-Id", session).DELETE()
                            .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}

package org.mcpidp.mcpauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The 2026-07-28 request path of the SDK engine, attacked: headers that disagree with the body, versions the server
 * does not speak, lists per caller, scope hierarchies, and the multi round-trip {@code requestState} replayed,
 * tampered with, expired, moved to another caller or other arguments. Whatever it answers, nothing forbidden runs.
 */
class ModernRequestTest {

    private SdkTestServer server;
    private final SdkTestServer.TestClock clock = new SdkTestServer.TestClock();

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private SdkTestServer start() {
        server = SdkTestServer.start(engine -> engine.clock(clock)
                .requestStateKeys(RequestStateKeys.of(KEY_A, List.of())), feature -> feature);
        return server;
    }

    private static final String KEY_A = "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE=";
    private static final String KEY_B = "QkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkI=";

    @Test
    void whenMcpNameDisagreesWithTheBodyThen400HeaderMismatchAndTheToolDoesNotRun() {
        start();
        String admin = server.token("root", "mcp:admin");

        SdkTestServer.Reply reply = server.modern(admin, "tools/call", Map.of("name", "erase",
                "arguments", Map.of("item", "a")), Map.of("Mcp-Name", "echo"), Map.of());

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().path("error").path("code").asInt()).isEqualTo(-32020);
        assertThat(reply.json().path("id").asInt()).isEqualTo(1);
        assertThat(server.erasures()).isZero();
    }

    @Test
    void whenAHeaderIsMissingOrNamesAnotherMethodVersionOrNameThen400HeaderMismatch() {
        start();
        String reader = server.token("alice", "mcp:read");
        Map<String, Object> echo = Map.of("name", "echo", "arguments", Map.of());
        Map<String, String> noMethod = new HashMap<>();
        noMethod.put("Mcp-Method", null);
        Map<String, String> noName = new HashMap<>();
        noName.put("Mcp-Name", null);
        Map<String, String> noVersion = new HashMap<>();
        noVersion.put("MCP-Protocol-Version", null);

        for (Map<String, String> headers : List.of(noMethod, noName, noVersion, Map.of("Mcp-Method", "tools/list"),
                Map.of("Mcp-Method", "TOOLS/CALL"), Map.of("MCP-Protocol-Version", "2025-11-25"),
                Map.of("Mcp-Name", "=?base64?ZWNobw?="))) {
            SdkTestServer.Reply reply = server.modern(reader, "tools/call", echo, headers, Map.of());

            assertThat(reply.status()).as(headers.toString()).isEqualTo(400);
            assertThat(reply.json().path("error").path("code").asInt()).as(headers.toString()).isEqualTo(-32020);
        }
        assertThat(server.modern(reader, "tools/call", echo, Map.of("Mcp-Name", "=?base64?ZWNobw==?="), Map.of())
                .status()).as("a base64 Mcp-Name that decodes to the body's name").isEqualTo(200);
    }

    @Test
    void whenTheVersionIsNotOneTheServerSpeaksThen400ListingTheSupportedOnes() {
        start();
        String reader = server.token("alice", "mcp:read");

        SdkTestServer.Reply reply = server.post(reader, Map.of("jsonrpc", "2.0", "id", 9, "method", "server/discover",
                "params", Map.of("_meta", Map.of("io.modelcontextprotocol/protocolVersion", "2099-01-01",
                        "io.modelcontextprotocol/clientCapabilities", Map.of()))),
                Map.of("MCP-Protocol-Version", "2099-01-01", "Mcp-Method", "server/discover"));

        assertThat(reply.status()).isEqualTo(400);
        JsonNode error = reply.json().path("error");
        assertThat(error.path("code").asInt()).isEqualTo(-32022);
        assertThat(error.path("data").path("requested").asText()).isEqualTo("2099-01-01");
        assertThat(error.path("data").path("supported").toString()).contains("2026-07-28").contains("2025-11-25");
    }

    @Test
    void whenDiscoverIsAskedThenBothErasAreOfferedAndListsArePrivateAndFilteredPerCaller() {
        start();
        String reader = server.token("alice", "mcp:read");
        String admin = server.token("root", "mcp:admin");

        JsonNode discover = server.modern(reader, "server/discover", Map.of()).json().path("result");
        JsonNode readerTools = server.modern(reader, "tools/list", Map.of()).json().path("result");
        JsonNode adminTools = server.modern(admin, "tools/list", Map.of()).json().path("result");

        assertThat(discover.path("supportedVersions").toString()).contains("2026-07-28").contains("2025-11-25");
        assertThat(SdkTestServer.names(readerTools.path("tools"))).containsExactly("echo");
        assertThat(readerTools.path("cacheScope").asText()).isEqualTo("private");
        assertThat(readerTools.path("ttlMs").isIntegralNumber()).isTrue();
        assertThat(SdkTestServer.names(adminTools.path("tools"))).containsExactly("echo", "erase");
    }

    @Test
    void whenACallNeedsABroaderScopeThen403NamesExactlyThatScopeAndNothingRuns() {
        start();
        String writer = server.token("carol", "mcp:write");

        SdkTestServer.Reply reply = server.erase(writer, "a", Map.of(), false);

        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.header("WWW-Authenticate")).startsWith("Bearer error=\"insufficient_scope\"")
                .contains("scope=\"mcp:admin\"").contains("resource_metadata=\"");
        assertThat(server.erasures()).isZero();
    }

    @Test
    void whenAScopeImpliesANarrowerOneThenItIsSufficientWhereTheNarrowerIsRequired() {
        server = SdkTestServer.start(engine -> engine.addTool(new NeedsRead()), feature -> feature);
        String admin = server.token("root", "mcp:admin");

        SdkTestServer.Reply reply = server.modern(admin, "tools/call", Map.of("name", "read_only",
                "arguments", Map.of()));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("result").path("content").path(0).path("text").asText()).isEqualTo("read");
    }

    @Test
    void whenTheClientConfirmsWithTheStateItWasGivenThenTheToolRuns() {
        start();
        String admin = server.token("root", "mcp:admin");
        String state = askedState(admin, "a");

        SdkTestServer.Reply done = server.erase(admin, "a", confirmed(state), true);

        assertThat(done.status()).isEqualTo(200);
        assertThat(done.json().path("result").path("content").path(0).path("text").asText()).isEqualTo("erased a");
        assertThat(server.erasures()).isEqualTo(1);
    }

    @Test
    void whenAnotherCallerPresentsTheStateThenItIsRefusedAndNothingRuns() {
        start();
        String state = askedState(server.token("root", "mcp:admin"), "a");

        SdkTestServer.Reply stolen = server.erase(server.token("mallory", "mcp:admin"), "a", confirmed(state), true);

        assertThat(stolen.status()).isEqualTo(400);
        assertThat(stolen.json().path("error").path("code").asInt()).isEqualTo(-32602);
        assertThat(server.erasures()).isZero();
    }

    @Test
    void whenTheStateIsPresentedWithOtherArgumentsThenItIsRefusedAndNothingRuns() {
        start();
        String admin = server.token("root", "mcp:admin");
        String state = askedState(admin, "a");

        SdkTestServer.Reply moved = server.erase(admin, "everything", confirmed(state), true);

        assertThat(moved.status()).isEqualTo(400);
        assertThat(server.erasures()).isZero();
    }

    /**
     * One bit of the sealed bytes flipped, at every base64url character of the state in turn: each is refused.
     * The flip is of a character's top bit, which every character carries into the bytes. This test first changed the
     * last character to 'A' or 'B': that character carries only its top four bits (a 32-byte MAC is 43 characters),
     * so a state ending in 'A' became one ending in 'B' that decodes to the same bytes, opened, and ran (1 run in 16).
     */
    @Test
    void whenTheStateIsTamperedWithThenItIsRefusedAndNothingRuns() {
        start();
        String admin = server.token("root", "mcp:admin");
        String state = askedState(admin, "a");
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int tampered = 0;
        for (int i = 0; i < state.length(); i++) {
            int value = alphabet.indexOf(state.charAt(i));
            if (value < 0) {
                continue; // a separator, not encoded bytes
            }
            String flipped = state.substring(0, i) + alphabet.charAt(value ^ 0b100000) + state.substring(i + 1);

            SdkTestServer.Reply reply = server.erase(admin, "a", confirmed(flipped), true);

            assertThat(reply.status()).as("top bit of character %d flipped: %s", i, reply.body()).isEqualTo(400);
            tampered++;
        }
        assertThat(tampered).as("characters tampered with").isGreaterThan(state.length() * 9 / 10);
        assertThat(server.erasures()).isZero();
    }

    @Test
    void whenTheStateHasExpiredThenItIsRefusedAndNothingRuns() {
        start();
        String admin = server.token("root", "mcp:admin");
        String state = askedState(admin, "a");
        clock.advance(Duration.ofMinutes(6)); // the default lifetime is five minutes

        SdkTestServer.Reply reply = server.erase(admin, "a", confirmed(state), true);

        assertThat(reply.status()).isEqualTo(400);
        assertThat(server.erasures()).isZero();
    }

    @Test
    void whenTheKeyIsRotatedThenAStateSealedWithThePreviousKeyIsStillAcceptedAndWithoutItRefused() {
        int port = org.mcpidp.testkit.FreePort.find();
        try (org.mcpidp.testkit.LocalIssuer issuer = org.mcpidp.testkit.LocalIssuer.start()) {
            server = SdkTestServer.start(issuer, port, engine -> engine.requestStateKeys(
                    RequestStateKeys.of(KEY_A, List.of())), feature -> feature);
            String admin = server.token("root", "mcp:admin");
            String sealedWithA = askedState(admin, "a");
            server.close();

            // a deploy rotates the key: B seals now, A is still accepted
            server = SdkTestServer.start(issuer, port, engine -> engine.requestStateKeys(
                    RequestStateKeys.of(KEY_B, List.of(KEY_A))), feature -> feature);
            SdkTestServer.Reply accepted = server.erase(admin, "a", confirmed(sealedWithA), true);
            server.close();

            // the rotation is over: A is gone
            server = SdkTestServer.start(issuer, port, engine -> engine.requestStateKeys(
                    RequestStateKeys.of(KEY_B, List.of())), feature -> feature);
            SdkTestServer.Reply refused = server.erase(admin, "a", confirmed(sealedWithA), true);

            assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
            assertThat(refused.status()).isEqualTo(400);
            assertThat(server.erasures()).isZero();
        }
    }

    /** Round one of {@code erase}: the input request and its sealed state. */
    private String askedState(String token, String item) {
        SdkTestServer.Reply asked = server.erase(token, item, Map.of(), true);
        assertThat(asked.status()).as(asked.body()).isEqualTo(200);
        JsonNode result = asked.json().path("result");
        assertThat(result.path("resultType").asText()).isEqualTo("input_required");
        assertThat(server.erasures()).isZero();
        return result.path("requestState").asText();
    }

    private static Map<String, Object> confirmed(String state) {
        return Map.of("requestState", state, "inputResponses", Map.of("confirm",
                Map.of("action", "accept", "content", Map.of("ok", true))));
    }

    /** A tool that needs mcp:read only. */
    private static final class NeedsRead implements SdkTool {
        @Override
        public io.modelcontextprotocol.modern.McpSchema.Tool definition() {
            return io.modelcontextprotocol.modern.McpSchema.Tool.builder("read_only",
                    Map.of("type", "object", "properties", Map.of())).description("needs mcp:read").build();
        }

        @Override
        public ToolRequirement requirement() {
            return ToolRequirement.scopes("mcp:read");
        }

        @Override
        public io.modelcontextprotocol.modern.server.McpSyncResponse<io.modelcontextprotocol.modern.McpSchema
                .CallToolOutcome> call(io.modelcontextprotocol.modern.server.McpRequestContext context,
                                       io.modelcontextprotocol.modern.McpSchema.CallToolRequest request) {
            return io.modelcontextprotocol.modern.server.McpSyncResponse.result(
                    io.modelcontextprotocol.modern.McpSchema.CallToolResult.builder().addContent(
                            io.modelcontextprotocol.modern.McpSchema.TextContent.builder("read").build()).build());
        }
    }
}

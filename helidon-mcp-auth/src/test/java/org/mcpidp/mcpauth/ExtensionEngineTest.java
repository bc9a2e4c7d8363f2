package org.mcpidp.mcpauth;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.extensions.mcp.server.McpException;
import io.helidon.extensions.mcp.server.McpServerConfig;
import io.helidon.extensions.mcp.server.McpToolRequest;
import io.helidon.extensions.mcp.server.McpToolResult;
import io.helidon.webserver.WebServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mcpidp.testkit.FreePort;
import org.mcpidp.testkit.LocalIssuer;
import org.mcpidp.testkit.McpHttp;
import org.mcpidp.verifier.AccessPolicy;
import org.mcpidp.verifier.TokenVerifier;
import org.mcpidp.verifier.TrustedIssuer;

/**
 * The Helidon MCP extension (1.2.0, protocol 2025-06-18) behind the kit, for Helidon MCP users: the gate reads the
 * body once and the extension executes that parse written out again (the review's reader-deletes-products body is
 * refused, and a body with escapes runs as the gate read it); lists are filtered per caller, {@code initialize}
 * announces only what the extension serves, and a tool's claims challenge becomes a 401. No Keycloak: a
 * {@link LocalIssuer} signs the tokens.
 */
class ExtensionEngineTest {

    private LocalIssuer issuer;
    private WebServer server;
    private McpHttp mcp;
    private String url;
    private final List<String> erased = new CopyOnWriteArrayList<>();
    private final AtomicReference<String> demandedClaims = new AtomicReference<>();

    private record Tool(String name, ToolRequirement requirement, java.util.function.Function<McpToolRequest,
            McpToolResult> body) implements GuardedTool {
        @Override
        public String description() {
            return "test tool " + name;
        }

        @Override
        public String schema() {
            return "{\"type\":\"object\",\"properties\":{}}";
        }

        @Override
        public McpToolResult tool(McpToolRequest request) {
            return body.apply(request);
        }
    }

    @BeforeEach
    void start() {
        issuer = LocalIssuer.start();
        int port = FreePort.find();
        url = "http://127.0.0.1:" + port + "/mcp";
        TokenVerifier verifier = TokenVerifier.builder().issuer(TrustedIssuer.jwt(issuer.issuer()).build())
                .policy(AccessPolicy.builder().audiences(url).build()).build();
        BearerAuthFeature auth = BearerAuthFeature.builder().verifier(verifier).resource(URI.create(url))
                .addTool(new Tool("whoami", ToolRequirement.anyAuthenticated(), request ->
                        McpToolResult.builder().addTextContent(GuardedTool.caller(request).subject()).build()))
                .addTool(new Tool("delete_item", ToolRequirement.scopes("mcp:admin"), request -> {
                    String id = request.arguments().get("id").asString().orElse("?");
                    erased.add(id);
                    return McpToolResult.builder().addTextContent("deleted " + id).build();
                }))
                .addTool(new Tool("list_remote", ToolRequirement.anyAuthenticated(), request -> {
                    ClaimsChallenge.demand(request, demandedClaims.get());
                    throw new McpException("downstream token: CLAIMS_CHALLENGE");
                }))
                .mcpServer(McpServerConfig.builder().name("extension-test"))
                .build();
        server = WebServer.builder().host("127.0.0.1").port(port).addFeature(auth)
                .routing(routing -> routing.addFeature(auth.mcpServerFeature())).build().start();
        mcp = new McpHttp(url);
    }

    @AfterEach
    void stop() {
        server.stop();
        issuer.close();
    }

    private String token(String subject, String scope) {
        Map<String, Object> claims = issuer.claims(url, scope);
        claims.put("sub", subject);
        return issuer.sign(claims);
    }

    @Test
    void whenAReaderSendsTheReviewsBodyThen400AndTheExtensionRunsNothing() {
        String reader = token("alice", "mcp:read");
        String session = mcp.openSession(reader);
        String body = "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":{\"name\":\"delete_item\","
                + "\"arguments\":{\"id\":\"p-1\"}},\"x\":01}";

        McpHttp.Reply reply = mcp.send(mcp.post(reader, Optional.of(session), body).build());
        McpHttp.Reply wellFormed = mcp.callTool(reader, session, "delete_item", "{\"id\":\"p-1\"}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().path("error").path("code").asInt()).isEqualTo(-32700);
        assertThat(wellFormed.status()).isEqualTo(403);
        assertThat(erased).isEmpty();
    }

    @Test
    void whenTheBodySpellsANameWithEscapesThenTheExtensionRunsWhatTheGateAuthorized() {
        String admin = token("root", "mcp:admin");
        String session = mcp.openSession(admin);
        byte[] body = ("{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"tools/call\",\"params\":{\"name\":"
                + "\"delete\\u005fitem\",\"arguments\":{\"id\":\"p-\\u0032\"}}}").getBytes(StandardCharsets.UTF_8);

        McpHttp.Reply reply = mcp.send(mcp.post(admin, Optional.of(session), "{}")
                .post(RequestBody.create(body, MediaType.get("application/json"))).build());

        assertThat(reply.status()).isEqualTo(200);
        assertThat(erased).containsExactly("p-2");
    }

    @Test
    void whenAReaderListsToolsThenTheOnesSheMayNotCallAreLeftOut() {
        String reader = token("alice", "mcp:read");
        String session = mcp.openSession(reader);

        assertThat(mcp.toolNames(reader, session)).containsExactly("whoami", "list_remote");
        assertThat(mcp.toolNames(token("root", "mcp:admin"), mcp.openSession(token("root", "mcp:admin"))))
                .containsExactly("whoami", "delete_item", "list_remote");
    }

    @Test
    void whenAClientInitializesThenOnlyTheCapabilitiesTheExtensionServesAreAnnounced() {
        McpHttp.Reply reply = mcp.rpc(token("alice", "mcp:read"), Optional.empty(), "initialize", """
                {"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}""");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("result").path("capabilities").has("tools")).isTrue();
        assertThat(reply.json().path("result").path("capabilities").has("prompts")).isFalse();
        assertThat(reply.json().path("result").path("capabilities").has("resources")).isFalse();
    }

    @Test
    void whenAToolsDownstreamTokenNeedsMoreClaimsThen401WithTheClaimsChallenge() {
        String reader = token("alice", "mcp:read");
        String session = mcp.openSession(reader);
        demandedClaims.set("{\"access_token\":{\"acrs\":{\"essential\":true,\"value\":\"c1\"}}}");

        McpHttp.Reply reply = mcp.callTool(reader, session, "list_remote", "{}");

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.header("WWW-Authenticate")).startsWith("Bearer error=\"insufficient_claims\"")
                .contains("claims=\"");
        assertThat(mcp.callTool(reader, session, "whoami", "{}").status()).isEqualTo(200);
    }

    @Test
    void whenTheClaimsCouldBreakTheHeaderThenNo401ButTheToolsErrorAndTheServerStaysUp() {
        String reader = token("alice", "mcp:read");
        String session = mcp.openSession(reader);
        demandedClaims.set("abc\", error=\"x");

        McpHttp.Reply reply = mcp.callTool(reader, session, "list_remote", "{}");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("WWW-Authenticate")).isNull();
        assertThat(reply.body()).contains("downstream token: CLAIMS_CHALLENGE");
        assertThat(mcp.callTool(reader, session, "whoami", "{}").status()).isEqualTo(200);
    }
}

package org.mcpidp.mcpauth;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.extensions.mcp.server.McpServerConfig;
import io.helidon.extensions.mcp.server.McpServerFeature;
import io.helidon.extensions.mcp.server.McpTool;
import io.helidon.extensions.mcp.server.McpToolRequest;
import io.helidon.extensions.mcp.server.McpToolResult;
import io.helidon.webserver.WebServer;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.mcpidp.testkit.FreePort;
import org.mcpidp.testkit.LocalIssuer;
import org.mcpidp.testkit.McpHttp;
import org.mcpidp.verifier.AccessPolicy;
import org.mcpidp.verifier.TokenVerifier;
import org.mcpidp.verifier.TrustedIssuer;

/**
 * Two concurrent requests in one session with the same JSON-RPC id. Helidon MCP 1.2.0 keys a request's answer channel
 * by id within the session ({@code McpSession.transports}): the second request reuses the first one's channel. On the
 * bare extension the answers cross; behind our filter the second is refused (409, JSON-RPC -32600) while the first is
 * in flight, and the first gets its own answer.
 */
class ConcurrentRequestIdTest {

    private static final String INIT = """
            {"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"id-test","version":"1"}}""";

    /** Answers {@code tag=<tag>}; the call tagged {@code A} reports progress (an SSE answer) and waits for a latch. */
    static final class SlowEchoTool implements GuardedTool {
        @Override
        public ToolRequirement requirement() {
            return ToolRequirement.anyAuthenticated();
        }

        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public String name() {
            return "slow_echo";
        }

        @Override
        public String description() {
            return "Echoes its tag; tag A waits until the test releases it.";
        }

        @Override
        public String schema() {
            return """
                    {"type":"object","properties":{"tag":{"type":"string"}}}""";
        }

        @Override
        public McpToolResult tool(McpToolRequest request) {
            String tag = request.arguments().get("tag").asString().orElse("?");
            if (tag.equals("A")) {
                request.features().progress().total(2);
                request.features().progress().send(1);
                entered.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return McpToolResult.builder().addTextContent("tag=" + tag).build();
        }
    }

    private static String call(String tag) {
        return """
                {"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"slow_echo","arguments":{"tag":"%s"},\
                "_meta":{"progressToken":"p-%s"}}}""".formatted(tag, tag);
    }

    private record Crossing(McpHttp.Reply first, McpHttp.Reply second) {
    }

    /** Sends A (which blocks in the tool), then B with the same id while A is in flight, then lets A finish. */
    private static Crossing sendTwoWithTheSameId(McpHttp mcp, SlowEchoTool tool, String token, String session)
            throws Exception {
        CompletableFuture<McpHttp.Reply> first = CompletableFuture.supplyAsync(
                () -> mcp.send(mcp.post(token, Optional.of(session), call("A")).build()));
        assertThat(tool.entered.await(10, TimeUnit.SECONDS)).isTrue();
        McpHttp.Reply second = mcp.send(mcp.post(token, Optional.of(session), call("B")).build());
        tool.release.countDown();
        return new Crossing(first.get(10, TimeUnit.SECONDS), second);
    }

    @Test
    void whenTwoRequestsShareAnIdOnTheBareExtensionThenTheFirstReceivesTheSecondsAnswer() throws Exception {
        SlowEchoTool tool = new SlowEchoTool();
        WebServer server = WebServer.builder().host("127.0.0.1").port(0)
                .routing(routing -> routing.addFeature(McpServerConfig.builder().path("/mcp").addTool(tool).build()))
                .build().start();
        try {
            McpHttp mcp = new McpHttp("http://127.0.0.1:" + server.port() + "/mcp");
            String session = mcp.rpc(null, Optional.empty(), "initialize", INIT).header("Mcp-Session-Id");

            Crossing crossing = sendTwoWithTheSameId(mcp, tool, null, session);

            System.out.println("BARE-EXTENSION first(A): " + crossing.first().status() + " " + crossing.first().body()
                    .replace('\n', ' '));
            System.out.println("BARE-EXTENSION second(B): " + crossing.second().status() + " " + crossing.second().body()
                    .replace('\n', ' '));
            // A's stream carries B's result; A's own result has nowhere to go
            assertThat(crossing.first().body()).contains("tag=B").doesNotContain("tag=A");
            assertThat(crossing.second().body()).doesNotContain("tag=");
        } finally {
            server.stop();
        }
    }

    @Test
    void whenTwoRequestsShareAnIdInOneSessionThenTheSecondIsRefusedAndTheFirstGetsItsOwnAnswer() throws Exception {
        SlowEchoTool tool = new SlowEchoTool();
        try (LocalIssuer idp = LocalIssuer.start()) {
            int port = FreePort.find();
            String resource = "http://127.0.0.1:" + port + "/mcp";
            TokenVerifier verifier = TokenVerifier.builder()
                    .policy(AccessPolicy.builder().audiences(resource).build())
                    .issuer(TrustedIssuer.jwt(idp.issuer()).build())
                    .build();
            BearerAuthFeature auth = BearerAuthFeature.builder()
                    .verifier(verifier)
                    .resource(URI.create(resource))
                    .sessionLimits(SessionLimits.defaults())
                    .addTool(tool)
                    .mcpServer(McpServerConfig.builder().path("/mcp"))
                    .build();
            WebServer server = WebServer.builder().host("127.0.0.1").port(port)
                    .addFeature(auth)
                    .routing(routing -> routing.addFeature(auth.mcpServerFeature()))
                    .build().start();
            try {
                McpHttp mcp = new McpHttp(resource);
                String token = idp.sign(idp.claims(resource, "mcp:read"));
                String session = mcp.openSession(token);

                Crossing crossing = sendTwoWithTheSameId(mcp, tool, token, session);

                assertThat(crossing.second().status()).isEqualTo(409);
                assertThat(crossing.second().json().path("error").path("code").asInt()).isEqualTo(-32600);
                assertThat(crossing.second().json().path("id").asInt()).isEqualTo(7);
                assertThat(crossing.second().json().path("error").path("message").asText())
                        .contains("already in progress");
                assertThat(crossing.first().status()).isEqualTo(200);
                assertThat(crossing.first().body()).contains("tag=A").doesNotContain("tag=B");
                // once the first is answered, the id may be used again
                McpHttp.Reply again = mcp.send(mcp.post(token, Optional.of(session), call("C")).build());
                assertThat(again.status()).isEqualTo(200);
                assertThat(again.body()).contains("tag=C");
            } finally {
                server.stop();
            }
        }
    }
}

package org.mcpidp.mcpserver.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mcpidp.downstream.ExchangeFailure;
import org.mcpidp.testkit.McpHttp;
import org.mcpidp.mcpserver.StubServer;
import org.mcpidp.mcpserver.StubVerifier;
import org.mcpidp.mcpauth.SdkTool;
import org.mcpidp.mcpauth.ToolRequirement;

/**
 * A tool's failed token exchange as the client sees it, through the kit's SDK endpoint: a
 * JSON-RPC error naming the reason, or for a claims challenge HTTP 401 with {@code insufficient_claims}. The tool is a
 * test-only one that fails with whatever failure the test sets; the verifier is a fixed caller holding
 * {@code mcp:read}.
 */
class DownstreamFailuresTest {

    private static final String CLAIMS = "{\"access_token\":{\"acrs\":{\"essential\":true,\"value\":\"c1\"}}}";

    private final AtomicReference<ExchangeFailure> failure = new AtomicReference<>();
    private StubServer server;

    @BeforeEach
    void start() {
        server = StubServer.start(StubVerifier.fixedCaller("mcp:read"),
                java.util.List.of(new WhoamiTool(), new FailingDownstreamTool(failure)), auth -> auth);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void whenTheExchangeIsUnavailableThenAJsonRpcErrorNamesTheReasonAndTheServerStaysUp() {
        String session = server.openSession();
        McpHttp.Reply response = listRemoteFailing(session,
                ExchangeFailure.of(ExchangeFailure.Reason.UNAVAILABLE, "the identity provider could not be reached"));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).contains("downstream token: UNAVAILABLE").contains("could not be reached");
        McpHttp.Reply whoami = server.call(session, "whoami");
        assertThat(whoami.status()).isEqualTo(200);
        assertThat(whoami.body()).contains("alice");
    }

    @Test
    void whenTheScopeIsNotAllowedThenTheErrorSaysSo() {
        String session = server.openSession();
        McpHttp.Reply response = listRemoteFailing(session,
                ExchangeFailure.of(ExchangeFailure.Reason.SCOPE_NOT_ALLOWED, "orders:read is not yours"));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).contains("downstream token: SCOPE_NOT_ALLOWED");
    }

    @Test
    void whenTheIdpDemandsClaimsThenHttp401WithInsufficientClaims() {
        String session = server.openSession();
        McpHttp.Reply response = listRemoteFailing(session,
                new ExchangeFailure(ExchangeFailure.Reason.CLAIMS_CHALLENGE, "Conditional Access", Optional.of(CLAIMS)));
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.header("WWW-Authenticate")).startsWith("Bearer error=\"insufficient_claims\"")
                .contains("claims=\"" + Base64.getEncoder().encodeToString(CLAIMS.getBytes(StandardCharsets.UTF_8)) + "\"");
        assertThat(response.body()).contains("insufficient_claims");
        assertThat(server.call(session, "whoami").status()).isEqualTo(200);
    }

    @Test
    void whenTheClaimsAreNeitherJsonNorBase64ThenNo401ButTheErrorNamesTheReason() {
        String session = server.openSession();
        McpHttp.Reply response = listRemoteFailing(session,
                new ExchangeFailure(ExchangeFailure.Reason.CLAIMS_CHALLENGE, "Conditional Access",
                        Optional.of("x\", error=\"invalid_token")));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("WWW-Authenticate")).isNull();
        assertThat(response.body()).contains("downstream token: CLAIMS_CHALLENGE");
    }

    /** Calls the test tool in {@code session} after setting the failure its exchange meets. */
    private McpHttp.Reply listRemoteFailing(String session, ExchangeFailure exchangeFailure) {
        failure.set(exchangeFailure);
        return server.call(session, "list_remote");
    }

    /** Test-only: a tool whose token exchange fails with what the test set. */
    private record FailingDownstreamTool(AtomicReference<ExchangeFailure> failure) implements SdkTool {
        @Override
        public ToolRequirement requirement() {
            return ToolRequirement.anyAuthenticated();
        }

        @Override
        public io.modelcontextprotocol.modern.McpSchema.Tool definition() {
            return io.modelcontextprotocol.modern.McpSchema.Tool.builder("list_remote",
                    java.util.Map.of("type", "object", "properties", java.util.Map.of()))
                    .description("Calls a downstream API (test)").build();
        }

        @Override
        public io.modelcontextprotocol.modern.server.McpSyncResponse<io.modelcontextprotocol.modern.McpSchema
                .CallToolOutcome> call(io.modelcontextprotocol.modern.server.McpRequestContext context,
                                       io.modelcontextprotocol.modern.McpSchema.CallToolRequest request) {
            throw DownstreamFailures.toolError(context, failure.get());
        }
    }
}

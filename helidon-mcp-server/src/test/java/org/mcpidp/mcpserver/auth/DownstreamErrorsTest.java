package org.mcpidp.mcpserver.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.extensions.mcp.server.McpServerConfig;
import io.helidon.extensions.mcp.server.McpToolRequest;
import io.helidon.extensions.mcp.server.McpToolResult;
import io.helidon.webserver.WebServer;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mcpidp.downstream.ExchangeFailure;
import org.mcpidp.mcpserver.tools.WhoamiTool;
import org.mcpidp.testkit.FreePort;
import org.mcpidp.verifier.AccessPolicy;
import org.mcpidp.verifier.AuthInfo;
import org.mcpidp.verifier.TokenVerifier;
import org.mcpidp.verifier.TrustedIssuer;
import org.mcpidp.verifier.VerifierStats;

/**
 * A tool's failed token exchange as the client sees it, through the real bearer filter and MCP extension: a
 * JSON-RPC error naming the reason, or for a claims challenge HTTP 401 with {@code insufficient_claims}. The tool is a
 * test-only one that fails with whatever failure the test sets; the verifier is a fixed caller.
 */
class DownstreamErrorsTest {

    private static final MediaType JSON = MediaType.get("application/json");
    private static final String CLAIMS = "{\"access_token\":{\"acrs\":{\"essential\":true,\"value\":\"c1\"}}}";

    private final AtomicReference<ExchangeFailure> failure = new AtomicReference<>();
    private final OkHttpClient http = new OkHttpClient();
    private WebServer server;
    private String url;

    @BeforeEach
    void start() {
        int port = FreePort.find();
        url = "http://127.0.0.1:" + port + "/mcp";
        BearerAuthFeature auth = BearerAuthFeature.builder()
                .verifier(new FixedCallerVerifier())
                .resource(URI.create(url))
                .addTool(new WhoamiTool())
                .addTool(new FailingDownstreamTool(failure))
                .mcpServer(McpServerConfig.builder().path("/mcp"))
                .build();
        server = WebServer.builder().host("127.0.0.1").port(port).addFeature(auth)
                .routing(routing -> routing.addFeature(auth.mcpServerFeature())).build().start();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void whenTheExchangeIsUnavailableThenAJsonRpcErrorNamesTheReasonAndTheServerStaysUp() throws IOException {
        String session = initialize();
        failure.set(ExchangeFailure.of(ExchangeFailure.Reason.UNAVAILABLE, "the identity provider could not be reached"));

        try (Response response = post(session, call(2, "list_remote"))) {
            assertThat(response.code()).isEqualTo(200);
            assertThat(response.body().string()).contains("downstream token: UNAVAILABLE")
                    .contains("could not be reached");
        }
        try (Response whoami = post(session, call(3, "whoami"))) {
            assertThat(whoami.code()).isEqualTo(200);
            assertThat(whoami.body().string()).contains("alice");
        }
    }

    @Test
    void whenTheScopeIsNotAllowedThenTheErrorSaysSo() throws IOException {
        String session = initialize();
        failure.set(ExchangeFailure.of(ExchangeFailure.Reason.SCOPE_NOT_ALLOWED, "orders:read is not yours"));

        try (Response response = post(session, call(2, "list_remote"))) {
            assertThat(response.code()).isEqualTo(200);
            assertThat(response.body().string()).contains("downstream token: SCOPE_NOT_ALLOWED");
        }
    }

    @Test
    void whenTheIdpDemandsClaimsThenHttp401WithInsufficientClaims() throws IOException {
        String session = initialize();
        failure.set(new ExchangeFailure(ExchangeFailure.Reason.CLAIMS_CHALLENGE, "Conditional Access",
                Optional.of(CLAIMS)));

        try (Response response = post(session, call(2, "list_remote"))) {
            assertThat(response.code()).isEqualTo(401);
            assertThat(response.header("WWW-Authenticate")).startsWith("Bearer error=\"insufficient_claims\"")
                    .contains("claims=\"" + Base64.getEncoder().encodeToString(CLAIMS.getBytes(StandardCharsets.UTF_8)) + "\"");
            assertThat(response.body().string()).contains("insufficient_claims");
        }
        try (Response whoami = post(session, call(3, "whoami"))) {
            assertThat(whoami.code()).isEqualTo(200);
        }
    }

    private static String call(int id, String tool) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool
                + "\",\"arguments\":{}}}";
    }

    private String initialize() throws IOException {
        String session;
        try (Response response = post(null, """
                {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",\
                "capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""")) {
            assertThat(response.code()).isEqualTo(200);
            session = response.header("Mcp-Session-Id");
            response.body().string();
        }
        post(session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}").body().string();
        return session;
    }

    private Response post(String session, String body) throws IOException {
        Request.Builder request = new Request.Builder().url(url)
                .header("Authorization", "Bearer fixed-caller")
                .header("Accept", "application/json, text/event-stream")
                .post(RequestBody.create(body, JSON));
        if (session != null) {
            request.header("Mcp-Session-Id", session);
        }
        return http.newCall(request.build()).execute();
    }

    /** Test-only: a tool whose token exchange fails with what the test set. */
    private record FailingDownstreamTool(AtomicReference<ExchangeFailure> failure) implements GuardedTool {
        @Override
        public ToolRequirement requirement() {
            return ToolRequirement.anyAuthenticated();
        }

        @Override
        public String name() {
            return "list_remote";
        }

        @Override
        public String description() {
            return "Calls a downstream API (test)";
        }

        @Override
        public String schema() {
            return "{\"type\": \"object\", \"properties\": {}}";
        }

        @Override
        public McpToolResult tool(McpToolRequest request) {
            throw DownstreamErrors.toolError(request, failure.get());
        }
    }
    /** A custom verifier: every token is the same caller, holding {@code mcp:read} only. */
    private static final class FixedCallerVerifier implements TokenVerifier {
        @Override
        public AuthInfo verify(String token) {
            return new AuthInfo("alice", Optional.of("client"), "https://idp.example.test", Set.of("x"),
                    Set.of("mcp:read"), Set.of(), Instant.now().plusSeconds(300), Map.of());
        }

        @Override
        public VerifierStats stats() {
            return new VerifierStats(0, 0, 0, 0, 0, 0, 0, 0);
        }

        @Override
        public boolean ready() {
            return true;
        }

        @Override
        public List<TrustedIssuer> issuers() {
            return List.of(TrustedIssuer.jwt("https://idp.example.test").build());
        }

        @Override
        public AccessPolicy policy() {
            return AccessPolicy.builder().audiences("x").build();
        }
    }
}

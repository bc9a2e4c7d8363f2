package org.mcpidp.mcpserver.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.extensions.mcp.server.McpServerConfig;
import io.helidon.webserver.WebServer;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mcpidp.mcpserver.StubVerifier;
import org.mcpidp.mcpserver.tools.CreateProductTool;
import org.mcpidp.mcpserver.tools.ProductStore;
import org.mcpidp.mcpserver.tools.WhoamiTool;
import org.mcpidp.testkit.FreePort;

/**
 * The stages tell an {@link AccessListener} every request's outcome and every {@code tools/call} decision with its
 * latency, measured by the builder's clock. The verifier is a custom one (a fixed caller holding {@code mcp:read}):
 * what is under test is the gate's reporting, not token checking, which the Keycloak tests cover.
 */
class AccessListenerTest {

    private static final MediaType JSON = MediaType.get("application/json");
    /** Every reading of the clock moves it on by 7 ms: a latency is then exactly 7 ms per reading after arrival. */
    private static final long STEP = Duration.ofMillis(7).toNanos();

    private record ToolCall(String tool, boolean allowed, Duration latency) {
    }

    private final List<AuthOutcome> outcomes = new CopyOnWriteArrayList<>();
    private final List<ToolCall> toolCalls = new CopyOnWriteArrayList<>();
    private final OkHttpClient http = new OkHttpClient();
    private WebServer server;
    private String url;

    @BeforeEach
    void start() {
        int port = FreePort.find();
        url = "http://127.0.0.1:" + port + "/mcp";
        AtomicLong clock = new AtomicLong();
        BearerAuthFeature auth = BearerAuthFeature.builder()
                .verifier(StubVerifier.fixedCaller("mcp:read"))
                .resource(URI.create(url))
                .addTool(new WhoamiTool())
                .addTool(new CreateProductTool(ProductStore.withSamples()))
                .mcpServer(McpServerConfig.builder().path("/mcp"))
                .accessListener(new AccessListener() {
                    @Override
                    public void outcome(AuthOutcome outcome) {
                        outcomes.add(outcome);
                    }

                    @Override
                    public void toolCall(String tool, boolean allowed, Duration latency) {
                        toolCalls.add(new ToolCall(tool, allowed, latency));
                    }
                })
                .nanoTime(() -> clock.addAndGet(STEP))
                .build();
        server = WebServer.builder().host("127.0.0.1").port(port).addFeature(auth)
                .routing(routing -> routing.addFeature(auth.mcpServerFeature())).build().start();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void whenToolsAreCalledThenEachDecisionIsToldWithItsLatency() throws IOException {
        String session;
        try (Response response = post(null, """
                {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",\
                "capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""")) {
            assertThat(response.code()).isEqualTo(200);
            session = response.header("Mcp-Session-Id");
            response.body().string();
        }
        assertThat(session).isNotBlank();
        post(session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}").body().string();
        try (Response allowed = post(session, """
                {"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"whoami","arguments":{}}}""")) {
            assertThat(allowed.code()).isEqualTo(200);
            assertThat(allowed.body().string()).contains("alice");
        }
        try (Response refused = post(session, """
                {"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"create_product",\
                "arguments":{"name":"x","price":1}}}""")) {
            assertThat(refused.code()).isEqualTo(403);
        }

        assertThat(toolCalls).containsExactly(
                new ToolCall("whoami", true, Duration.ofMillis(7)),
                new ToolCall("create_product", false, Duration.ofMillis(7)));
        assertThat(outcomes).containsExactly(AuthOutcome.AUTHENTICATED, AuthOutcome.AUTHENTICATED,
                AuthOutcome.AUTHENTICATED, AuthOutcome.INSUFFICIENT_SCOPE);
    }

    @Test
    void whenNoTokenIsSentThenTheRefusalIsToldAndNoToolCall() throws IOException {
        try (Response response = http.newCall(new Request.Builder().url(url)
                .header("Accept", "application/json, text/event-stream")
                .post(RequestBody.create("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\","
                        + "\"params\":{\"name\":\"whoami\"}}", JSON)).build()).execute()) {
            assertThat(response.code()).isEqualTo(401);
        }
        assertThat(outcomes).containsExactly(AuthOutcome.NO_TOKEN);
        assertThat(toolCalls).isEmpty();
    }

    /**
     * Bodies are read to the end, so OkHttp keeps its one connection and the server handles the requests on it one
     * after the other, listener calls included: the recorded order is the order sent.
     */
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
}

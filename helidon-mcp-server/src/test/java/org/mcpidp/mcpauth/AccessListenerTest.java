package org.mcpidp.mcpauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mcpidp.testkit.McpHttp;
import org.mcpidp.mcpserver.StubServer;
import org.mcpidp.mcpserver.StubVerifier;
import org.mcpidp.mcpserver.tools.ProductTools;
import org.mcpidp.mcpserver.tools.ProductStore;
import org.mcpidp.mcpserver.tools.WhoamiTool;

/**
 * The stages tell an {@link AccessListener} every request's outcome and every {@code tools/call} decision with its
 * latency, measured by the builder's clock. The verifier is a custom one (a fixed caller holding {@code mcp:read}):
 * what is under test is the gate's reporting, not token checking, which the Keycloak tests cover.
 */
class AccessListenerTest {

    /** Every reading of the clock moves it on by 7 ms: a latency is then exactly 7 ms per reading after arrival. */
    private static final long STEP = Duration.ofMillis(7).toNanos();

    private record ToolCall(String tool, boolean allowed, Duration latency) {
    }

    private final List<AuthOutcome> outcomes = new CopyOnWriteArrayList<>();
    private final List<ToolCall> toolCalls = new CopyOnWriteArrayList<>();
    private StubServer server;

    @BeforeEach
    void start() {
        AtomicLong clock = new AtomicLong();
        server = StubServer.start(StubVerifier.fixedCaller("mcp:read"),
                java.util.List.of(new WhoamiTool(), ProductTools.create(ProductStore.withSamples())), auth -> auth
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
                .nanoTime(() -> clock.addAndGet(STEP)));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /**
     * {@link McpHttp} reads every body to the end, so OkHttp keeps its one connection and the server handles the
     * requests on it one after the other, listener calls included: the recorded order is the order sent.
     */
    @Test
    void whenToolsAreCalledThenEachDecisionIsToldWithItsLatency() {
        String session = server.openSession();
        assertThat(session).isNotBlank();
        McpHttp.Reply allowed = server.call(session, "whoami");
        assertThat(allowed.status()).isEqualTo(200);
        assertThat(allowed.body()).contains("alice");
        McpHttp.Reply refused = server.mcp.callTool(StubServer.TOKEN, session, "create_product",
                "{\"name\":\"x\",\"price\":1}");
        assertThat(refused.status()).isEqualTo(403);

        assertThat(toolCalls).containsExactly(
                new ToolCall("whoami", true, Duration.ofMillis(7)),
                new ToolCall("create_product", false, Duration.ofMillis(7)));
        assertThat(outcomes).containsExactly(AuthOutcome.AUTHENTICATED, AuthOutcome.AUTHENTICATED,
                AuthOutcome.AUTHENTICATED, AuthOutcome.INSUFFICIENT_SCOPE);
    }

    @Test
    void whenNoTokenIsSentThenTheRefusalIsToldAndNoToolCall() {
        McpHttp.Reply response = server.mcp.rpc(null, Optional.empty(), "tools/call", "{\"name\":\"whoami\"}");
        assertThat(response.status()).isEqualTo(401);
        assertThat(outcomes).containsExactly(AuthOutcome.NO_TOKEN);
        assertThat(toolCalls).isEmpty();
    }
}

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

/**
 * The stages tell an {@link AccessListener} every request's outcome and every {@code tools/call} decision with its
 * latency, measured by the builder's clock. The caller holds {@code mcp:read} (a local issuer's token): what is under
 * test is the gate's reporting, not token checking.
 */
class AccessListenerTest {

    /** Every reading of the clock moves it on by 7 ms: a latency is then exactly 7 ms per reading after arrival. */
    private static final long STEP = Duration.ofMillis(7).toNanos();

    private record ToolCall(String tool, boolean allowed, Duration latency) {
    }

    private final List<AuthOutcome> outcomes = new CopyOnWriteArrayList<>();
    private final List<ToolCall> toolCalls = new CopyOnWriteArrayList<>();
    private SdkTestServer server;
    private String token;

    @BeforeEach
    void start() {
        AtomicLong clock = new AtomicLong();
        server = SdkTestServer.builder().feature(auth -> auth
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
                .nanoTime(() -> clock.addAndGet(STEP))).start();
        token = server.token("alice", "mcp:read");
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
        String session = server.mcp.openSession(token);
        assertThat(session).isNotBlank();
        McpHttp.Reply allowed = server.mcp.callTool(token, session, "echo", "{\"x\":1}");
        assertThat(allowed.status()).isEqualTo(200);
        assertThat(allowed.body()).contains("echo {x=1}");
        McpHttp.Reply refused = server.mcp.callTool(token, session, "erase", "{\"item\":\"a\"}");
        assertThat(refused.status()).isEqualTo(403);

        assertThat(toolCalls).containsExactly(
                new ToolCall("echo", true, Duration.ofMillis(7)),
                new ToolCall("erase", false, Duration.ofMillis(7)));
        assertThat(outcomes).containsExactly(AuthOutcome.AUTHENTICATED, AuthOutcome.AUTHENTICATED,
                AuthOutcome.AUTHENTICATED, AuthOutcome.INSUFFICIENT_SCOPE);
    }

    @Test
    void whenNoTokenIsSentThenTheRefusalIsToldAndNoToolCall() {
        McpHttp.Reply response = server.mcp.rpc(null, Optional.empty(), "tools/call", "{\"name\":\"echo\"}");
        assertThat(response.status()).isEqualTo(401);
        assertThat(outcomes).containsExactly(AuthOutcome.NO_TOKEN);
        assertThat(toolCalls).isEmpty();
    }
}

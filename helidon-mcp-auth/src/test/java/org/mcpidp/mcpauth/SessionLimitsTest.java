package org.mcpidp.mcpauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import okhttp3.Request;
import org.junit.jupiter.api.Test;
import org.mcpidp.testkit.McpHttp;

/**
 * The session registry owns session lifetime: a global cap (least recently used closed first), an idle timeout and a
 * per-subject cap (429 + Retry-After); every session it closes is gone from the MCP SDK engine too
 * ({@link SdkEngine#legacySessionCount}). The limits come from {@code mcp.sessions.*}, as an application configures
 * them; idleness is judged by the feature's session clock, which the tests move on instead of sleeping.
 */
class SessionLimitsTest {

    private static final String INIT = """
            {"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"limits-test","version":"1"}}""";

    @Test
    void whenASubjectOpensSessionsInALoopThenOverItsCapItGets429WithRetryAfterAndOthersAreUnaffected() {
        try (SdkTestServer server = SdkTestServer.builder()
                .set("mcp.sessions.max", "20").set("mcp.sessions.max-per-subject", "3").start()) {
            McpHttp mcp = new McpHttp(server.url);
            String greedy = server.token("greedy", "mcp:read");
            String other = server.token("other", "mcp:read");

            List<Integer> statuses = new ArrayList<>();
            List<String> sessions = new ArrayList<>();
            McpHttp.Reply refused = null;
            for (int i = 0; i < 10; i++) {
                McpHttp.Reply reply = mcp.rpc(greedy, Optional.empty(), "initialize", INIT);
                statuses.add(reply.status());
                if (reply.status() == 200) {
                    sessions.add(reply.header("Mcp-Session-Id"));
                } else {
                    refused = reply;
                }
            }

            assertThat(statuses).containsExactly(200, 200, 200, 429, 429, 429, 429, 429, 429, 429);
            assertThat(refused.header("Retry-After")).matches("[1-9][0-9]*");
            assertThat(refused.body()).contains("too_many_sessions");
            for (int i = 0; i < 3; i++) {
                assertThat(mcp.openSession(other)).isNotBlank();
            }
            assertThat(mcp.callTool(greedy, sessions.getFirst(), "echo", "{}").status()).isEqualTo(200);
            assertThat(server.sessions().refusedPerSubject()).isEqualTo(7);

            // closing one of its sessions gives the subject a slot back
            McpHttp.Reply deleted = mcp.send(new Request.Builder().url(server.url).delete()
                    .header("Authorization", "Bearer " + greedy).header("Mcp-Session-Id", sessions.getFirst())
                    .header("MCP-Protocol-Version", "2025-06-18").build());
            assertThat(deleted.status()).isLessThan(300);
            assertThat(mcp.rpc(greedy, Optional.empty(), "initialize", INIT).status()).isEqualTo(200);
            assertThat(server.sessions().open()).isEqualTo(6);
            assertThat(server.engineSessions()).isEqualTo(6);
        }
    }

    @Test
    void whenTheServerIsFullThenTheLeastRecentlyUsedSessionIsClosedInTheEngineToo() {
        try (SdkTestServer server = SdkTestServer.builder()
                .set("mcp.sessions.max", "4").set("mcp.sessions.max-per-subject", "4").start()) {
            McpHttp mcp = new McpHttp(server.url);
            String alice = server.token("alice", "mcp:read");
            String bob = server.token("bob", "mcp:read");
            List<String> opened = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                opened.add(mcp.openSession(i % 2 == 0 ? alice : bob));
            }
            // the first session is used again: the second is now the least recently used
            assertThat(mcp.callTool(alice, opened.get(0), "echo", "{}").status()).isEqualTo(200);

            String fifth = mcp.openSession(alice);
            String sixth = mcp.openSession(bob);

            assertThat(server.sessions().open()).isEqualTo(4);
            assertThat(server.sessions().evictedForCapacity()).isEqualTo(2);
            assertThat(server.engineSessions()).isEqualTo(4);
            assertThat(mcp.callTool(bob, opened.get(1), "echo", "{}").status()).isEqualTo(404);
            assertThat(mcp.callTool(alice, opened.get(2), "echo", "{}").status()).isEqualTo(404);
            assertThat(mcp.callTool(alice, opened.get(0), "echo", "{}").status()).isEqualTo(200);
            assertThat(mcp.callTool(alice, fifth, "echo", "{}").status()).isEqualTo(200);
            assertThat(mcp.callTool(bob, sixth, "echo", "{}").status()).isEqualTo(200);
        }
    }

    @Test
    void whenASessionIsIdleLongerThanTheTimeoutThenItIsClosedWithoutAnyTraffic() {
        AtomicLong nanos = new AtomicLong(System.nanoTime());
        try (SdkTestServer server = SdkTestServer.builder().set("mcp.sessions.idle-timeout", "PT0.6S")
                .feature(feature -> feature.sessionClock(nanos::get)).start()) {
            McpHttp mcp = new McpHttp(server.url);
            String token = server.token("sleepy", "mcp:read");
            String idle = mcp.openSession(token);
            String busy = mcp.openSession(token);
            assertThat(server.engineSessions()).isEqualTo(2);

            for (int i = 0; i < 10; i++) { // 1.5 s on the registry's clock; the busy session is used every 150 ms
                nanos.addAndGet(Duration.ofMillis(150).toNanos());
                assertThat(mcp.callTool(token, busy, "echo", "{}").status()).isEqualTo(200);
            }
            awaitOpenSessions(server, 1);
            assertThat(server.sessions().open()).isEqualTo(1);
            assertThat(server.sessions().expiredIdle()).isEqualTo(1);
            assertThat(server.engineSessions()).isEqualTo(1);
            assertThat(mcp.callTool(token, idle, "echo", "{}").status()).isEqualTo(404);

            // no request at all from here on: only the background sweep can close the busy session
            nanos.addAndGet(Duration.ofMillis(1_200).toNanos());
            awaitOpenSessions(server, 0);
            assertThat(server.sessions().open()).isZero();
            assertThat(server.engineSessions()).isZero();
        }
    }

    /**
     * Waits (bounded) for the registry's background sweep, which runs on its own real-time schedule (every idle/4, at
     * least 50 ms) but judges idleness by the registry's clock: the wait is for a thread, never for time to pass.
     */
    private static void awaitOpenSessions(SdkTestServer server, int expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (server.sessions().open() != expected && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
    }
}

package org.mcpidp.mcpserver;

import org.mcpidp.testkit.McpHttp;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;
import okhttp3.Request;
import org.mcpidp.mcpauth.BearerAuthFeature;
import org.mcpidp.mcpauth.BuilderHooks;
import org.junit.jupiter.api.Test;

/**
 * Our session registry owns session lifetime: a global cap (least recently used closed first), an idle timeout and a
 * per-subject cap (429 + Retry-After); every session it closes is gone from the Helidon MCP extension too, both from
 * its LRU and from its id list (which 1.2.0 never prunes on its own). Tokens come from a local issuer (JWT mode).
 */
class SessionLimitsTest {

    private static final String INIT = """
            {"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"limits-test","version":"1"}}""";

    @Test
    void whenASubjectOpensSessionsInALoopThenOverItsCapItGets429WithRetryAfterAndOthersAreUnaffected() {
        try (LocalIdpServer server = LocalIdpServer.start(Map.of(
                "mcp.sessions.max", "20", "mcp.sessions.max-per-subject", "3"))) {
            McpHttp mcp = new McpHttp(server.mcpUrl);
            String greedy = server.token("greedy");
            String other = server.token("other");

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
            assertThat(mcp.callTool(greedy, sessions.getFirst(), "whoami", "{}").status()).isEqualTo(200);
            assertThat(server.sessions().refusedPerSubject()).isEqualTo(7);

            // closing one of its sessions gives the subject a slot back
            McpHttp.Reply deleted = mcp.send(new Request.Builder().url(server.mcpUrl).delete()
                    .header("Authorization", "Bearer " + greedy).header("Mcp-Session-Id", sessions.getFirst())
                    .header("MCP-Protocol-Version", "2025-06-18").build());
            assertThat(deleted.status()).isLessThan(300);
            assertThat(mcp.rpc(greedy, Optional.empty(), "initialize", INIT).status()).isEqualTo(200);
            assertThat(server.sessions().open()).isEqualTo(6);
            assertThat(server.engineSessions()).isEqualTo(6);
            assertThat(server.engineSessions()).isEqualTo(6);
        }
    }

    @Test
    void whenTheServerIsFullThenTheLeastRecentlyUsedSessionIsClosedInTheExtensionToo() {
        try (LocalIdpServer server = LocalIdpServer.start(Map.of(
                "mcp.sessions.max", "4", "mcp.sessions.max-per-subject", "4"))) {
            McpHttp mcp = new McpHttp(server.mcpUrl);
            String alice = server.token("alice");
            String bob = server.token("bob");
            List<String> opened = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                opened.add(mcp.openSession(i % 2 == 0 ? alice : bob));
            }
            // the first session is used again: the second is now the least recently used
            assertThat(mcp.callTool(alice, opened.get(0), "whoami", "{}").status()).isEqualTo(200);

            String fifth = mcp.openSession(alice);
            String sixth = mcp.openSession(bob);

            assertThat(server.sessions().open()).isEqualTo(4);
            assertThat(server.sessions().evictedForCapacity()).isEqualTo(2);
            assertThat(server.engineSessions()).isEqualTo(4);
            assertThat(server.engineSessions()).isEqualTo(4);
            assertThat(mcp.callTool(bob, opened.get(1), "whoami", "{}").status()).isEqualTo(404);
            assertThat(mcp.callTool(alice, opened.get(2), "whoami", "{}").status()).isEqualTo(404);
            assertThat(mcp.callTool(alice, opened.get(0), "whoami", "{}").status()).isEqualTo(200);
            assertThat(mcp.callTool(alice, fifth, "whoami", "{}").status()).isEqualTo(200);
            assertThat(mcp.callTool(bob, sixth, "whoami", "{}").status()).isEqualTo(200);
        }
    }

    @Test
    void whenASessionIsIdleLongerThanTheTimeoutThenItIsClosedWithoutAnyTraffic() {
        ManualClock clock = new ManualClock();
        try (LocalIdpServer server = LocalIdpServer.start(Map.of("mcp.sessions.idle-timeout", "PT0.6S"),
                clock.onBuilder())) {
            McpHttp mcp = new McpHttp(server.mcpUrl);
            String token = server.token("sleepy");
            String idle = mcp.openSession(token);
            String busy = mcp.openSession(token);
            assertThat(server.engineSessions()).isEqualTo(2);

            for (int i = 0; i < 10; i++) { // 1.5 s on the registry's clock; the busy session is used every 150 ms
                clock.advance(Duration.ofMillis(150));
                assertThat(mcp.callTool(token, busy, "whoami", "{}").status()).isEqualTo(200);
            }
            awaitOpenSessions(server, 1);
            assertThat(server.sessions().open()).isEqualTo(1);
            assertThat(server.sessions().expiredIdle()).isEqualTo(1);
            assertThat(server.engineSessions()).isEqualTo(1);
            assertThat(server.engineSessions()).isEqualTo(1);
            assertThat(mcp.callTool(token, idle, "whoami", "{}").status()).isEqualTo(404);

            // no request at all from here on: only the background sweep can close the busy session
            clock.advance(Duration.ofMillis(1_200));
            awaitOpenSessions(server, 0);
            assertThat(server.sessions().open()).isZero();
            assertThat(server.engineSessions()).isZero();
            assertThat(server.engineSessions()).isZero();
        }
    }

    /**
     * Waits (bounded) for the registry's background sweep, which runs on its own real-time schedule (every idle/4, at
     * least 50 ms) but judges idleness by the registry's clock: the wait is for a thread, never for time to pass.
     */
    private static void awaitOpenSessions(LocalIdpServer server, int expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (server.sessions().open() != expected && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
    }

    /** The session registry's clock, set on the feature's builder ({@link BuilderHooks#sessionClock}). */
    static final class ManualClock {
        private final AtomicLong nanos = new AtomicLong(System.nanoTime());

        UnaryOperator<BearerAuthFeature.Builder> onBuilder() {
            return BuilderHooks.sessionClock(nanos::get);
        }

        void advance(Duration by) {
            nanos.addAndGet(by.toNanos());
        }
    }
}

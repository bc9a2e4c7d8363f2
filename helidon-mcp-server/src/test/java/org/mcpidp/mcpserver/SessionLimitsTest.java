package org.mcpidp.mcpserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.Request;
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
            assertThat(server.extensionSessions()).isEqualTo(6);
            assertThat(server.extensionSessionIds()).isEqualTo(6);
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
            assertThat(server.extensionSessions()).isEqualTo(4);
            assertThat(server.extensionSessionIds()).isEqualTo(4);
            assertThat(mcp.callTool(bob, opened.get(1), "whoami", "{}").status()).isEqualTo(404);
            assertThat(mcp.callTool(alice, opened.get(2), "whoami", "{}").status()).isEqualTo(404);
            assertThat(mcp.callTool(alice, opened.get(0), "whoami", "{}").status()).isEqualTo(200);
            assertThat(mcp.callTool(alice, fifth, "whoami", "{}").status()).isEqualTo(200);
            assertThat(mcp.callTool(bob, sixth, "whoami", "{}").status()).isEqualTo(200);
        }
    }

    @Test
    void whenASessionIsIdleLongerThanTheTimeoutThenItIsClosedWithoutAnyTraffic() throws InterruptedException {
        try (LocalIdpServer server = LocalIdpServer.start(Map.of("mcp.sessions.idle-timeout", "PT0.6S"))) {
            McpHttp mcp = new McpHttp(server.mcpUrl);
            String token = server.token("sleepy");
            String idle = mcp.openSession(token);
            String busy = mcp.openSession(token);
            assertThat(server.extensionSessions()).isEqualTo(2);

            long until = System.nanoTime() + 1_500_000_000L;
            while (System.nanoTime() < until) {
                assertThat(mcp.callTool(token, busy, "whoami", "{}").status()).isEqualTo(200);
                Thread.sleep(150);
            }
            // no request names the idle session: the background sweep closed it
            assertThat(server.sessions().open()).isEqualTo(1);
            assertThat(server.sessions().expiredIdle()).isEqualTo(1);
            assertThat(server.extensionSessions()).isEqualTo(1);
            assertThat(server.extensionSessionIds()).isEqualTo(1);
            assertThat(mcp.callTool(token, idle, "whoami", "{}").status()).isEqualTo(404);

            Thread.sleep(1_200);
            assertThat(server.sessions().open()).isZero();
            assertThat(server.extensionSessions()).isZero();
            assertThat(server.extensionSessionIds()).isZero();
        }
    }
}

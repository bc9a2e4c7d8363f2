package org.mcpidp.mcpserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Helidon MCP 1.2.0 keeps each session's last requests (with their headers, bearer token included, and bodies) in a
 * per-session LRU that finished requests never leave; at its default size of 1000 a few busy sessions filled a 256 MB
 * heap. The auth feature bounds it: a long session keeps at most 64, and every call still gets its answer.
 */
class ExtensionRequestRetentionTest {

    @Test
    void whenOneSessionMakesManyCallsThenTheExtensionKeepsAtMost64OfItsRequests() {
        try (LocalIdpServer server = LocalIdpServer.start(Map.of())) {
            McpHttp mcp = new McpHttp(server.mcpUrl);
            String token = server.token("busy");
            String session = mcp.openSession(token);

            for (int i = 0; i < 200; i++) {
                assertThat(mcp.callTool(token, session, "whoami", "{}").status()).isEqualTo(200);
            }

            assertThat(server.extensionRequestsKept()).isBetween(1, 64);
        }
    }
}

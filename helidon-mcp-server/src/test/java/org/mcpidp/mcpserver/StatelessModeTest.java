package org.mcpidp.mcpserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code mcp.stateless=true} (Helidon MCP's stateless Streamable HTTP mode) for several instances without affinity:
 * a session id this instance never issued (another instance did) is served, not answered 404, and a request without
 * any session is served without initialize; a session this instance opened still belongs to its principal. Tokens
 * come from a local issuer (JWT mode): the claim here is the guard's, not an IdP's.
 */
class StatelessModeTest {

    private static final String WHOAMI = "whoami";

    @Test
    void whenStatelessAndTheSessionIdWasIssuedElsewhereThenTheCallIsServed() {
        try (LocalIdpServer server = LocalIdpServer.start(Map.of("mcp.stateless", "true"))) {
            McpHttp mcp = new McpHttp(server.mcpUrl);
            String token = server.token("alice");

            McpHttp.Reply reply = mcp.callTool(token, UUID.randomUUID().toString(), WHOAMI, "{}");

            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.body()).contains("\"result\"").contains("alice");
            assertThat(server.sessions().open()).isZero();
        }
    }

    @Test
    void whenSessionfulAndTheSessionIdWasIssuedElsewhereThenItIs404() {
        try (LocalIdpServer server = LocalIdpServer.start(Map.of())) {
            McpHttp mcp = new McpHttp(server.mcpUrl);

            McpHttp.Reply reply = mcp.callTool(server.token("alice"), UUID.randomUUID().toString(), WHOAMI, "{}");

            assertThat(reply.status()).isEqualTo(404);
        }
    }

    @Test
    void whenStatelessAndNoSessionAtAllThenToolsCallIsServedWithoutInitialize() {
        try (LocalIdpServer server = LocalIdpServer.start(Map.of("mcp.stateless", "true"))) {
            McpHttp mcp = new McpHttp(server.mcpUrl);

            McpHttp.Reply reply = mcp.rpc(server.token("bob"), Optional.empty(), "tools/call",
                    "{\"name\":\"whoami\",\"arguments\":{}}");

            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.body()).contains("\"result\"").contains("bob");
        }
    }

    @Test
    void whenStatelessAndAnotherPrincipalNamesASessionOpenedHereThenItIs404() {
        try (LocalIdpServer server = LocalIdpServer.start(Map.of("mcp.stateless", "true"))) {
            McpHttp mcp = new McpHttp(server.mcpUrl);
            String session = mcp.openSession(server.token("alice"));

            McpHttp.Reply stolen = mcp.callTool(server.token("mallory"), session, WHOAMI, "{}");
            McpHttp.Reply own = mcp.callTool(server.token("alice"), session, WHOAMI, "{}");

            assertThat(stolen.status()).isEqualTo(404);
            assertThat(stolen.body()).contains("session_not_found");
            assertThat(own.status()).isEqualTo(200);
            assertThat(server.sessions().open()).isEqualTo(1);
        }
    }

    @Test
    void whenTheStatelessValueIsNotABooleanThenTheErrorNamesTheKey() {
        assertThatThrownBy(() -> ServerConfig.from(ServerUnderTest.config(Map.of("mcp.stateless", "maybe"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("mcp.stateless (MCP_STATELESS)")
                .hasMessageContaining("'maybe'");
    }
}

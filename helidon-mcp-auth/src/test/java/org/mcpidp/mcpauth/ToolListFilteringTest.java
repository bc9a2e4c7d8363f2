package org.mcpidp.mcpauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code tools/list} shows each caller exactly the tools it may call (legacy era, in a session): by its scopes, with
 * the scope hierarchy ({@code mcp:admin > mcp:write > mcp:read}), and by a role where the requirement allows one and
 * the token is an application's own. Tools: {@code echo} (any caller), {@code read_only} (mcp:read), {@code create}
 * (mcp:write), {@code erase} (mcp:admin), {@code purge} (mcp:admin, or the role admin).
 */
class ToolListFilteringTest {

    private static SdkTestServer server;

    @BeforeAll
    static void start() {
        server = SdkTestServer.builder()
                .tool("read_only", ToolRequirement.scopes("mcp:read"))
                .tool("create", ToolRequirement.scopes("mcp:write"))
                .tool("purge", ToolRequirement.scopes("mcp:admin").orAnyRole("admin"))
                .start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static List<String> listedFor(String token) {
        return server.mcp.toolNames(token, server.mcp.openSession(token));
    }

    @Test
    void whenReaderListsToolsThenOnlyReadableToolsAreShown() {
        assertThat(listedFor(server.token("reader", "mcp:read"))).containsExactly("echo", "read_only");
    }

    @Test
    void whenWriterListsToolsThenCreateIsShownButNotTheAdminTools() {
        assertThat(listedFor(server.token("writer", "mcp:read mcp:write")))
                .containsExactly("echo", "read_only", "create");
    }

    @Test
    void whenTheBroaderScopeAloneIsGrantedThenTheNarrowerScopesToolsAreShownToo() {
        assertThat(listedFor(server.token("writer", "mcp:write"))).containsExactly("echo", "read_only", "create");
    }

    @Test
    void whenAdminListsToolsThenAllAreShown() {
        assertThat(listedFor(server.token("admin", "mcp:read mcp:write mcp:admin")))
                .containsExactly("echo", "erase", "read_only", "create", "purge");
    }

    @Test
    void whenNoMcpScopeThenOnlyToolsForAnyCallerAreShown() {
        assertThat(listedFor(server.token("nobody", "openid profile"))).containsExactly("echo");
    }

    @Test
    void whenAnApplicationHoldsTheRoleThenTheToolItAllowsIsShown() {
        // an app-only token (RFC 9068: sub is the client id) with mcp:read and the realm role admin
        Map<String, Object> app = server.claims("role-admin", "mcp:read");
        app.remove("typ");
        app.put("azp", "role-admin");
        app.put("realm_access", Map.of("roles", List.of("admin")));

        assertThat(listedFor(server.issuer.sign(app))).containsExactly("echo", "read_only", "purge");
    }

    @Test
    void whenAPersonHoldsTheRoleThenItDoesNotWidenTheScopesSheGranted() {
        Map<String, Object> person = server.claims("erin", "mcp:read");
        person.put("realm_access", Map.of("roles", List.of("admin")));

        assertThat(listedFor(server.issuer.sign(person))).containsExactly("echo", "read_only");
    }
}

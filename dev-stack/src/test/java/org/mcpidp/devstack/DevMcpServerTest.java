package org.mcpidp.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mcpidp.provisioning.spec.ScopeHierarchy;
import org.mcpidp.provisioning.spec.SpecLoader;
import org.mcpidp.provisioning.spec.TenantSpec;

/** The environment the dev stack starts helidon-mcp-server with: the scope hierarchy comes from the spec it provisions. */
class DevMcpServerTest {

    private static final Path ROOT = Path.of(System.getProperty("devstack.root", "..")).toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private static Map<String, String> environment(TenantSpec tenant) {
        return DevMcpServer.environment("http://127.0.0.1:8080/mcp", "http://127.0.0.1:8180/realms/" + tenant.realm(),
                tenant.resource().clientId(), "server-secret", "http://127.0.0.1:8090", tenant.scopeHierarchy());
    }

    @Test
    void whenTheDemoSpecIsProvisionedThenTheServerGetsItsScopeHierarchyAsOneVariable() throws Exception {
        TenantSpec demo = new SpecLoader(Map.of()).load(ROOT.resolve("realm-exports/demo-tenant.yaml")).tenants().get(0);

        assertThat(environment(demo)).containsEntry(ScopeHierarchy.VARIABLE, "mcp:write > mcp:read,mcp:admin > mcp:write")
                .containsEntry("MCP_AUTH_ISSUERS_0_URL", "http://127.0.0.1:8180/realms/mcp-demo");
    }

    @Test
    void whenTheSpecHasNoScopeHierarchyThenTheVariableIsEmptyAndClearsTheDemoYamlsList() throws Exception {
        Path spec = Files.writeString(dir.resolve("flat.yaml"), """
                tenants:
                  - realm: flat
                    resource:
                      url: http://127.0.0.1:8080/mcp
                      clientId: mcp-server
                    scopes:
                      - name: mcp:read
                      - name: mcp:write
                """);
        TenantSpec flat = new SpecLoader(Map.of()).load(spec).tenants().get(0);

        assertThat(environment(flat)).containsEntry(ScopeHierarchy.VARIABLE, "");
    }
}

package org.mcpidp.provisioning.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mcpidp.provisioning.spec.SpecLoader;
import org.mcpidp.provisioning.spec.TenantSpec;

class RealmExportTest {

    private static final Path EXPORTS = Path.of("..", "realm-exports");

    private static TenantSpec demo() throws Exception {
        return new SpecLoader(Map.of()).load(EXPORTS.resolve("demo-tenant.yaml")).tenants().get(0);
    }

    @Test
    void whenDemoSpecIsExportedThenItEqualsTheCheckedInRealmJson() throws Exception {
        // If this fails after a spec change: idp-provisioning export realm-exports/demo-tenant.yaml -o realm-exports/mcp-demo-realm.json
        assertThat(RealmExporter.export(demo())).isEqualTo(Files.readString(EXPORTS.resolve("mcp-demo-realm.json")));
    }

    @Test
    void whenExportedThenSecretsArePlaceholdersOnly() throws Exception {
        TenantSpec spec = new SpecLoader(Map.of("MCP_SERVER_SECRET", "never-in-export", "ALICE_PASSWORD", "nor-this"))
                .load(EXPORTS.resolve("demo-tenant.yaml")).tenants().get(0);
        String json = RealmExporter.export(spec);
        assertThat(json).doesNotContain("never-in-export", "nor-this")
                .contains("\"secret\" : \"${MCP_SERVER_SECRET}\"", "\"value\" : \"${ALICE_PASSWORD}\"");
    }

    @Test
    void whenExportedThenBuiltInScopesAreKept() throws Exception {
        String json = RealmExporter.export(demo());
        for (String scope : new String[] {"profile", "email", "roles", "web-origins", "acr", "basic"}) {
            assertThat(json).contains("\"name\" : \"" + scope + "\"");
        }
    }
}

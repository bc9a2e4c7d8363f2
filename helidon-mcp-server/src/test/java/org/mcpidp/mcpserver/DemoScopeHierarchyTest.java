package org.mcpidp.mcpserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mcpidp.mcpauth.BearerAuthFeature;
import org.mcpidp.provisioning.spec.ScopeHierarchy;
import org.mcpidp.provisioning.spec.SpecLoader;
import org.mcpidp.provisioning.spec.TenantSpec;

/**
 * The demo server decides with the demo tenant's scope hierarchy (MCP 2026-07-28: servers MUST account for it, and no
 * IdP holds it): {@code mcp.auth.scope-hierarchy} of this module's application.yaml, read by the library exactly as
 * the server reads it, and {@code scopes[].implies} of realm-exports/demo-tenant.yaml, read by idp-provisioning's
 * loader, must give the same implied scopes. The dev stack passes the spec's value as {@code MCP_AUTH_SCOPE_HIERARCHY}:
 * over application.yaml it must give the same again.
 */
class DemoScopeHierarchyTest {

    private static final Path SPEC = Path.of("../realm-exports/demo-tenant.yaml");

    private static ScopeHierarchy spec() throws Exception {
        TenantSpec demo = new SpecLoader(Map.of()).load(SPEC).tenants().get(0);
        return demo.scopeHierarchy();
    }

    /** What the server built from application.yaml (and {@code overrides} on top) adds to a granted scope. */
    private static Map<String, Set<String>> server(Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>(Map.of(
                "mcp.auth.issuers.0.url", "http://127.0.0.1:8180/realms/mcp-demo",
                "mcp.auth.issuers.0.client-id", "mcp-server",
                "mcp.auth.issuers.0.client-secret", "not-used-here"));
        values.putAll(overrides);
        Config config = Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(ConfigSources.create(values), ConfigSources.classpath("application.yaml"))
                .build();
        return BearerAuthFeature.builder().config(config).build().verifier().orElseThrow().policy().impliedScopes();
    }

    @Test
    void whenTheDemoServerReadsItsApplicationYamlThenItHoldsTheDemoTenantsScopeHierarchy() throws Exception {
        Map<String, Set<String>> server = server(Map.of());

        assertThat(server).as("application.yaml mcp.auth.scope-hierarchy vs demo-tenant.yaml scopes[].implies; "
                + "the spec is the source: set the yaml to %s", spec().entries()).isEqualTo(spec().closure());
        assertThat(server).containsEntry("mcp:admin", Set.of("mcp:write", "mcp:read"));
    }

    @Test
    void whenTheDevStackPassesTheSpecsVariableThenTheServerHoldsTheSameHierarchy() throws Exception {
        assertThat(server(Map.of("mcp.auth.scope-hierarchy", spec().variableValue()))).isEqualTo(spec().closure());
    }
}

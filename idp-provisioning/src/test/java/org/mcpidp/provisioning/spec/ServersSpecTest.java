package org.mcpidp.provisioning.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mcpidp.provisioning.DemoTenantFixture;
import org.mcpidp.provisioning.ServersFixture;
import org.mcpidp.provisioning.entra.EntraSpecRules;

/** Several MCP servers in one tenant ({@code servers:}), the one-server form ({@code resource:}), canonical URLs. */
class ServersSpecTest {

    @TempDir
    Path dir;

    private Path write(String yaml) throws IOException {
        return Files.writeString(dir.resolve("tenant.yaml"), yaml);
    }

    private static List<String> errors(Path file, TargetRules rules) {
        try {
            new SpecLoader(Map.of(), rules).load(file);
        } catch (InvalidSpecException e) {
            return e.errors().stream().map(SpecError::toString).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        throw new AssertionError(file + " was accepted");
    }

    private static List<String> errors(Path file) {
        return errors(file, TargetRules.NONE);
    }

    private static final String TWO = ServersFixture.twoServers("shop", "https://orders.example.test/mcp",
            "https://hr.example.test/mcp");

    @Test
    void whenTwoServersAreDeclaredThenEachOwnsItsScopesUrlAndClient() throws Exception {
        TenantSpec tenant = new SpecLoader(Map.of()).load(write(TWO)).tenants().get(0);

        assertThat(tenant.servers()).extracting(ResourceSpec::clientId).containsExactly("orders-mcp", "hr-mcp");
        assertThat(tenant.server("orders-mcp").orElseThrow().scopes()).containsExactly("orders:read", "orders:write");
        assertThat(tenant.server("hr-mcp").orElseThrow().url()).hasToString("https://hr.example.test/mcp");
        assertThat(tenant.serverOf("hr:read").orElseThrow().clientId()).isEqualTo("hr-mcp");
        assertThat(tenant.server("hr-mcp").orElseThrow().secret().envName()).isEqualTo("HR_MCP_SECRET");
        assertThatThrownBy(tenant::resource).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("2 MCP servers");
    }

    @Test
    void whenTheSingleResourceFormIsUsedThenItsServerOwnsEveryScope() throws Exception {
        TenantSpec tenant = new SpecLoader(Map.of()).load(Path.of("../realm-exports/demo-tenant.yaml")).tenants().get(0);

        assertThat(tenant.servers()).singleElement().satisfies(server -> {
            assertThat(server.clientId()).isEqualTo("mcp-server");
            assertThat(server.scopes()).containsExactly("mcp:read", "mcp:write", "mcp:admin");
        });
        assertThat(tenant.resource()).isSameAs(tenant.servers().get(0));
    }

    @Test
    void whenTheUrlHasATrailingSlashOrUpperCaseHostThenTheCanonicalFormIsUsedAndAWarningSaysSo() throws Exception {
        SpecFile spec = new SpecLoader(Map.of()).load(write(DemoTenantFixture.tenantHead("people")
                .replace("http://127.0.0.1:8080/mcp", "https://MCP.Example.test/mcp/") + """
                    scopes:
                      - name: mcp:read
                """));

        assertThat(spec.tenants().get(0).resource().url()).hasToString("https://mcp.example.test/mcp");
        assertThat(spec.warnings()).map(SpecError::toString).singleElement().asString()
                .startsWith("tenant.yaml:4:12: tenants[0].resource.url: 'https://MCP.Example.test/mcp/' is written as "
                        + "'https://mcp.example.test/mcp' (canonical resource URL")
                .contains("AADSTS9010010");
    }

    @Test
    void whenTheUrlHasAQueryThenLocatedError() throws Exception {
        assertThat(errors(write(DemoTenantFixture.tenantHead("people").replace("/mcp", "/mcp?tenant=a"))))
                .containsExactly("tenant.yaml:4:12: tenants[0].resource.url: 'http://127.0.0.1:8080/mcp?tenant=a' has a "
                        + "query: a resource URL names the MCP endpoint only (RFC 8707 section 2)");
    }

    @Test
    void whenBothFormsAreWrittenThenLocatedError() throws Exception {
        String yaml = TWO.replace("    servers:", "    resource:\n      url: http://127.0.0.1:8080/mcp\n"
                + "      clientId: mcp-server\n    servers:");
        assertThat(errors(write(yaml))).containsExactly("tenant.yaml:6:5: tenants[0].servers: write either 'resource' "
                + "(one MCP server, owning every scope) or 'servers' (several, each listing its scopes), not both");
    }

    @Test
    void whenNeitherFormIsWrittenThenTheErrorNamesBoth() throws Exception {
        assertThat(errors(write("""
                tenants:
                  - realm: shop
                """))).containsExactly("tenant.yaml:2:5: tenants[0]: missing required field 'resource' (one MCP server) "
                + "or 'servers' (several)");
    }

    @Test
    void whenAScopeBelongsToTwoServersOrToNoneThenEachIsALocatedError() throws Exception {
        String yaml = TWO.replace("scopes: [hr:read]", "scopes: [orders:read]");
        assertThat(errors(write(yaml))).containsExactly(
                "tenant.yaml:9:18: tenants[0].servers[1].scopes[0]: scope 'orders:read' already belongs to server "
                        + "'orders-mcp': a scope belongs to one server, or a token for one would be accepted by the other",
                "tenant.yaml:17:9: tenants[0].scopes[2]: scope 'hr:read' belongs to no server: list it under the "
                        + "'scopes' of one of 'servers'");
    }

    @Test
    void whenAServerNamesAnUndeclaredScopeOrNoScopesThenLocatedErrors() throws Exception {
        String yaml = TWO.replace("scopes: [hr:read]", "scopes: [hr:raed]")
                .replace("        scopes: [orders:read, orders:write]\n", "");
        assertThat(errors(write(yaml))).containsExactly(
                "tenant.yaml:4:9: tenants[0].servers[0]: missing required field 'scopes' (the scopes this server owns)",
                "tenant.yaml:8:18: tenants[0].servers[1].scopes[0]: scope 'hr:raed' is not declared");
    }

    @Test
    void whenTwoServersShareAUrlOrAClientIdThenLocatedErrors() throws Exception {
        String yaml = TWO.replace("https://hr.example.test/mcp", "https://orders.example.test/mcp/")
                .replace("clientId: hr-mcp", "clientId: agent-both");
        assertThat(errors(write(yaml))).contains(
                "tenant.yaml:7:14: tenants[0].servers[1].url: 'https://orders.example.test/mcp' is already the URL of "
                        + "tenants[0].servers[0]: each MCP server needs its own resource URL",
                "tenant.yaml:26:19: tenants[0].clients[0].clientId: duplicate client 'agent-both'");
    }

    @Test
    void whenPreAuthorizedClientsAreGivenThenTheyAreApplicationIdsInLowerCase() throws Exception {
        String yaml = TWO.replace("        clientId: hr-mcp\n", """
                        clientId: hr-mcp
                        preAuthorizedClients: [AEBC6443-996D-45C2-90F0-388FF96FAA56, vscode]
                """);
        assertThat(errors(write(yaml))).containsExactly("tenant.yaml:9:70: tenants[0].servers[1]"
                + ".preAuthorizedClients[1]: 'vscode' is not an application (client) id (a GUID such as "
                + "aebc6443-996d-45c2-90f0-388ff96faa56)");

        TenantSpec tenant = new SpecLoader(Map.of()).load(write(yaml.replace(", vscode", ""))).tenants().get(0);
        assertThat(tenant.server("hr-mcp").orElseThrow().preAuthorizedClients())
                .containsExactly("aebc6443-996d-45c2-90f0-388ff96faa56");
    }

    @Test
    void whenEntraIsTheTargetThenSeveralServersAreALocatedError() throws Exception {
        assertThat(errors(write(TWO), EntraSpecRules.INSTANCE)).containsExactly("tenant.yaml:3:5: tenants[0].servers: "
                + "the Entra target provisions one MCP server (one API app registration) per tenant spec; write one "
                + "tenant per server (Entra issues every token for exactly one resource anyway)");
    }

    @Test
    void whenEntraIsTheTargetThenAnHttpMcpUrlIsALocatedErrorStatingTheVerifiedDomainRule() throws Exception {
        assertThat(errors(write(DemoTenantFixture.tenantHead("people") + """
                    scopes:
                      - name: mcp:read
                """), EntraSpecRules.INSTANCE)).containsExactly("tenant.yaml:4:12: tenants[0].resource.url: "
                + "'http://127.0.0.1:8080/mcp' cannot be an Entra Application ID URI: Entra accepts https URLs on a "
                + "verified domain of the tenant (or its subdomain) and api:// URIs only; serve the MCP server at "
                + "https://<verified domain>/... and give that URL");
    }

    @Test
    void whenEntraIsTheTargetThenSelfRegistrationIsAWarningNamingTheField() throws Exception {
        SpecFile spec = new SpecLoader(Map.of("MCP_URL", "https://mcp.example.test/mcp"), EntraSpecRules.INSTANCE)
                .load(Path.of("../realm-exports/demo-tenant.yaml"));

        assertThat(spec.warnings()).map(SpecError::toString).anySatisfy(w -> assertThat(w)
                .contains("tenants[0].registration.dynamic: ignored on Entra ID, which has no dynamic client "
                        + "registration (RFC 7591)"));
        assertThat(spec.warnings()).map(SpecError::toString).anySatisfy(w -> assertThat(w)
                .contains("tenants[0].registration.clientIdMetadataDocuments: ignored on Entra ID, which has no OAuth "
                        + "Client ID Metadata Documents"));
    }
}

package org.mcpidp.provisioning.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the CLI tells about the scope hierarchy, which no IdP object carries: validate and export (no IdP contacted)
 * print one line per implication and the MCP server setting; plan and apply print the same block (EntraCliStandInTest
 * for Entra ID).
 */
class ScopeHierarchyOutputTest {

    private static final String DEMO = "../realm-exports/demo-tenant.yaml";
    private static final String LINES = "  mcp:write > mcp:read\n  mcp:admin > mcp:write\n"
            + "  Configure the server with mcp.auth.scope-hierarchy, or "
            + "MCP_AUTH_SCOPE_HIERARCHY='mcp:write > mcp:read,mcp:admin > mcp:write'\n";

    @TempDir
    Path dir;

    private String stdout;
    private String stderr;

    private int run(String... args) {
        return runWith(Map.of(), args);
    }

    private int runWith(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ProvisioningCli.execute(args, env, Prompt.none(), new PrintWriter(out), new PrintWriter(err));
        stdout = out.toString();
        stderr = err.toString();
        return code;
    }

    @Test
    void whenTheDemoIsValidatedThenEachImplicationIsALineWithTheServerSettingAndKeycloakHoldsNone() {
        assertThat(run("validate", DEMO)).isZero();

        assertThat(stdout).contains("Scope hierarchy of mcp-demo, applied by the MCP server, not the IdP (Keycloak has "
                + "none: tokens carry only the scopes granted; nothing in the realm changes for it):\n" + LINES);
    }

    @Test
    void whenValidatedForEntraThenTheNoteSaysEntraTokensCarryOnlyTheGrantedScopes() {
        // Entra takes only an https (verified domain) or api:// Application ID URI, not the demo's loopback http URL.
        assertThat(runWith(Map.of("MCP_URL", "https://mcp.contoso.example/mcp"), "validate", DEMO, "--target", "entra"))
                .as(stderr).isZero();

        assertThat(stdout).contains("(Entra ID has none: tokens carry only the granted scp or roles; nothing in Graph "
                + "changes for it):\n" + LINES);
    }

    @Test
    void whenExportedToAFileThenTheRealmJsonHasNoHierarchyAndTheServerSettingIsPrinted() throws Exception {
        Path json = dir.resolve("realm.json");

        assertThat(run("export", DEMO, "-o", json.toString())).isZero();

        assertThat(stdout).contains("wrote " + json, LINES);
        assertThat(Files.readString(json)).doesNotContain("implies", "mcp:write > mcp:read");
    }

    @Test
    void whenExportedToStdoutThenTheSettingGoesToStderrAndStdoutIsOnlyTheRealmJson() {
        assertThat(run("export", DEMO)).isZero();

        assertThat(stdout.strip()).startsWith("{").endsWith("}").doesNotContain("Scope hierarchy");
        assertThat(stderr).contains(LINES);
    }

    @Test
    void whenNoScopeImpliesAnotherThenNothingIsSaidAboutAHierarchy() throws Exception {
        Path flat = Files.writeString(dir.resolve("flat.yaml"), Files.readString(Path.of(DEMO))
                .replace("        implies: [mcp:read]\n", "").replace("        implies: [mcp:write]\n", ""));

        assertThat(run("validate", flat.toString())).isZero();

        assertThat(stdout).contains("flat.yaml: valid").doesNotContain("Scope hierarchy", "MCP_AUTH_SCOPE_HIERARCHY");
    }
}

package org.mcpidp.provisioning.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mcpidp.provisioning.entra.EntraStandIns;

/**
 * The CLI with {@code --target entra} against the local STAND-INS of Microsoft Graph and the Entra token endpoint
 * (not Microsoft). The connection comes from the environment exactly as in production; only the TLS trust of the
 * stand-ins and a fast backoff are added (see {@link EntraStandIns}).
 */
class EntraCliStandInTest {

    @TempDir
    Path dir;

    private final EntraStandIns standIns = new EntraStandIns();
    private final Map<String, String> env = new HashMap<>(standIns.env());
    {
        // The MCP server's URL is the API's Application ID URI: https on a verified domain of the (stand-in) tenant.
        env.put("MCP_URL", "https://mcp.example.test/mcp");
    }
    private String stdout;
    private String stderr;

    @AfterEach
    void close() {
        standIns.close();
    }

    private int run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ProvisioningCli cli = new ProvisioningCli(env, Prompt.none());
        cli.entra = standIns::provisioner;
        int code = ProvisioningCli.execute(cli, args, new PrintWriter(out), new PrintWriter(err));
        stdout = out.toString();
        stderr = err.toString();
        return code;
    }

    private Path spec() throws Exception {
        return Files.writeString(dir.resolve("tenant.yaml"), Files.readString(Path.of("../realm-exports/demo-tenant.yaml")));
    }

    @Test
    void whenPlanTargetsEntraThenItPrintsTheDiffAndChangesNothing() throws Exception {
        assertThat(run("plan", spec().toString(), "--target", "entra", "--detailed-exitcode")).isEqualTo(3);

        assertThat(stdout).contains("Realm mcp-demo at Entra tenant " + EntraStandIns.TENANT)
                .contains("+ application mcp-server", "requestedAccessTokenVersion: 2", "identifierUris: https://mcp.example.test/mcp",
                        "note: Application ID URI: https://mcp.example.test/mcp",
                        "+ app-role mcp:read", "+ client-secret agent-reader", "+ app-role-assignment agent-admin: admin",
                        "Note: the 3 demo user(s) of mcp-demo are not created in Entra ID",
                        "Note: role-gated scopes (mcp:read, mcp:write, mcp:admin) are app roles only in Entra ID",
                        "Note: Entra app roles have no composites: the agents' included roles are assigned one by one; "
                                + "a person or group given a role that includes others (writer includes reader, admin "
                                + "includes writer) must be assigned those too.",
                        // the hierarchy is the MCP server's: a line per implication, nothing in Graph for it
                        "Scope hierarchy of mcp-demo, applied by the MCP server, not the IdP (Entra ID has none: tokens "
                                + "carry only the granted scp or roles; nothing in Graph changes for it):\n"
                                + "  mcp:write > mcp:read\n  mcp:admin > mcp:write\n"
                                + "  Configure the server with mcp.auth.scope-hierarchy, or "
                                + "MCP_AUTH_SCOPE_HIERARCHY='mcp:write > mcp:read,mcp:admin > mcp:write'\n")
                // Every demo scope is role-gated: none may become a delegated permission or be consented for everyone.
                // The one delegated permission and grant are the downstream API's, for the MCP server's On-Behalf-Of.
                .doesNotContainPattern("\\+ permission-scope (?!orders-api/orders:read\\n)")
                .doesNotContainPattern("\\+ permission-grant (?!orders-api\\n)")
                .contains("+ permission-scope orders-api/orders:read", "+ api-permission orders-api",
                        "+ permission-grant orders-api");
        // Entra has no self-registration: the spec loader says so at each field, as a warning.
        assertThat(stderr).contains("warning: tenant.yaml:", "tenants[0].registration.dynamic: ignored on Entra ID, which "
                + "has no dynamic client registration (RFC 7591)", "tenants[0].registration.clientIdMetadataDocuments: "
                + "ignored on Entra ID, which has no OAuth Client ID Metadata Documents");
        assertThat(standIns.graph().writes()).isEmpty();
        Files.writeString(Path.of("target/entra-plan-example.txt"), stdout);
    }

    @Test
    void whenAppliedToEntraThenSecretsGoOnlyToA0600FileAndReplanShowsNoChanges() throws Exception {
        Path secrets = dir.resolve("entra.secrets.env");

        assertThat(run("apply", spec().toString(), "--target", "entra", "--yes", "--secrets-file", secrets.toString())).isZero();

        assertThat(Files.getPosixFilePermissions(secrets)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        Map<String, String> values = new HashMap<>();
        for (String line : Files.readAllLines(secrets)) {
            if (!line.startsWith("#")) {
                values.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 2, line.length() - 1));
            }
        }
        assertThat(values).containsOnlyKeys("AGENT_READER_SECRET", "AGENT_WRITER_SECRET", "AGENT_ADMIN_SECRET");
        for (String secret : values.values()) {
            assertThat(stdout + stderr).doesNotContain(secret);
        }
        assertThat(stdout + stderr).doesNotContain(EntraStandIns.CLIENT_SECRET);
        assertThat(stdout).contains("Apply complete for mcp-demo");

        assertThat(run("plan", spec().toString(), "--target", "entra", "--detailed-exitcode")).isZero();
        assertThat(stdout).contains("No changes.");
        Files.writeString(Path.of("target/entra-apply-example.txt"), stdout);
    }

    @Test
    void whenAnAppOfTheSpecExistsButIsNotOursThenPlanSaysSoApplyRefusesAndAdoptTakesItOver() throws Exception {
        // Someone else's app registration under the unique name the spec's agent-reader would get, without our tag.
        String uniqueName = "mcpidp:mcp-demo:agent-reader";
        standIns.graph().seedApplicationWithoutTag(uniqueName, "made by hand");
        Path secrets = dir.resolve("entra.secrets.env");

        assertThat(run("plan", spec().toString(), "--target", "entra")).isZero();
        assertThat(stdout).contains("! application agent-reader: exists, not owned: refusing (apply --adopt takes it over)")
                .contains("displayName: made by hand -> agent-reader").contains("(1 not owned: refusing)");

        assertThat(run("apply", spec().toString(), "--target", "entra", "--yes", "--secrets-file", secrets.toString()))
                .isEqualTo(1);
        assertThat(stderr).contains("error: realm mcp-demo: refusing to take over application 'agent-reader'")
                .contains("Nothing was changed").contains("--adopt");
        assertThat(standIns.graph().writes()).isEmpty();
        assertThat(standIns.graph().application(uniqueName).orElseThrow().path("displayName").asText())
                .isEqualTo("made by hand");

        assertThat(run("apply", spec().toString(), "--target", "entra", "--yes", "--adopt", "--secrets-file",
                secrets.toString())).as(stderr).isZero();
        assertThat(stdout).contains("~ application agent-reader: exists, not owned: adopting");
        assertThat(standIns.graph().application(uniqueName).orElseThrow().path("tags").toString())
                .contains("mcpidp:managed-by:mcp-demo");
        assertThat(run("plan", spec().toString(), "--target", "entra", "--detailed-exitcode")).isZero();
        assertThat(stdout).contains("No changes.");
    }

    @Test
    void whenEntraWouldAddSecretsWithoutASecretsFileThenApplyRefusesBeforeAnyWrite() throws Exception {
        assertThat(run("apply", spec().toString(), "--target", "entra", "--yes")).isEqualTo(2);

        assertThat(stderr).contains("give --secrets-file");
        assertThat(standIns.graph().writes()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"unknown-field.yaml", "undeclared-scope.yaml", "bad-url.yaml", "duplicate-names.yaml",
            "missing-env.yaml", "literal-secret.yaml"})
    void scenario06_whenSpecIsInvalidThenEntraApplyExitsTwoWithZeroGraphCalls(String file) throws Exception {
        assertThat(run("apply", invalid(file), "--target", "entra", "--yes", "--secrets-file",
                dir.resolve("s.env").toString())).isEqualTo(2);

        assertThat(stderr).contains("nothing was sent to the IdP");
        assertThat(standIns.graph().requests()).isEmpty();
        assertThat(standIns.login().requests()).isEmpty();
    }

    @Test
    void whenEntraCredentialsAreMissingThenExitTwoNamingTheVariables() throws Exception {
        env.remove("ENTRA_CLIENT_SECRET");

        assertThat(run("plan", spec().toString(), "--target", "entra")).isEqualTo(2);

        assertThat(stderr).contains("ENTRA_TENANT_ID, ENTRA_CLIENT_ID and ENTRA_CLIENT_SECRET");
        assertThat(standIns.login().requests()).isEmpty();
    }

    @Test
    void whenTheProvisioningSecretIsWrongThenExitOneWithTheAadstsCode() throws Exception {
        env.put("ENTRA_CLIENT_SECRET", "wrong-secret-value");

        assertThat(run("plan", spec().toString(), "--target", "entra")).isEqualTo(1);

        assertThat(stderr.lines().filter(l -> !l.startsWith("warning: ")).findFirst().orElse(""))
                .startsWith("error: ").contains("AADSTS7000215");
        assertThat(stderr).doesNotContain("wrong-secret-value");
        assertThat(standIns.graph().requests()).isEmpty();
    }

    @Test
    void whenTheMcpUrlIsHttpThenValidateForEntraNamesTheFieldAndTheRule() throws Exception {
        env.remove("MCP_URL");

        assertThat(run("validate", spec().toString(), "--target", "entra")).isEqualTo(2);

        assertThat(stderr).contains("tenant.yaml:", "tenants[0].resource.url: 'http://127.0.0.1:8080/mcp' cannot be an "
                + "Entra Application ID URI: Entra accepts https URLs on a verified domain of the tenant");
        assertThat(standIns.login().requests()).isEmpty();
    }

    @Test
    void whenKeycloakUrlIsGivenWithEntraThenExitTwo() throws Exception {
        assertThat(run("plan", spec().toString(), "--target", "entra", "--keycloak-url", "http://127.0.0.1:1")).isEqualTo(2);
        assertThat(stderr).contains("--keycloak-url does not apply to --target entra");
    }

    @Test
    void whenHelpIsAskedThenTargetAndExportLimitsAreExplained() {
        assertThat(run("plan", "--help")).isZero();
        assertThat(stdout).contains("--target", "entra", "ENTRA_TENANT_ID");
        assertThat(run("export", "--help")).isZero();
        assertThat(stdout).contains("Keycloak only");
    }

    private static String invalid(String name) throws URISyntaxException {
        return Path.of(EntraCliStandInTest.class.getResource("/invalid/" + name).toURI()).toString();
    }
}

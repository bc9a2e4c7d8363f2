package org.mcpidp.provisioning.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mcpidp.testkit.KeycloakExtension;
import org.mcpidp.testkit.KeycloakServer;

@ExtendWith(KeycloakExtension.class)
class ProvisioningCliTest {

    @TempDir
    Path dir;

    private KeycloakServer server;
    private final String realm = "c-" + HexFormat.of().formatHex(randomBytes());
    private Map<String, String> env;
    private String stdout;
    private String stderr;

    private static byte[] randomBytes() {
        byte[] bytes = new byte[5];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    @BeforeEach
    void setUp(KeycloakServer server) {
        this.server = server;
        env = new HashMap<>(Map.of("KEYCLOAK_URL", server.baseUrl(), "KEYCLOAK_ADMIN_USER", server.adminUser(),
                "KEYCLOAK_ADMIN_PASSWORD", server.adminPassword()));
    }

    @AfterEach
    void deleteRealm() {
        try {
            server.admin().delete("/" + realm);
        } catch (RuntimeException notCreated) {
            // most tests never create it
        }
    }

    private int run(Prompt prompt, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ProvisioningCli.execute(args, env, prompt, new PrintWriter(out), new PrintWriter(err));
        stdout = out.toString();
        stderr = err.toString();
        return code;
    }

    private int run(String... args) {
        return run(Prompt.none(), args);
    }

    private Path spec() throws Exception {
        String demo = Files.readString(Path.of("../realm-exports/demo-tenant.yaml"));
        return Files.writeString(dir.resolve("tenant.yaml"), demo.replace("realm: mcp-demo", "realm: " + realm));
    }

    private static String invalid(String name) throws URISyntaxException {
        return Path.of(ProvisioningCliTest.class.getResource("/invalid/" + name).toURI()).toString();
    }

    private boolean realmExists() {
        try {
            server.admin().get("/" + realm);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"--help", "validate --help", "plan --help", "apply --help", "export --help"})
    void whenHelpIsAskedThenUsageIsPrintedAndExitIsZero(String args) {
        assertThat(run(args.split(" "))).isZero();
        assertThat(stdout).contains("Usage:");
    }

    @Test
    void whenSpecIsValidThenValidateExitsZero() throws Exception {
        assertThat(run("validate", spec().toString())).isZero();
        assertThat(stdout).contains("valid");
    }

    @Test
    void whenAnOpenScopeIsOfferedToPeopleThenValidateWarnsWithItsLocationAndExitsZero() throws Exception {
        Path open = Files.writeString(dir.resolve("open.yaml"), Files.readString(spec())
                .replace("Call read-only MCP tools\n        roles: [reader]\n", "Call read-only MCP tools\n"));

        int line = lineOf(Files.readString(open), "  - name: mcp:read\n");

        assertThat(run("validate", open.toString())).isZero();

        assertThat(stdout).contains("open.yaml: valid");
        assertThat(stderr.lines().filter(l -> l.startsWith("warning: ")).toList()).containsExactly(
                "warning: open.yaml:" + line + ":9: tenants[0].scopes[0]: scope 'mcp:read' has no roles: every user of "
                        + "interactive client 'mcp-inspector' can obtain it");
    }

    @Test
    void whenAScopeHasAKeycloakBuiltInNameThenValidateRefusesItForKeycloakOnlyWithItsLocation() throws Exception {
        Path builtIn = Files.writeString(dir.resolve("builtin.yaml"), Files.readString(spec())
                .replace("  - name: mcp:read\n", "  - name: phone\n").replace("[mcp:read", "[phone")
                .replace("mcp:read]", "phone]").replace(", mcp:read,", ", phone,"));

        int line = lineOf(Files.readString(builtIn), "  - name: phone\n");

        assertThat(run("validate", builtIn.toString())).isEqualTo(2);
        assertThat(stderr).contains("builtin.yaml:" + line + ":").contains("tenants[0].scopes[0].name: 'phone' is one of "
                + "Keycloak's built-in scopes");

        // Entra takes only an https (verified domain) or api:// Application ID URI, so the Entra copy serves one.
        Path forEntra = Files.writeString(dir.resolve("builtin-entra.yaml"), Files.readString(builtIn)
                .replace("${MCP_URL:-http://127.0.0.1:8080/mcp}", "https://mcp.contoso.example/mcp"));
        assertThat(run("validate", forEntra.toString(), "--target", "entra")).as(stderr).isZero();
        assertThat(stdout).contains("builtin-entra.yaml: valid");
    }

    @ParameterizedTest
    @CsvSource({
            "unknown-field.yaml, 'unknown-field.yaml:8:9: tenants[0].scopes[0].descripton: unknown field'",
            "undeclared-scope.yaml, 'undeclared-scope.yaml:16:13: tenants[0].clients[1].scopes[0]: scope ''mcp:writ'' is not declared'",
            "bad-url.yaml, 'bad-url.yaml:4:12: tenants[0].resource.url: ''not a url'' is not a valid URL'",
            "duplicate-names.yaml, 'duplicate-names.yaml:8:15: tenants[0].scopes[1].name: duplicate scope'",
            "missing-env.yaml, 'missing-env.yaml:4:12: tenants[0].resource.url: environment variable MCPIDP_TEST_UNSET_URL is not set'"})
    void scenario07_whenSpecIsInvalidThenApplyExitsTwoAndWritesNothing(String file, String expected) throws Exception {
        String spec = Files.readString(Path.of(invalid(file))).replaceFirst("realm: \\S+", "realm: " + realm);
        Path copy = Files.writeString(dir.resolve(file), spec);

        assertThat(run("apply", copy.toString(), "--yes")).isEqualTo(2);

        assertThat(stderr).contains(expected).contains("nothing was sent to the IdP");
        assertThat(realmExists()).isFalse();
    }

    @Test
    void whenNoConsoleAndNoYesThenApplyRefusesAndWritesNothing() throws Exception {
        assertThat(run(Prompt.none(), "apply", spec().toString(), "--secrets-file", dir.resolve("s.env").toString())).isEqualTo(2);
        assertThat(stderr).contains("Re-run with --yes");
        assertThat(realmExists()).isFalse();
    }

    @Test
    void whenAnswerIsNotYesThenApplyIsCancelled() throws Exception {
        assertThat(run(q -> Optional.of("no"), "apply", spec().toString(), "--secrets-file", dir.resolve("s.env").toString()))
                .isEqualTo(1);
        assertThat(realmExists()).isFalse();
    }

    @Test
    void whenAppliedWithYesThenSecretsGoOnlyToA0600File() throws Exception {
        Path secrets = dir.resolve("tenant.secrets.env");

        assertThat(run("apply", spec().toString(), "--yes", "--secrets-file", secrets.toString())).isZero();

        assertThat(Files.getPosixFilePermissions(secrets)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        Map<String, String> values = new HashMap<>();
        for (String line : Files.readAllLines(secrets)) {
            if (!line.startsWith("#")) {
                values.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 2, line.length() - 1));
            }
        }
        assertThat(values).containsKeys("MCP_SERVER_SECRET", "AGENT_READER_SECRET", "ALICE_PASSWORD", "BOB_PASSWORD");
        for (String secret : values.values()) {
            assertThat(secret).hasSizeGreaterThan(15);
            assertThat(stdout).doesNotContain(secret);
            assertThat(stderr).doesNotContain(secret);
        }
        assertThat(stdout).contains("Apply complete for " + realm);
    }

    @Test
    void whenSecretsFileIsJsonThenItIsJsonAnd0600() throws Exception {
        Path secrets = dir.resolve("secrets.json");
        assertThat(run("apply", spec().toString(), "--yes", "--secrets-file", secrets.toString())).isZero();
        assertThat(Files.getPosixFilePermissions(secrets)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(secrets)).startsWith("{").contains("\"MCP_SERVER_SECRET\"");
    }

    @Test
    void whenPlanFindsChangesThenDetailedExitCodeIsThreeAndZeroAfterApply() throws Exception {
        Path spec = spec();
        assertThat(run("plan", spec.toString(), "--detailed-exitcode")).isEqualTo(3);
        assertThat(stdout).contains("+ client agent-reader");
        assertThat(realmExists()).isFalse();

        assertThat(run("apply", spec.toString(), "--yes", "--secrets-file", dir.resolve("s.env").toString())).isZero();
        assertThat(run("plan", spec.toString(), "--detailed-exitcode")).isZero();
        assertThat(stdout).contains("No changes.");
    }

    @Test
    void whenAClientOfTheSpecExistsButIsNotOursThenPlanSaysSoApplyRefusesAndAdoptTakesItOver() throws Exception {
        Path spec = spec();
        Path secrets = dir.resolve("s.env");
        assertThat(run("apply", spec.toString(), "--yes", "--secrets-file", secrets.toString())).isZero();
        // Someone else's client under a client id the spec gives: made by hand in place of the one apply made.
        server.admin().delete("/" + realm + "/clients/" + clientJson("agent-reader").path("id").asText());
        server.admin().post("/" + realm + "/clients", Map.of("clientId", "agent-reader", "description", "made by hand",
                "publicClient", true, "redirectUris", List.of("https://elsewhere.example/cb")));

        assertThat(run("plan", spec.toString())).isZero();
        assertThat(stdout).contains("! client agent-reader: exists, not owned: refusing (apply --adopt takes it over)")
                .contains("description: made by hand -> Machine agent that only reads")
                .contains("(1 not owned: refusing)");

        assertThat(run("apply", spec.toString(), "--yes", "--secrets-file", secrets.toString())).isEqualTo(1);
        assertThat(stderr).contains("error: realm " + realm + ": refusing to take over client 'agent-reader'")
                .contains("Nothing was changed").contains("--adopt");
        assertThat(clientJson("agent-reader").path("description").asText()).isEqualTo("made by hand");
        assertThat(clientJson("agent-reader").path("attributes").has("mcpidp.managed-by")).isFalse();

        assertThat(run("plan", spec.toString(), "--adopt")).isZero();
        assertThat(stdout).contains("~ client agent-reader: exists, not owned: adopting");
        assertThat(run("apply", spec.toString(), "--yes", "--adopt", "--secrets-file", secrets.toString()))
                .as(stderr).isZero();
        assertThat(stdout).contains("~ client agent-reader: exists, not owned: adopting");
        JsonNode adopted = clientJson("agent-reader");
        assertThat(adopted.path("attributes").path("mcpidp.managed-by").asText()).isEqualTo(realm);
        assertThat(adopted.path("publicClient").asBoolean()).isFalse();
        assertThat(adopted.path("serviceAccountsEnabled").asBoolean()).isTrue();
        assertThat(adopted.path("redirectUris")).isEmpty();
        assertThat(run("plan", spec.toString(), "--detailed-exitcode")).isZero();
        assertThat(stdout).contains("No changes.");
    }

    private JsonNode clientJson(String clientId) {
        return server.admin().get("/" + realm + "/clients?clientId=" + clientId).get(0);
    }

    @Test
    void whenAdminCredentialsAreMissingThenExitTwo() throws Exception {
        env.remove("KEYCLOAK_ADMIN_PASSWORD");
        assertThat(run("plan", spec().toString())).isEqualTo(2);
        assertThat(stderr).contains("KEYCLOAK_ADMIN_USER and KEYCLOAK_ADMIN_PASSWORD");
    }

    @Test
    void whenAdminCredentialsAreWrongThenExitOneWithAClearErrorAndNoRealm() throws Exception {
        env.put("KEYCLOAK_ADMIN_PASSWORD", "wrong-admin-password-for-this-test");
        assertThat(run("apply", spec().toString(), "--yes", "--secrets-file", dir.resolve("s.env").toString())).isEqualTo(1);
        assertThat(stderr).startsWith("error:").contains("Keycloak refused the admin login").doesNotContain("wrong-admin-password")
                .doesNotContain("\tat ");
        assertThat(realmExists()).isFalse();
    }

    @Test
    void whenKeycloakIsUnreachableThenExitOne() throws Exception {
        env.put("KEYCLOAK_URL", "http://127.0.0.1:" + org.mcpidp.testkit.FreePort.find());
        assertThat(run("plan", spec().toString())).isEqualTo(1);
        assertThat(stderr).startsWith("error:");
    }

    /** The 1-based line on which {@code needle} starts: the demo tenant's header may grow without breaking a test. */
    private static int lineOf(String text, String needle) {
        int at = text.indexOf(needle);
        assertThat(at).as("the spec contains %s", needle.strip()).isNotNegative();
        return (int) text.substring(0, at).chars().filter(c -> c == '\n').count() + 1;
    }
}

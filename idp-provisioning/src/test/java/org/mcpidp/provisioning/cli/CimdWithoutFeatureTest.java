package org.mcpidp.provisioning.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mcpidp.testkit.KeycloakServer;

/**
 * Client ID Metadata Documents are EXPERIMENTAL in Keycloak 26.7.3 and need {@code --features=cimd}. On a server
 * without it, a realm holding a {@code client-id-uri} policy answers every authorization request with HTTP 500, so
 * plan and apply must refuse (exit 1: the spec is valid, the server cannot do it) and write nothing. Runs its own
 * Keycloak, started without the feature.
 */
class CimdWithoutFeatureTest {

    private static KeycloakServer server;

    @TempDir
    static Path dir;

    @BeforeAll
    static void startKeycloakWithoutCimd() {
        // The test kit turns CIMD on for every test Keycloak unless told otherwise.
        server = KeycloakServer.startDedicated(List.of("--features-disabled=cimd"), Map.of());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private String stdout;
    private String stderr;

    private int run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Map<String, String> env = Map.of("KEYCLOAK_URL", server.baseUrl(), "KEYCLOAK_ADMIN_USER", server.adminUser(),
                "KEYCLOAK_ADMIN_PASSWORD", server.adminPassword(), "ALICE_PASSWORD", "a-pw-1", "BOB_PASSWORD", "b-pw-1",
                "CAROL_PASSWORD", "c-pw-1");
        int code = ProvisioningCli.execute(args, env, Prompt.none(), new PrintWriter(out), new PrintWriter(err));
        stdout = out.toString();
        stderr = err.toString();
        return code;
    }

    /** The demo tenant under {@code realm} without its metadata documents, with a people section naming {@code clients}. */
    private static Path people(String realm, String clients) throws Exception {
        String text = Files.readString(Path.of("../realm-exports/demo-tenant.yaml")).replace("realm: mcp-demo", "realm: " + realm);
        text = text.substring(0, text.indexOf("      # Client ID Metadata Documents")) + "    people:\n      clients: ["
                + clients + "]\n";
        return Files.writeString(dir.resolve(realm + ".yaml"), text);
    }

    @Test
    void whenAClientOfPeopleNeedsAMetadataDocumentThenPlanAndApplyRefuseNamingItAndCreateNothing() throws Exception {
        Path spec = people("cimd-people", "cursor, vscode");

        assertThat(run("plan", spec.toString())).isEqualTo(1);
        assertThat(stderr).contains("people.clients vscode (Visual Studio Code) signs in with its Client ID Metadata "
                + "Document, which needs Keycloak's EXPERIMENTAL feature cimd", "--features=cimd", "HTTP 500");
        assertThat(run("apply", spec.toString(), "--yes", "--secrets-file", dir.resolve("s3.env").toString())).isEqualTo(1);
        assertThat(server.admin().get("").findValuesAsText("realm")).doesNotContain("cimd-people");
    }

    @Test
    void whenThePeoplesClientsArePreRegisteredThenThePlanSaysHowEachGetsInAndWhyClaudeAndChatGptCannotUseTheirDocuments()
            throws Exception {
        assertThat(run("plan", people("people-notes", "cursor, claude, chatgpt").toString())).as(stderr).isZero();

        assertThat(stdout).contains("+ client cursor", "+ client claude", "+ client chatgpt")
                .contains("Note: people.clients cursor: pre-registered as client 'cursor' (Cursor publishes no metadata "
                        + "document)")
                .contains("Note: people.clients claude: pre-registered as client 'claude': Keycloak 26.7.3 refuses "
                        + "claude.ai's metadata document whatever the settings (it lists the jwt-bearer grant for a public "
                        + "client")
                .contains("Note: people.clients chatgpt: pre-registered as client 'chatgpt': Keycloak 26.7.3 refuses "
                        + "ChatGPT's metadata document whatever the settings (it cannot read its "
                        + "token_endpoint_auth_methods_supported member");
    }

    private static Path demo(String realm, boolean cimd) throws Exception {
        String text = Files.readString(Path.of("../realm-exports/demo-tenant.yaml")).replace("realm: mcp-demo", "realm: " + realm);
        if (!cimd) {
            text = text.substring(0, text.indexOf("      # Client ID Metadata Documents"));
        }
        return Files.writeString(dir.resolve(realm + (cimd ? "-cimd" : "") + ".yaml"), text);
    }

    @Test
    void whenTheRealmIsNewThenPlanAndApplyRefuseAndCreateNothing() throws Exception {
        Path spec = demo("cimd-new", true);

        assertThat(run("plan", spec.toString())).isEqualTo(1);
        assertThat(stderr).contains("needs Keycloak's EXPERIMENTAL feature cimd", "--features=cimd", "HTTP 500");
        assertThat(run("apply", spec.toString(), "--yes", "--secrets-file", dir.resolve("s.env").toString())).isEqualTo(1);
        assertThat(stderr).contains("refusing to write the client-id-uri policy");
        assertThat(server.admin().get("").findValuesAsText("realm")).doesNotContain("cimd-new");
    }

    @Test
    void whenTheRealmExistsThenApplyRefusesAndTheRealmKeepsAnsweringAuthorizationRequests() throws Exception {
        assertThat(run("apply", demo("cimd-old", false).toString(), "--yes", "--secrets-file",
                dir.resolve("s2.env").toString())).isZero();

        assertThat(run("apply", demo("cimd-old", true).toString(), "--yes", "--secrets-file",
                dir.resolve("s2.env").toString())).isEqualTo(1);

        JsonNode policies = server.admin().get("/cimd-old/client-policies/policies").path("policies");
        // the realm keeps only the policies it had (PKCE for self-registered clients, and the token-exchange downscope
        // policy of its downstream API)
        assertThat(policies.findValuesAsText("name")).containsExactly("mcpidp-registered-clients-pkce",
                "mcpidp-token-exchange-downscope");
        var http = server.admin().http();
        try (var response = http.newCall(new okhttp3.Request.Builder().url(server.baseUrl()
                + "/realms/cimd-old/protocol/openid-connect/auth?client_id=mcp-inspector&response_type=code"
                + "&redirect_uri=http%3A%2F%2Flocalhost%3A6274%2Foauth%2Fcallback&code_challenge=" + "a".repeat(43)
                + "&code_challenge_method=S256&scope=mcp%3Aread").build()).execute()) {
            assertThat(response.code()).isEqualTo(200);
        }
        assertThat(stdout).doesNotContain("mcpidp-client-id-metadata-document");
    }
}

package org.mcpidp.provisioning.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Credentials;
import okhttp3.FormBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mcpidp.testkit.KeycloakServer;
import org.mcpidp.verifier.AccessPolicy;
import org.mcpidp.verifier.AuthInfo;
import org.mcpidp.verifier.TokenVerifier;
import org.mcpidp.verifier.TrustedIssuer;

/**
 * The checked-in {@code realm-exports/mcp-demo-realm.json}, imported by a Keycloak started with {@code --import-realm}
 * (its own process, not the shared fixture), issues agent tokens that the verifier accepts in both modes.
 */
class RealmImportTest {

    private static final Path EXPORT = Path.of("..", "realm-exports", "mcp-demo-realm.json");
    private static final String REALM = "mcp-demo";
    private static final String SERVER_CLIENT = "mcp-server";
    /** Keycloak's own placeholders (consent texts, {@code ${client_id}}) are lower/camel case; ours are env-style. */
    private static final Pattern ENV_PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static KeycloakServer keycloak;
    private static Map<String, String> env;
    private static String resourceUrl;

    @BeforeAll
    static void startKeycloakImportingTheExport() throws Exception {
        String export = Files.readString(EXPORT);
        env = randomValuesFor(export);
        resourceUrl = resourceAudience(JSON.readTree(export));
        Path importDir = Files.createDirectories(KeycloakServer.distributionHome().resolve("data/import"));
        Path imported = importDir.resolve("mcp-demo-realm-" + random() + ".json");
        Files.copy(EXPORT, imported);
        try {
            // The export holds a client-id-uri policy (Client ID Metadata Documents, EXPERIMENTAL in Keycloak 26.7.3):
            // Keycloak refuses to import it without the feature.
            keycloak = KeycloakServer.startDedicated(List.of("--import-realm", "--features=cimd"), env);
        } finally {
            // Keycloak has read it once ready; later starts of any Keycloak from this distribution must not see it.
            Files.deleteIfExists(imported);
        }
    }

    @AfterAll
    static void stopKeycloak() {
        if (keycloak != null) {
            keycloak.close();
        }
    }

    @Test
    void whenExportIsReadThenItsSecretsAreTheEnvPlaceholdersTheTestSets() {
        assertThat(env).containsOnlyKeys("MCP_SERVER_SECRET", "AGENT_READER_SECRET", "AGENT_WRITER_SECRET",
                "AGENT_ADMIN_SECRET", "ALICE_PASSWORD", "BOB_PASSWORD", "CAROL_PASSWORD");
    }

    @Test
    void whenImportedThenLoopbackClientsRegisterThemselvesAndOthersAreRefused() {
        SelfServiceEndpoints endpoints = new SelfServiceEndpoints(keycloak.baseUrl(), REALM);

        SelfServiceEndpoints.Answer desktop = endpoints.register(Map.of("client_name", "desktop app",
                "redirect_uris", List.of("http://127.0.0.1:33418/callback"), "token_endpoint_auth_method", "none",
                "scope", "mcp:read mcp:admin"));
        SelfServiceEndpoints.Answer attacker = endpoints.register(Map.of("client_name", "evil",
                "redirect_uris", List.of("https://attacker.example/cb"), "token_endpoint_auth_method", "none"));
        // The MCP Inspector 2.12.0's registration: its home page (client_uri) is on github.com, its redirect on loopback.
        SelfServiceEndpoints.Answer inspector = endpoints.register(Map.of("client_name", "MCP Inspector",
                "client_uri", "https://github.com/modelcontextprotocol/inspector", "application_type", "native",
                "redirect_uris", List.of("http://127.0.0.1:6274/oauth/callback"), "token_endpoint_auth_method", "none",
                "grant_types", List.of("authorization_code", "refresh_token"), "scope", "mcp:read mcp:write mcp:admin"));

        assertThat(desktop.status()).isEqualTo(201);
        // The export's client policy: a self-registered client must use PKCE with S256.
        assertThat(endpoints.authorize(Map.of("client_id", desktop.body().path("client_id").asText(), "response_type", "code",
                "redirect_uri", "http://127.0.0.1:33418/callback", "scope", "mcp:read")).error()).isEqualTo("invalid_request");
        assertThat(attacker.status()).isEqualTo(403);
        assertThat(inspector.status()).as(inspector.body().toString()).isEqualTo(201);
        assertThat(endpoints.discovery().path("scopes_supported").toString()).doesNotContain("offline_access");
        // The export keeps offline_access out of the realm's default optional scopes: a registration asking is refused.
        assertThat(endpoints.register(Map.of("client_name", "wants offline", "redirect_uris",
                List.of("http://127.0.0.1:33418/callback"), "token_endpoint_auth_method", "none",
                "scope", "mcp:read offline_access")).status()).isEqualTo(403);
        assertThat(endpoints.discovery().path("client_id_metadata_document_supported").asBoolean()).isTrue();
    }

    @Test
    void whenImportedThenAPlanAgainstItHasNothingToDo() {
        try (KeycloakProvisioner provisioner = TenantFixture.provisioner(keycloak)) {
            var spec = new org.mcpidp.provisioning.spec.SpecLoader(Map.of()).load(EXPORT.resolveSibling("demo-tenant.yaml"))
                    .tenants().get(0);

            assertThat(provisioner.plan(spec).changes()).isEmpty();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void whenImportedAgentTokenIsIntrospectedThenTheVerifierAcceptsItWithScopeAndBothAudiences() throws Exception {
        String issuer = keycloak.issuer(REALM);
        TokenVerifier verifier = TokenVerifier.builder()
                .policy(AccessPolicy.builder().audiences(resourceUrl, SERVER_CLIENT).build())
                .issuer(TrustedIssuer.introspection(issuer, SERVER_CLIENT, env.get("MCP_SERVER_SECRET")).build())
                .build();

        assertIsAgentReader(verifier.verify(readerToken()), issuer);
    }

    @Test
    void whenImportedAgentTokenIsCheckedAsJwtThenTheVerifierAcceptsItWithScopeAndBothAudiences() throws Exception {
        String issuer = keycloak.issuer(REALM);
        TokenVerifier verifier = TokenVerifier.builder()
                .policy(AccessPolicy.builder().audiences(resourceUrl, SERVER_CLIENT).build())
                .issuer(TrustedIssuer.jwt(issuer).build())
                .build();

        assertIsAgentReader(verifier.verify(readerToken()), issuer);
    }

    private static void assertIsAgentReader(AuthInfo info, String issuer) {
        assertThat(info.issuer()).isEqualTo(issuer);
        assertThat(info.clientId()).contains("agent-reader");
        assertThat(info.scopes()).contains("mcp:read").doesNotContain("mcp:write", "mcp:admin");
        assertThat(info.audiences()).contains(resourceUrl, SERVER_CLIENT);
    }

    private static String readerToken() throws Exception {
        return clientCredentialsToken(keycloak.issuer(REALM), "agent-reader", env.get("AGENT_READER_SECRET"), "mcp:read");
    }

    private static String clientCredentialsToken(String issuer, String clientId, String secret, String scope)
            throws Exception {
        OkHttpClient http = new OkHttpClient();
        Request request = new Request.Builder().url(issuer + "/protocol/openid-connect/token")
                .header("Authorization", Credentials.basic(clientId, secret))
                .post(new FormBody.Builder().add("grant_type", "client_credentials").add("scope", scope).build())
                .build();
        try (Response response = http.newCall(request).execute()) {
            String body = response.body().string();
            assertThat(response.code()).as("token response %s", body).isEqualTo(200);
            return JSON.readTree(body).get("access_token").asText();
        } finally {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
    }

    /** The MCP resource URL the export's {@code mcp:read} scope puts into {@code aud}. */
    private static String resourceAudience(JsonNode realm) {
        for (JsonNode scope : realm.get("clientScopes")) {
            if (scope.get("name").asText().equals("mcp:read")) {
                for (JsonNode mapper : scope.get("protocolMappers")) {
                    JsonNode audience = mapper.get("config").get("included.custom.audience");
                    if (audience != null) {
                        return audience.asText();
                    }
                }
            }
        }
        throw new AssertionError("the export has no mcp:read scope with a custom audience");
    }

    private static Map<String, String> randomValuesFor(String export) {
        Map<String, String> values = new TreeMap<>();
        Matcher matcher = ENV_PLACEHOLDER.matcher(export);
        while (matcher.find()) {
            values.computeIfAbsent(matcher.group(1), name -> random());
        }
        return values;
    }

    private static String random() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}

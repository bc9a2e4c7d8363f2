package org.mcpidp.provisioning.keycloak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.tls.HandshakeCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mcpidp.provisioning.ApplyListener;
import org.mcpidp.provisioning.DemoTenantFixture;
import org.mcpidp.provisioning.SecretSink;
import org.mcpidp.provisioning.spec.ClientProfile;
import org.mcpidp.provisioning.spec.TenantSpec;
import org.mcpidp.testkit.KeycloakServer;
import org.mcpidp.testkit.LoopbackTls;

/**
 * {@code people.clients} on the real Keycloak 26.7.3 (EXPERIMENTAL cimd feature on): every profile signs a person in
 * through Keycloak's real authorization endpoint, in a real browser (Debian's Chromium), to a token whose scopes
 * follow her roles: alice (reader) asking for everything gets {@code mcp:read} only, bob (admin) gets every scope.
 *
 * <p>Keycloak cannot reach claude.ai, vscode.dev or chatgpt.com here. So this test starts a Keycloak of its own that
 * resolves those names to loopback ({@code -Djdk.net.hosts.file}) and trusts the testkit's loopback authority, and
 * serves copies of the documents those clients publish (src/test/resources/client-documents, provenance in
 * docs/clients.md) over https with a certificate for those names. Keycloak thus checks the profiles' real domains and
 * the documents' real redirect URIs; only the client id carries the test server's port. The redirect back to the
 * client is stopped in the browser (claude.ai's callback does not exist here); the code is exchanged as the client
 * would, with its PKCE verifier.
 */
class ClientProfilesTest {

    private static final Path CHROMIUM = Path.of(System.getProperty("people.e2e.chromium", "/usr/bin/chromium"));
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path WORK = Path.of("target", "client-profiles");
    private static final List<String> DOMAINS = List.of("claude.ai", "vscode.dev", "insiders.vscode.dev", "chatgpt.com",
            "code.visualstudio.com");
    private static final String ALL_SCOPES = "mcp:read mcp:write mcp:admin";
    private static final String VERIFIER = "profiles-test-verifier-" + "v".repeat(40);
    private static final String PROFILES = """
            people:
              clients: [claude-code, vscode, cursor, claude, chatgpt, mcp-inspector]
              sessionIdle: 20m
              sessionMax: 8h
            """;

    private static KeycloakServer keycloak;
    private static MockWebServer documents;
    private static final ConcurrentLinkedQueue<String> fetched = new ConcurrentLinkedQueue<>();
    private static HeadlessChromium browser;
    private static KeycloakProvisioner provisioner;
    private static TenantSpec tenant;
    private static String realm;
    private static final OkHttpClient http = new OkHttpClient.Builder().followRedirects(false).build();

    @BeforeAll
    static void startKeycloakThatResolvesTheClientsDomainsToLoopback() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "Chromium is not installed at " + CHROMIUM
                + ": install Debian's chromium package (bash .ci/run does)");
        Files.createDirectories(WORK);
        Path hosts = Files.writeString(WORK.resolve("hosts"), "127.0.0.1 localhost "
                + InetAddress.getLocalHost().getHostName() + " " + String.join(" ", DOMAINS) + "\n::1 localhost\n");
        keycloak = KeycloakServer.startDedicated(List.of(), Map.of("JAVA_OPTS_APPEND", "-Djdk.net.hosts.file="
                + hosts.toAbsolutePath()));
        LoopbackTls tls = keycloak.loopbackTls().orElseThrow();
        documents = new MockWebServer();
        documents.useHttps(new HandshakeCertificates.Builder()
                .heldCertificate(tls.serverCertificateFor(DOMAINS.toArray(String[]::new))).build().sslSocketFactory());
        documents.setDispatcher(new PublishedDocuments());
        documents.start(InetAddress.getByName("127.0.0.1"), 0);

        realm = TenantFixture.randomRealm();
        tenant = DemoTenantFixture.tenant(Files.createDirectories(WORK), TenantFixture.people(realm, PROFILES),
                TenantFixture.PASSWORDS);
        provisioner = TenantFixture.provisioner(keycloak);
        provisioner.apply(provisioner.plan(tenant), SecretSink.discard(), ApplyListener.silent());
        browser = HeadlessChromium.launch(CHROMIUM, WORK);
    }

    @AfterAll
    static void stop() throws IOException {
        if (browser != null) {
            browser.close();
        }
        if (provisioner != null) {
            provisioner.close();
        }
        if (documents != null) {
            documents.close();
        }
        if (keycloak != null) {
            keycloak.close();
        }
    }

    /** The copies of what claude.ai, vscode.dev and chatgpt.com publish, by host and path. */
    private static final class PublishedDocuments extends Dispatcher {
        private static final Map<String, String> FILES = Map.of(
                "claude.ai/oauth/claude-code-client-metadata", "claude-code.json",
                "claude.ai/oauth/mcp-oauth-client-metadata", "claude.json",
                "vscode.dev/oauth/client-metadata.json", "vscode.json",
                "chatgpt.com/oauth/client.json", "chatgpt.json");

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            String host = request.getHeaders().get("Host").replaceFirst(":\\d+$", "");
            String file = FILES.get(host + request.getUrl().encodedPath());
            fetched.add(host + request.getUrl().encodedPath());
            if (file == null) {
                return new MockResponse.Builder().code(404).build();
            }
            return new MockResponse.Builder().addHeader("Content-Type", "application/json").body(document(file)).build();
        }
    }

    /** A published document with its own URLs moved to the test server's port (its client id must be that URL). */
    private static String document(String file) {
        try (InputStream in = ClientProfilesTest.class.getResourceAsStream("/client-documents/" + file)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (String host : DOMAINS) {
                text = text.replace("\"https://" + host + "/oauth/", "\"https://" + host + ":" + documents.getPort() + "/oauth/");
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The client id a client uses: its document's URL (on the test server's port), or the pre-registered id. */
    private static String clientId(ClientProfile client) {
        return client.registration() == ClientProfile.Registration.METADATA_DOCUMENT
                ? client.documents().get(0).replaceFirst("^(https://[^/]+)", "$1:" + documents.getPort())
                : client.clientId().orElseThrow();
    }

    /** The redirect URI each client sends (docs/clients.md), one per profile that signs people in here. */
    static Stream<Arguments> signIns() {
        return Stream.of(
                Arguments.of(ClientProfile.CLAUDE_CODE, "http://localhost:3118/callback"),
                Arguments.of(ClientProfile.VSCODE, "http://127.0.0.1:33418/"),
                Arguments.of(ClientProfile.CURSOR, "http://localhost:8787/callback"),
                Arguments.of(ClientProfile.CLAUDE, "https://claude.ai/api/mcp/auth_callback"),
                Arguments.of(ClientProfile.CHATGPT, "https://chatgpt.com/connector_platform_oauth_redirect"));
    }

    private record Token(JsonNode answer, JsonNode claims, HeadlessChromium.SignIn signIn) {
        Set<String> scopes() {
            return Set.of(answer.path("scope").asText().split(" "));
        }
    }

    /** A person signs in from {@code client} in the browser; the client exchanges the code (public client, PKCE). */
    private static Token signIn(ClientProfile client, String redirect, String username) throws Exception {
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(VERIFIER.getBytes(StandardCharsets.US_ASCII)));
        HttpUrl authorize = HttpUrl.get(keycloak.issuer(realm) + "/protocol/openid-connect/auth").newBuilder()
                .addQueryParameter("client_id", clientId(client)).addQueryParameter("response_type", "code")
                .addQueryParameter("redirect_uri", redirect).addQueryParameter("scope", ALL_SCOPES)
                .addQueryParameter("state", "profiles-" + username).addQueryParameter("code_challenge", challenge)
                .addQueryParameter("code_challenge_method", "S256").build();
        HeadlessChromium.SignIn signIn = browser.signIn(authorize.toString(), redirect, username,
                TenantFixture.PASSWORDS.get(username.toUpperCase(java.util.Locale.ROOT) + "_PASSWORD"));
        assertThat(signIn.parameter("error")).as("redirect %s", signIn.redirect()).isEmpty();
        assertThat(signIn.parameter("state")).isEqualTo("profiles-" + username);
        Request token = new Request.Builder().url(keycloak.issuer(realm) + "/protocol/openid-connect/token")
                .post(new FormBody.Builder().add("grant_type", "authorization_code").add("code", signIn.parameter("code"))
                        .add("redirect_uri", redirect).add("client_id", clientId(client)).add("code_verifier", VERIFIER)
                        .build()).build();
        try (Response response = http.newCall(token).execute()) {
            JsonNode answer = JSON.readTree(response.body().string());
            assertThat(response.code()).as("token answer %s", answer.path("error_description")).isEqualTo(200);
            String payload = answer.path("access_token").asText().split("\\.")[1];
            return new Token(answer, JSON.readTree(Base64.getUrlDecoder().decode(payload)), signIn);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("signIns")
    void whenAliceWhoIsAReaderSignsInAskingForEveryScopeThenHerTokenHasReadOnly(ClientProfile client, String redirect)
            throws Exception {
        Token alice = signIn(client, redirect, "alice");

        assertThat(alice.scopes()).contains("mcp:read").doesNotContain("mcp:write", "mcp:admin", "offline_access");
        assertThat(alice.claims().path("preferred_username").asText()).isEqualTo("alice");
        assertThat(alice.claims().path("azp").asText()).isEqualTo(clientId(client));
        assertThat(alice.claims().path("aud").toString()).contains(tenant.resource().url().toString());
        // Keycloak's own login page was typed into; a metadata-document client also gets its consent screen
        assertThat(alice.signIn().pages()).anyMatch(page -> page.contains("/protocol/openid-connect/auth"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("signIns")
    void whenBobWhoIsAnAdminSignsInThenHeGetsEveryScopeAndNoRefreshTokenOutlivesTheSessionIdle(ClientProfile client,
                                                                                              String redirect)
            throws Exception {
        Token bob = signIn(client, redirect, "bob");

        assertThat(bob.scopes()).contains("mcp:read", "mcp:write", "mcp:admin").doesNotContain("offline_access");
        // people.sessionIdle 20m: the refresh token ends with an idle sign-in
        assertThat(bob.answer().path("refresh_expires_in").asInt()).isBetween(1100, 1200);
    }

    @Test
    void whenAMetadataDocumentClientSignsInThenKeycloakFetchedThePublishedDocumentFromItsOwnDomain() throws Exception {
        signIn(ClientProfile.VSCODE, "http://127.0.0.1:33418/", "alice");

        assertThat(fetched).contains("vscode.dev/oauth/client-metadata.json");
        assertThat(keycloak.admin().get("/" + realm + "/client-policies/policies").path("policies")
                .findValuesAsText("name")).contains("mcpidp-cimd-claude-code", "mcpidp-cimd-vscode");
    }

    @Test
    void whenVsCodeCannotGetItsPortThenKeycloak2673RefusesItsRandomOne() throws Exception {
        // VS Code falls back to a random port when 33418 is taken; 26.7.3 compares the redirect with the document's exactly
        SelfServiceEndpoints.Authorization other = endpoints().authorize(authorization(clientId(ClientProfile.VSCODE),
                "http://127.0.0.1:40000/", ALL_SCOPES));

        assertThat(other.status()).isEqualTo(400);
    }

    @Test
    void whenAClientAsksForOfflineAccessThenKeycloakRefusesTheRequestAndDiscoveryDoesNotOfferIt() throws Exception {
        for (ClientProfile client : List.of(ClientProfile.CLAUDE_CODE, ClientProfile.CURSOR)) {
            String redirect = client == ClientProfile.CURSOR ? "http://localhost:8787/callback" : "http://localhost:3118/callback";
            SelfServiceEndpoints.Authorization offline = endpoints().authorize(authorization(clientId(client), redirect,
                    "mcp:read offline_access"));
            assertThat(offline.error()).as(client.specName()).isEqualTo("invalid_scope");
        }
        assertThat(texts(endpoints().discovery().path("scopes_supported"))).contains("mcp:read").doesNotContain("offline_access");
    }

    @Test
    void whenTheInspectorRegistersWithALoopbackRedirectThenKeycloakAcceptsItAndAnotherHostIsRefused() {
        SelfServiceEndpoints.Answer inspector = endpoints().register(Map.of("client_name", "MCP Inspector",
                "redirect_uris", List.of("http://localhost:6274/oauth/callback"), "token_endpoint_auth_method", "none",
                "grant_types", List.of("authorization_code", "refresh_token"), "response_types", List.of("code")));
        SelfServiceEndpoints.Answer elsewhere = endpoints().register(Map.of("client_name", "elsewhere",
                "redirect_uris", List.of("https://attacker.example/cb"), "token_endpoint_auth_method", "none"));

        assertThat(inspector.status()).isEqualTo(201);
        assertThat(elsewhere.status()).isEqualTo(403);
    }

    @Test
    void whenTheSameSpecIsPlannedAgainThenThereIsNothingToDo() {
        assertThat(provisioner.plan(tenant).changes()).isEmpty();
    }

    /**
     * The reason the plan gives (CimdWithoutFeatureTest checks that plan prints it), checked on the server: in a realm whose metadata-document policy is as open as
     * Keycloak 26.7.3 allows (every host the documents name, http allowed, no same-domain rule, no required
     * properties), Claude Code's document is accepted and claude.ai's and ChatGPT's are refused, for the reasons the
     * plan names (Keycloak's log). When a Keycloak upgrade accepts them, this test fails: switch those profiles then.
     */
    @Test
    void whenThePolicyIsAsOpenAsKeycloakAllowsThenClaudeAndChatGptDocumentsAreStillRefused() throws Exception {
        String open = TenantFixture.randomRealm();
        keycloak.admin().post("", Map.of("realm", open, "enabled", true));
        List<String> hosts = List.of("claude.ai", "chatgpt.com", "localhost", "127.0.0.1", "persistent.oaistatic.com");
        keycloak.admin().put("/" + open + "/client-policies/profiles", Map.of("profiles", List.of(Map.of("name", "open",
                "executors", List.of(Map.of("executor", "client-id-metadata-document", "configuration", Map.of(
                        "cimd-allow-http-scheme", true, "cimd-allow-permitted-domains", hosts,
                        "cimd-restrict-same-domain", false, "cimd-required-properties", List.of(),
                        "only-allow-confidential-client", false)))))));
        keycloak.admin().put("/" + open + "/client-policies/policies", Map.of("policies", List.of(Map.of("name", "open",
                "enabled", true, "conditions", List.of(Map.of("condition", "client-id-uri", "configuration",
                        Map.of("client-id-uri-scheme", List.of("https", "http"), "client-id-uri-allow-permitted-domains", hosts))),
                "profiles", List.of("open")))));
        SelfServiceEndpoints there = new SelfServiceEndpoints(keycloak.baseUrl(), open);
        String claude = clientId(ClientProfile.CLAUDE_CODE).replace("claude-code-client-metadata", "mcp-oauth-client-metadata");
        String chatgpt = "https://chatgpt.com:" + documents.getPort() + "/oauth/client.json";

        SelfServiceEndpoints.Authorization control = there.authorize(authorization(clientId(ClientProfile.CLAUDE_CODE),
                "http://localhost:3118/callback", "openid"));
        SelfServiceEndpoints.Authorization claudeAi = there.authorize(authorization(claude,
                "https://claude.ai/api/mcp/auth_callback", "openid"));
        SelfServiceEndpoints.Authorization chatGpt = there.authorize(authorization(chatgpt,
                "https://chatgpt.com/connector_platform_oauth_redirect", "openid"));

        assertThat(control.status()).as("Claude Code's document through the same open policy").isEqualTo(200);
        assertThat(claudeAi.status()).isEqualTo(400);
        assertThat(chatGpt.status()).isEqualTo(400);
        // Keycloak fetched both documents: it refused what they say, not an unreachable URL
        assertThat(fetched).contains("claude.ai/oauth/mcp-oauth-client-metadata", "chatgpt.com/oauth/client.json");
        String log = Files.readString(keycloak.logFile().orElseThrow());
        assertThat(log).contains("JWT authorization grant cannot be enabled in a public client")
                .contains("Unrecognized field \"token_endpoint_auth_methods_supported\"");
    }

    private static SelfServiceEndpoints endpoints() {
        return new SelfServiceEndpoints(keycloak.baseUrl(), realm);
    }

    private static Map<String, String> authorization(String clientId, String redirect, String scope) throws Exception {
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(VERIFIER.getBytes(StandardCharsets.US_ASCII)));
        return Map.of("client_id", clientId, "response_type", "code", "redirect_uri", redirect, "scope", scope,
                "state", "s", "code_challenge", challenge, "code_challenge_method", "S256");
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new java.util.ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}

package org.mcpidp.mcpserver.people;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mcpidp.testkit.FreePort;
import org.mcpidp.testkit.KeycloakExtension;
import org.mcpidp.testkit.KeycloakServer;

/**
 * A client nobody here wrote, used like a person uses it: the MCP Inspector 2.12.0 web UI (the real npm package, see
 * {@link InspectorWeb}), pointed at the demo server configured like the dev stack (the demo tenant from realm-exports
 * provisioned into the test Keycloak 26.7.3, dynamic registration on, both protocol eras served), in its
 * {@code modern} (2026-07-28) and {@code legacy} (2025-11-25) eras. Headless Chromium (Debian's, driven by
 * playwright-core: src/test/node/inspector-web.mjs) switches the server on, follows the Inspector's own OAuth flow to
 * Keycloak's login page, signs in, grants access, lists the tools, runs whoami and tries delete_product; alice
 * first, then bob, each in a new browser and a new Inspector (the Inspector keeps OAuth tokens in its backend, per
 * server: a second browser on the same Inspector is still signed in as the first person). Every assertion is on what
 * the pages showed.
 *
 * <p>Screenshots go to target/inspector-web/screenshots; what each person saw to target/inspector-transcript.txt (no
 * token, code, secret or password in it).
 */
@ExtendWith(KeycloakExtension.class)
class InspectorWebTest {

    private static final Path CHROMIUM = Path.of(System.getProperty("people.e2e.chromium", "/usr/bin/chromium"));
    private static final Path NODE_DIR = Path.of(System.getProperty("node.e2e.dir", "target/node"));
    private static final Path CONFORMANCE_DIR = Path.of(System.getProperty("conformance.dir", "target/conformance"));
    private static final Path WORK = Path.of("target", "inspector-web");
    private static final Path TRANSCRIPT = Path.of("target", "inspector-transcript.txt");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What .ci/run's leak check looks for: a JWT's header and payload. */
    private static final java.util.regex.Pattern JWT = java.util.regex.Pattern.compile(
            "eyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.");
    private static final String INSPECTOR_HOME_PAGE = "https://github.com/modelcontextprotocol/inspector";
    /** The era the Inspector was started in, the protocol revision its server card then shows, the product tried. */
    private static final Map<String, String> ERAS = Map.of("modern", "MCP 2026-07-28", "legacy", "MCP 2025-11-25");
    private static final Map<String, String> PRODUCTS = Map.of("modern", "p-1", "legacy", "p-2");

    private static KeycloakServer keycloak;
    private static DemoTenant tenant;
    private static PeopleServer server;
    private static int inspectorPort;
    private static JsonNode discovery;
    private static final Map<String, JsonNode> RUNS = new LinkedHashMap<>();
    private static final List<String> LEAKS = new ArrayList<>();

    @BeforeAll
    static void everyoneUsesTheInspector(KeycloakServer keycloakServer) throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "Chromium is not installed at " + CHROMIUM
                + ": install Debian's chromium package (bash .ci/run does) to run the MCP Inspector test");
        assumeTrue(Files.isExecutable(InspectorWeb.node(CONFORMANCE_DIR)) && Files.isRegularFile(InspectorWeb.launcher(CONFORMANCE_DIR)),
                "the MCP Inspector and Node 22 are not installed in " + CONFORMANCE_DIR + " (the build's npm ci does it)");
        keycloak = keycloakServer;
        Files.createDirectories(WORK);
        int port = FreePort.find();
        // One Inspector port for every run: the dev stack's setup, one browser origin the server allows.
        inspectorPort = FreePort.find();
        tenant = DemoTenant.provision(keycloak, "http://127.0.0.1:" + port + "/mcp", WORK);
        server = PeopleServer.start(port, tenant, "http://127.0.0.1:" + inspectorPort);
        discovery = get(tenant.issuer + "/.well-known/oauth-authorization-server");
        for (String era : List.of("modern", "legacy")) {
            for (String person : List.of("alice", "bob")) {
                RUNS.put(era + "/" + person, run(era, person));
            }
        }
        Files.writeString(TRANSCRIPT, InspectorTranscript.render(RUNS, ERAS));
    }

    /** One person in one era: a fresh Inspector, a fresh browser, the script; its JSON answer. */
    private static JsonNode run(String era, String person) throws Exception {
        String name = era + "-" + person;
        try (InspectorWeb inspector = InspectorWeb.start(CONFORMANCE_DIR, inspectorPort, server.mcpUrl, era,
                WORK.resolve("home-" + name), WORK.resolve("inspector-" + name + ".log"))) {
            ProcessBuilder node = new ProcessBuilder(InspectorWeb.node(CONFORMANCE_DIR).toAbsolutePath().toString(),
                    "inspector-web.mjs").directory(NODE_DIR.toFile());
            // the password and the Inspector's API token in the environment only, never on the command line
            node.environment().put("INSPECTOR_URL", inspector.pageUrl());
            node.environment().put("PERSON", person);
            node.environment().put("PASSWORD", tenant.passwords.get(person));
            node.environment().put("ERA", era);
            node.environment().put("PRODUCT", PRODUCTS.get(era));
            node.environment().put("SHOTS", WORK.resolve("screenshots").toAbsolutePath().toString());
            node.environment().put("CHROMIUM", CHROMIUM.toString());
            Path stderr = WORK.resolve("driver-" + name + ".stderr.txt");
            Path stdoutFile = WORK.resolve("driver-" + name + ".json");
            // Both to files: reading a pipe would block past the deadline if the script hung.
            node.redirectError(stderr.toFile()).redirectOutput(stdoutFile.toFile());
            Process process = node.start();
            try {
                if (!process.waitFor(240, TimeUnit.SECONDS)) {
                    throw new AssertionError("inspector-web.mjs (" + name + ") did not finish in 240 s; stderr in " + stderr);
                }
                String stdout = Files.readString(stdoutFile, StandardCharsets.UTF_8);
                if (inspector.leaks(stdout)) {
                    LEAKS.add(name + ": the Inspector's API token");
                }
                assertThat(process.exitValue()).as("inspector-web.mjs exit; stderr: %s", Files.readString(stderr)).isZero();
                return JSON.readTree(stdout);
            } finally {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (tenant != null) {
            tenant.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"modern", "legacy"})
    void whenAliceSwitchesTheServerOnThenTheInspectorsOwnOAuthFlowTakesHerToKeycloaksLoginPage(String era) {
        JsonNode alice = completed(era, "alice");
        assertThat(alice.path("before").asText()).contains("Disconnected");
        JsonNode authorization = alice.path("authorizationRequest");
        assertThat(authorization.path("path").asText()).isEqualTo("/realms/" + tenant.realm + "/protocol/openid-connect/auth");
        assertThat(authorization.path("code_challenge_method").asText()).isEqualTo("S256");
        assertThat(authorization.path("resource").asText()).isEqualTo(server.mcpUrl);
        assertThat(authorization.path("redirect_uri").asText()).isEqualTo("http://127.0.0.1:" + inspectorPort + "/oauth/callback");
        assertThat(alice.path("loginPage").path("heading").asText()).isEqualTo("Sign in to your account");
        // Registered clients must be granted access by the person (the realm's "Consent Required" policy).
        assertThat(alice.path("consentPage").asText()).contains("Grant Access to MCP Inspector", "mcp:read");
    }

    @ParameterizedTest
    @ValueSource(strings = {"modern", "legacy"})
    void whenAliceHasSignedInThenThePageShowsTheServerConnectedInTheEra(String era) {
        JsonNode alice = completed(era, "alice");
        assertThat(alice.path("after").asText()).contains("Connected", ERAS.get(era));
        assertThat(Path.of(alice.path("signedInScreenshot").asText())).isRegularFile();
    }

    @ParameterizedTest
    @ValueSource(strings = {"modern", "legacy"})
    void whenAliceListsTheToolsThenThePageShowsOnlyHers(String era) {
        JsonNode alice = completed(era, "alice");
        assertThat(alice.path("toolsHeading").asText()).isEqualTo("Tools (2)");
        assertThat(texts(alice.path("tools"))).containsExactly("whoami", "list_products");
    }

    @ParameterizedTest
    @ValueSource(strings = {"modern", "legacy"})
    void whenAliceRunsWhoamiThenThePageNamesHerWithReadScopeOnly(String era) throws IOException {
        JsonNode whoami = JSON.readTree(completed(era, "alice").path("whoami").asText());
        assertThat(whoami.path("username").asText()).isEqualTo("alice");
        assertThat(whoami.path("issuer").asText()).isEqualTo(tenant.issuer);
        assertThat(texts(whoami.path("scopes"))).containsExactly("mcp:read");
    }

    @ParameterizedTest
    @ValueSource(strings = {"modern", "legacy"})
    void whenAliceTriesDeleteProductThenThePageRefusesAndTheProductStays(String era) throws IOException {
        JsonNode alice = completed(era, "alice");
        // The server never lists delete_product to her, and the Inspector calls only tools the server listed.
        assertThat(alice.path("delete").path("shown").asText()).contains("Can't replay",
                "Tool \"delete_product\" is no longer available to replay.");
        assertThat(ids(alice.path("productsAfter"))).contains(PRODUCTS.get(era));
    }

    @ParameterizedTest
    @ValueSource(strings = {"modern", "legacy"})
    void whenBobWhoIsAdminSignsInThenHeSeesDeleteProductConfirmsAndDeletes(String era) throws IOException {
        JsonNode bob = completed(era, "bob");
        String product = PRODUCTS.get(era);
        assertThat(bob.path("after").asText()).contains("Connected", ERAS.get(era));
        assertThat(texts(bob.path("tools"))).containsExactly("whoami", "list_products", "create_product", "delete_product");
        JsonNode whoami = JSON.readTree(bob.path("whoami").asText());
        assertThat(whoami.path("username").asText()).isEqualTo("bob");
        assertThat(texts(whoami.path("scopes"))).containsExactlyInAnyOrder("mcp:read", "mcp:write", "mcp:admin");
        // The server asks the person to confirm (2026-07-28: an input request; 2025-11-25: elicitation/create).
        assertThat(bob.path("delete").path("confirmation").asText()).contains("Delete product " + product + "?");
        assertThat(JSON.readTree(bob.path("delete").path("result").asText()).path("id").asText()).isEqualTo(product);
        assertThat(ids(bob.path("productsAfter"))).isNotEmpty().doesNotContain(product);
    }

    @ParameterizedTest
    @ValueSource(strings = {"modern", "legacy"})
    void whenTheInspectorHasNoClientThenItRegistersDynamicallyWithItsHomePageOnGithub(String era) {
        // Keycloak advertises Client ID Metadata Documents, but an Inspector started with --server-url has no metadata
        // URL of its own: it falls back to RFC 7591 registration, which its Network panel shows.
        assertThat(discovery.path("client_id_metadata_document_supported").asBoolean()).isTrue();
        for (String person : List.of("alice", "bob")) {
            JsonNode run = completed(era, person);
            List<JsonNode> registrations = new ArrayList<>();
            run.path("network").forEach(entry -> {
                if (entry.path("url").asText().endsWith("/realms/" + tenant.realm + "/clients-registrations/openid-connect")) {
                    registrations.add(entry);
                }
            });
            assertThat(registrations).as(era + "/" + person + " " + run.path("network")).hasSize(1);
            assertThat(registrations.get(0).path("method").asText()).isEqualTo("POST");
            assertThat(registrations.get(0).path("status").asText()).isEqualTo("201 CREATED");
            String clientId = run.path("authorizationRequest").path("client_id").asText();
            assertThat(clientId).isNotEqualTo("mcp-inspector").doesNotStartWith("http");
            JsonNode client = keycloak.admin().get("/" + tenant.realm + "/clients?clientId=" + clientId).get(0);
            assertThat(client.path("name").asText()).isEqualTo("MCP Inspector");
            assertThat(client.path("baseUrl").asText()).isEqualTo(INSPECTOR_HOME_PAGE);
            assertThat(texts(client.path("redirectUris"))).containsExactly("http://127.0.0.1:" + inspectorPort + "/oauth/callback");
            assertThat(client.path("publicClient").asBoolean()).isTrue();
        }
    }

    @Test
    void whenTheTranscriptIsWrittenThenItHoldsNoTokenSecretOrPassword() throws IOException {
        String written = Files.readString(TRANSCRIPT);
        assertThat(written).contains("alice", "bob", "modern", "legacy").doesNotContain("eyJ")
                .doesNotContain(tenant.serverSecret);
        tenant.passwords.values().forEach(password -> assertThat(written).doesNotContain(password));
        assertThat(LEAKS).isEmpty();
        RUNS.values().forEach(run -> assertThat(run.toString()).doesNotContain("eyJ"));
        // Nor anything else left in target/ (the Inspectors' homes held their Network history: deleted on close).
        List<Path> withJwt = new ArrayList<>();
        try (java.util.stream.Stream<Path> files = Files.walk(WORK)) {
            for (Path file : files.filter(Files::isRegularFile).filter(f -> !f.toString().endsWith(".png")).toList()) {
                if (JWT.matcher(Files.readString(file, StandardCharsets.ISO_8859_1)).find()) {
                    withJwt.add(file);
                }
            }
        }
        assertThat(withJwt).isEmpty();
    }

    private static JsonNode completed(String era, String person) {
        JsonNode run = RUNS.get(era + "/" + person);
        assertThat(run).as("no run for " + era + "/" + person).isNotNull();
        assertThat(run.path("error").isMissingNode()).as(era + "/" + person + " stopped at: " + run.path("error").asText()
                + " (screenshot " + run.path("failedAt").asText() + ")").isTrue();
        return run;
    }

    private static List<String> ids(JsonNode productsText) throws IOException {
        List<String> ids = new ArrayList<>();
        JSON.readTree(productsText.asText()).forEach(product -> ids.add(product.path("id").asText()));
        return ids;
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(item -> values.add(item.asText()));
        return values;
    }

    private static JsonNode get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}

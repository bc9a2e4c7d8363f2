package org.mcpidp.mcpserver.people;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mcpidp.testkit.FreePort;
import org.mcpidp.testkit.KeycloakExtension;
import org.mcpidp.testkit.KeycloakServer;
import org.mcpidp.testkit.LoopbackTls;

/**
 * A person signs in from an MCP client and gets exactly what her roles allow, proven with the clients' own code and a
 * real browser: the official MCP TypeScript SDK's interactive OAuth client (src/test/node/people-e2e.mjs:
 * OAuthClientProvider + auth() / transport.finishAuth(code)) in three ways (pre-registered public client
 * {@code mcp-inspector}, RFC 7591 dynamic registration, a Client ID Metadata Document served on https loopback with the
 * testkit's certificate), with the login typed into Keycloak's own login page by headless Chromium (Debian's
 * {@code chromium}, driven by playwright-core, which downloads no browser). The demo tenant is the one in
 * realm-exports, provisioned by idp-provisioning into the test Keycloak; the server is the real one.
 *
 * <p>The script runs once; each test reads one behaviour from its JSON answer. The transcript (requests and statuses,
 * scopes granted; no token, code, secret or password) is kept in target/people-e2e-transcript.json.
 */
@ExtendWith(KeycloakExtension.class)
class PeopleEndToEndTest {

    private static final Path CHROMIUM = Path.of(System.getProperty("people.e2e.chromium", "/usr/bin/chromium"));
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path WORK = Path.of("target", "people-e2e");
    private static final Path TRANSCRIPT = Path.of("target", "people-e2e-transcript.json");
    private static final Path TRANSCRIPT_TEXT = Path.of("target", "people-e2e-transcript.txt");
    private static final List<String> MCP_SCOPES = List.of("mcp:read", "mcp:write", "mcp:admin");

    private static DemoTenant tenant;
    private static PeopleServer server;
    private static String stdout;
    private static JsonNode result;

    @BeforeAll
    static void signInThroughEveryWay(KeycloakServer keycloak) throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "Chromium is not installed at " + CHROMIUM
                + ": install Debian's chromium package (bash .ci/run does) to run the people end-to-end test");
        LoopbackTls tls = keycloak.loopbackTls().orElse(null);
        assumeTrue(tls != null, "the Client ID Metadata Document is served over https with the testkit's loopback "
                + "certificate, which only a Keycloak started by this JVM trusts: run without -Dkeycloak.url");
        int port = FreePort.find();
        int pagePort = FreePort.find();
        String allowedOrigin = "http://127.0.0.1:" + pagePort;
        tenant = DemoTenant.provision(keycloak, "http://127.0.0.1:" + port + "/mcp", WORK);
        server = PeopleServer.start(port, tenant, allowedOrigin);

        Path dir = Path.of(System.getProperty("node.e2e.dir", "target/node"));
        ProcessBuilder node = new ProcessBuilder("node", "people-e2e.mjs").directory(dir.toFile());
        // passwords in the environment only, never on the command line (visible in ps)
        node.environment().put("MCP_URL", server.mcpUrl);
        node.environment().put("ISSUER", tenant.issuer);
        node.environment().put("ALICE_PASSWORD", tenant.passwords.get("alice"));
        node.environment().put("BOB_PASSWORD", tenant.passwords.get("bob"));
        node.environment().put("TLS_CERT", tls.serverCertificate().toAbsolutePath().toString());
        node.environment().put("TLS_KEY", tls.serverKey().toAbsolutePath().toString());
        node.environment().put("PAGE_PORT", Integer.toString(pagePort));
        node.environment().put("CHROMIUM", CHROMIUM.toString());
        Path stderr = WORK.resolve("node-stderr.txt");
        node.redirectError(stderr.toFile());
        Process process = node.start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(300, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("people-e2e.mjs did not finish in 300 s; stderr in " + stderr);
        }
        stdout = new String(out, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("people-e2e.mjs exit; stderr: %s", Files.readString(stderr)).isZero();
        result = JSON.readTree(stdout);
        Files.writeString(TRANSCRIPT, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result));
        Files.writeString(TRANSCRIPT_TEXT, readable(result));
        assertThat(result.path("error").isMissingNode()).as("script error: %s", result.path("error").asText()).isTrue();
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
    @ValueSource(strings = {"preregistered", "dcr", "cimd"})
    void whenAliceAsksForEveryChallengedScopeThenHerTokenLacksWriteAndAdmin(String way) {
        JsonNode alice = person(way, "alice");
        assertThat(words(alice.path("requestedScope"))).as("what the SDK asked for").containsAll(MCP_SCOPES);
        assertThat(alice.path("pkce").asText()).isEqualTo("S256");
        assertThat(words(alice.path("grantedScope"))).contains("mcp:read").doesNotContain("mcp:write", "mcp:admin");
    }

    @ParameterizedTest
    @ValueSource(strings = {"preregistered", "dcr", "cimd"})
    void whenAliceListsToolsThenSheSeesOnlyTheToolsSheMayCall(String way) {
        assertThat(texts(person(way, "alice").path("tools"))).containsExactly("whoami", "list_products");
    }

    @ParameterizedTest
    @ValueSource(strings = {"preregistered", "dcr", "cimd"})
    void whenAliceCallsWhoamiThenItNamesHer(String way) {
        JsonNode whoami = person(way, "alice").path("whoami");
        assertThat(whoami.path("username").asText()).as(whoami.toString()).isEqualTo("alice");
    }

    @ParameterizedTest
    @ValueSource(strings = {"preregistered", "dcr", "cimd"})
    void whenAliceDeletesAProductThenItIsRefusedWithInsufficientScopeAndTheProductStays(String way) {
        JsonNode alice = person(way, "alice");
        JsonNode delete = alice.path("delete");
        // the SDK tries to step up (a refresh, the same scopes: Keycloak will not give alice mcp:admin), then gives up
        assertThat(delete.path("ok").asBoolean()).isFalse();
        assertThat(delete.path("error").asText()).contains("Server returned 403 after trying upscoping");
        assertThat(texts(alice.path("productsAfter"))).contains(delete.path("productId").asText());
        assertThat(alice.path("asked")).as("refused before the tool ran: nothing to confirm").isEmpty();
        List<JsonNode> refusals = entries(way, "alice", entry -> entry.path("status").asInt() == 403);
        assertThat(refusals).isNotEmpty().allSatisfy(entry -> {
            assertThat(entry.path("tool").asText()).isEqualTo("delete_product");
            assertThat(entry.path("wwwAuthenticate").asText()).startsWith("Bearer error=\"insufficient_scope\"")
                    .contains("mcp:admin");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"preregistered", "dcr", "cimd"})
    void whenBobWhoIsAdminSignsInThenHeHoldsEveryScopeAndMayDelete(String way) {
        JsonNode bob = person(way, "bob");
        assertThat(words(bob.path("grantedScope"))).containsAll(MCP_SCOPES);
        assertThat(texts(bob.path("tools"))).contains("delete_product");
        assertThat(bob.path("whoami").path("username").asText()).isEqualTo("bob");
        assertThat(bob.path("delete").path("ok").asBoolean()).as(bob.path("delete").toString()).isTrue();
        assertThat(texts(bob.path("productsAfter"))).doesNotContain(bob.path("delete").path("productId").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"preregistered", "dcr", "cimd"})
    void whenBobDeclinesToConfirmTheDeleteThenItIsAToolErrorAndTheProductStays(String way) {
        JsonNode bob = person(way, "bob");
        String productId = bob.path("delete").path("productId").asText();
        JsonNode declined = bob.path("declined");
        assertThat(declined.path("ok").asBoolean()).as(declined.toString()).isFalse();
        assertThat(declined.path("text").asText()).startsWith("not deleted: the user did not confirm");
        assertThat(texts(declined.path("productsAfter"))).contains(productId);
    }

    @ParameterizedTest
    @ValueSource(strings = {"preregistered", "dcr", "cimd"})
    void whenBobDeletesThenTheServerAsksHimToConfirmInTheSessionEachTime(String way) {
        JsonNode bob = person(way, "bob");
        String productId = bob.path("delete").path("productId").asText();
        assertThat(bob.path("asked")).hasSize(2).allSatisfy(asked -> {
            assertThat(asked.path("message").asText()).isEqualTo("Delete product " + productId + "?");
            assertThat(asked.path("mode").asText()).isEqualTo("form");
            assertThat(texts(asked.path("fields"))).containsExactly("confirm");
        });
        List<String> answers = new ArrayList<>();
        bob.path("asked").forEach(asked -> answers.add(asked.path("answer").asText()));
        assertThat(answers).containsExactly("decline", "accept");
        // each answer went back as a JSON-RPC response POSTed into bob's session
        assertThat(entries(way, "bob", entry -> entry.path("rpc").asText().equals("response")))
                .hasSize(2).allSatisfy(entry -> assertThat(entry.path("status").asInt()).isEqualTo(202));
    }

    @Test
    void whenThePreregisteredClientIsUsedThenTheSdkRegistersNothing() {
        assertThat(person("preregistered", "alice").path("clientId").asText()).isEqualTo("mcp-inspector");
        assertThat(entries("preregistered", null, entry -> entry.has("registration"))).isEmpty();
    }

    @Test
    void whenTheProviderHasNoClientThenTheSdkRegistersOneForLoopbackAndBothPeopleUseIt() {
        List<JsonNode> registrations = entries("dcr", null, entry -> entry.has("registration"));
        assertThat(registrations).hasSize(1);
        assertThat(registrations.get(0).path("status").asInt()).isEqualTo(201);
        assertThat(texts(registrations.get(0).path("registration").path("redirect_uris")))
                .containsExactly("http://localhost:6274/oauth/callback");
        String clientId = result.path("ways").path("dcr").path("registeredClientId").asText();
        assertThat(clientId).isNotBlank().isNotEqualTo("mcp-inspector").doesNotStartWith("https:");
        assertThat(person("dcr", "alice").path("clientId").asText()).isEqualTo(clientId);
        assertThat(person("dcr", "bob").path("clientId").asText()).isEqualTo(clientId);
    }

    @Test
    void whenTheServerAdvertisesMetadataDocumentsThenTheSdkUsesItsHttpsUrlAndKeycloakFetchesIt() {
        assertThat(result.path("authorizationServer").path("client_id_metadata_document_supported").asBoolean()).isTrue();
        String url = result.path("cimdUrl").asText();
        assertThat(url).startsWith("https://localhost:").endsWith("/clients/people-e2e.json");
        assertThat(person("cimd", "alice").path("clientId").asText()).isEqualTo(url);
        assertThat(entries("cimd", null, entry -> entry.has("registration"))).isEmpty();
        // Keycloak itself fetched the document over TLS: it trusts the testkit's loopback authority
        assertThat(result.path("cimdFetches")).isNotEmpty();
        assertThat(result.path("cimdFetches").get(0).path("request").asText()).isEqualTo("GET /clients/people-e2e.json");
    }

    @Test
    void whenEveryoneSignsInThenKeycloaksOwnLoginPageWasFilledInTheBrowser() {
        for (String way : List.of("preregistered", "dcr", "cimd")) {
            for (String user : List.of("alice", "bob")) {
                List<String> steps = new ArrayList<>();
                entries(way, user, entry -> entry.has("browser")).forEach(entry -> steps.add(entry.path("browser").asText()));
                assertThat(steps).as(way + "/" + user).contains("login page", "submitted the login form as " + user)
                        .anyMatch(step -> step.startsWith("redirected to http://localhost:6274/oauth/callback?"));
            }
        }
    }

    @Test
    void whenAClientRegistersARedirectToAnotherHostThenKeycloakRefusesIt() {
        JsonNode hostile = result.path("hostileRegistration");
        assertThat(hostile.path("status").asInt()).as(hostile.toString()).isBetween(400, 403);
        assertThat(hostile.path("client_id").isNull() || hostile.path("client_id").isMissingNode()).isTrue();
    }

    @Test
    void whenAPageOnTheAllowedOriginCallsTheServerThenThePreflightPassesAndTheAnswerIsReadable() {
        JsonNode cors = result.path("browserCors");
        assertThat(cors.path("withToken").path("error").isMissingNode()).as(cors.toString()).isTrue();
        assertThat(cors.path("withToken").path("status").asInt()).isEqualTo(200);
        assertThat(cors.path("withToken").path("sessionIdReadable").asBoolean()).isTrue();
        assertThat(cors.path("withToken").path("serverName").asText()).isNotBlank();
        assertThat(cors.path("withoutToken").path("status").asInt()).isEqualTo(401);
        assertThat(cors.path("withoutToken").path("wwwAuthenticateReadable").asBoolean()).isTrue();
        JsonNode preflight = result.path("origins").path("preflight");
        assertThat(preflight.path("status").asInt()).isBetween(200, 204);
        assertThat(preflight.path("allowOrigin").asText()).isEqualTo(cors.path("origin").asText());
        assertThat(preflight.path("allowHeaders").asText().toLowerCase()).contains("authorization");
    }

    @Test
    void whenTheOriginIsNotAllowedThenTheServerAnswers403EvenWithAValidToken() {
        JsonNode evil = result.path("origins").path("disallowedOrigin");
        assertThat(evil.path("status").asInt()).as(evil.toString()).isEqualTo(403);
        assertThat(evil.path("allowOrigin").isNull()).isTrue();
    }

    @Test
    void whenTheTranscriptIsWrittenThenItHoldsNoTokenCodeSecretOrPassword() throws Exception {
        String written = Files.readString(TRANSCRIPT) + Files.readString(TRANSCRIPT_TEXT);
        assertThat(written).doesNotContain("eyJ").doesNotContain(tenant.serverSecret);
        tenant.passwords.values().forEach(password -> assertThat(written).doesNotContain(password));
        assertThat(stdout).doesNotContain("eyJ");
        assertThat(written).doesNotContainPattern("[?&]code=(?!%3Credacted%3E)");
        assertThat(written).contains("code=%3Credacted%3E");
    }

    /** One line per exchange, for people to read (the JSON file has the same, structured). */
    private static String readable(JsonNode result) {
        StringBuilder text = new StringBuilder("# people end-to-end: MCP TypeScript SDK + Chromium " + result.path("browser").asText()
                + " (tokens, codes, secrets and passwords redacted)\n");
        result.path("transcript").forEach(entry -> {
            text.append('[').append(entry.path("way").asText()).append(entry.path("user").isTextual()
                    ? "/" + entry.path("user").asText() : "").append("] ");
            List<String> parts = new ArrayList<>();
            entry.fields().forEachRemaining(field -> {
                if (!field.getKey().equals("way") && !field.getKey().equals("user")) {
                    parts.add(field.getKey().equals("request") || field.getKey().equals("browser")
                            ? field.getValue().asText() : field.getKey() + "=" + field.getValue());
                }
            });
            text.append(String.join("  ", parts)).append('\n');
        });
        text.append("\n# scopes granted (same request: every scope the 401 challenge names)\n");
        result.path("ways").fields().forEachRemaining(way -> List.of("alice", "bob").forEach(user -> text
                .append(way.getKey()).append('/').append(user).append(": asked '")
                .append(way.getValue().path(user).path("requestedScope").asText()).append("', got '")
                .append(way.getValue().path(user).path("grantedScope").asText()).append("'\n")));
        return text.toString();
    }

    private static JsonNode person(String way, String user) {
        JsonNode person = result.path("ways").path(way).path(user);
        assertThat(person.isMissingNode()).as("no result for " + way + "/" + user).isFalse();
        assertThat(person.path("error").isMissingNode()).as(way + "/" + user + ": " + person.path("error").asText())
                .isTrue();
        return person;
    }

    private static List<JsonNode> entries(String way, String user, Predicate<JsonNode> filter) {
        List<JsonNode> found = new ArrayList<>();
        result.path("transcript").forEach(entry -> {
            if (entry.path("way").asText().equals(way) && (user == null || entry.path("user").asText().equals(user))
                    && filter.test(entry)) {
                found.add(entry);
            }
        });
        return found;
    }

    private static List<String> words(JsonNode scope) {
        return Arrays.asList(scope.asText("").split(" "));
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(item -> values.add(item.isObject() ? item.toString() : item.asText()));
        return values;
    }
}

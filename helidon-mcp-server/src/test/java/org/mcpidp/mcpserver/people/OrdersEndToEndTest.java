package org.mcpidp.mcpserver.people;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import okhttp3.FormBody;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mcpidp.downstream.DownstreamTokens;
import org.mcpidp.downstream.ExchangeFailure;
import org.mcpidp.downstream.ExchangeOutcome;
import org.mcpidp.downstream.KeycloakTokenExchange;
import org.mcpidp.mcpserver.ServerUnderTest;
import org.mcpidp.mcpserver.tools.ListOrdersTool;
import org.mcpidp.ordersapi.OrdersApi;
import org.mcpidp.ordersapi.OrdersApiSettings;
import org.mcpidp.ordersapi.ReceivedTokens;
import org.mcpidp.testkit.FreePort;
import org.mcpidp.testkit.KeycloakExtension;
import org.mcpidp.testkit.KeycloakServer;
import org.mcpidp.verifier.AuthInfo;
import org.mcpidp.verifier.CallerToken;

/**
 * A tool calls the company's API as its caller, end to end with real parts: the demo tenant of realm-exports
 * provisioned into the test Keycloak by idp-provisioning (downstream orders-api, token exchange, the downscope
 * enforcer), the real MCP server with {@code list_orders}, the orders API (in-process, recording the SHA-256 of every
 * token it receives), and the official MCP TypeScript SDK as the client (src/test/node/orders-e2e.mjs). The orders
 * API must receive a token made for it, with the caller's {@code sub}, and never the MCP token.
 */
@ExtendWith(KeycloakExtension.class)
class OrdersEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path WORK = Path.of("target", "orders-e2e");
    private static final String DAVE_PASSWORD = java.util.UUID.randomUUID().toString();
    private static final String ERIN_PASSWORD = java.util.UUID.randomUUID().toString();

    private static KeycloakServer keycloak;
    private static DemoTenant tenant;
    private static OrdersApi orders;
    private static int ordersPort;
    private static ServerUnderTest server;

    @BeforeAll
    static void start(KeycloakServer server) throws Exception {
        keycloak = server;
        int port = FreePort.find();
        ordersPort = FreePort.find();
        tenant = DemoTenant.provision(keycloak, "http://127.0.0.1:" + port + "/mcp", WORK);
        orders = startOrders();
        OrdersEndToEndTest.server = startServer(port, Map.of());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (orders != null) {
            orders.close();
        }
        if (tenant != null) {
            tenant.close();
        }
    }

    @BeforeEach
    void forget() {
        orders.received().orElseThrow().clear();
    }

    @Test
    void whenAnAgentCallsListOrdersThenTheApiGotATokenForItWithTheAgentsSubAndNeverTheMcpToken() throws Exception {
        JsonNode result = runSdk(server, agent("agent-reader", "mcp:read"), 2);

        assertThat(texts(result.path("tools"))).contains("list_orders");
        assertThat(result.path("calls")).hasSize(2).allSatisfy(call ->
                assertThat(call.path("orders").toString()).as(call.toString()).contains("ord-1001"));
        assertExchangedTokenOnly(result, serviceAccountId("agent-reader"));
    }

    @Test
    void whenAUserCallsListOrdersThenTheApiGotATokenForItWithTheUsersSubAndNeverTheMcpToken() throws Exception {
        // a direct grant in this test realm only: the people test covers the browser login
        String token = userToken("alice", "mcp:read");
        JsonNode result = runSdk(server, Map.of("ACCESS_TOKEN", token), 1);

        assertThat(result.path("calls").get(0).path("orders").toString()).as(result.toString()).contains("ord-1002");
        assertExchangedTokenOnly(result, userId("alice"));
        assertThat(result.path("mcpTokenSha256").get(0).asText()).isEqualTo(ReceivedTokens.sha256(token));
    }

    @Test
    void whenAWriterMadeByHandWithoutReaderCallsListOrdersThenMcpWriteImpliesMcpReadButTheExchangeGivesNothing()
            throws Exception {
        // erin, given writer by hand without the reader role that writer includes in the spec (every demo principal holds
        // reader), asking for mcp:write only: a valid MCP token without mcp:read, and role writer, not reader. The server
        // honours the spec's hierarchy (mcp:write implies mcp:read), so list_orders is hers to call; the spec refuses an
        // implication that opens a role gate, but a role given by hand bypasses the spec. The exchange is gated by her
        // roles in Keycloak, not by the MCP token's scopes: it refuses, and the orders API gets nothing.
        String token = passwordToken(userWithRealmRoles("erin", ERIN_PASSWORD, "writer"), ERIN_PASSWORD, "mcp:write");
        JsonNode result = runSdk(server, Map.of("ACCESS_TOKEN", token), 1);

        assertThat(texts(result.path("tools"))).as(result.toString()).contains("list_orders");
        assertThat(call(result.path("transcript"), "list_orders").path("status").asInt()).isEqualTo(200);
        assertThat(result.path("calls").get(0).path("error").asText()).as(result.toString())
                .contains("downstream token: ");
        assertThat(orders.received().orElseThrow().all()).isEmpty();
    }

    @Test
    void whenTheCallersRolesDoNotAllowOrdersReadThenTheExchangeDoesNotGiveIt() throws Exception {
        // dave holds none of the roles behind mcp:read (and so orders:read): asked directly, past the MCP server's own
        // checks, the exchange refuses him; it never widens what the roles allow
        keycloak.admin().post("/" + tenant.realm + "/users", Map.of("username", "dave", "enabled", true,
                "email", "dave@example.test", "firstName", "Dave", "lastName", "Norole", "emailVerified", true,
                "credentials", List.of(Map.of("type", "password", "value", DAVE_PASSWORD, "temporary", false))));
        String token = passwordToken("dave", DAVE_PASSWORD, "mcp:read orders:read");
        AuthInfo dave = new AuthInfo(userId("dave"), java.util.Optional.of("mcp-inspector"), tenant.issuer, Set.of(),
                Set.of(), Set.of(), java.time.Instant.now().plusSeconds(60), Map.of()).withToken(CallerToken.of(token));

        ExchangeOutcome outcome = exchanges().tokenFor(dave, ListOrdersTool.ORDERS);

        assertThat(outcome).isInstanceOf(ExchangeOutcome.Failed.class);
        assertThat(((ExchangeOutcome.Failed) outcome).failure().reason())
                .isIn(ExchangeFailure.Reason.NOT_IN_AUDIENCE, ExchangeFailure.Reason.SCOPE_NOT_ALLOWED);
    }

    @Test
    void whenTheOrdersApiIsDownThenTheToolErrorSaysSoAndAfterItIsBackTheNextCallWorks() throws Exception {
        Map<String, String> reader = agent("agent-reader", "mcp:read");
        orders.close();
        try {
            JsonNode down = runSdk(server, reader, 1);
            assertThat(down.path("calls").get(0).path("error").asText()).as(down.toString())
                    .contains("orders API is unavailable");
        } finally {
            orders = startOrders();
        }
        JsonNode back = runSdk(server, reader, 1);
        assertThat(back.path("calls").get(0).path("orders").toString()).as(back.toString()).contains("ord-1003");
    }

    @Test
    void whenKeycloaksTokenEndpointCannotBeReachedThenTheToolErrorSaysUnavailableAndTheServerStaysUp()
            throws Exception {
        // The shared test Keycloak cannot be stopped; a server whose exchange goes to a closed port meets the same
        // connection refusal, while its token verification still works.
        int closed = FreePort.find();
        try (ServerUnderTest cut = startServer(FreePort.find(), Map.of("mcp.downstream.token-endpoint",
                "http://127.0.0.1:" + closed + "/realms/x/protocol/openid-connect/token"))) {
            JsonNode result = runSdk(cut, agent("agent-reader", "mcp:read"), 2);

            assertThat(result.path("calls")).hasSize(2).allSatisfy(call ->
                    assertThat(call.path("error").asText().toLowerCase(java.util.Locale.ROOT)).as(call.toString())
                            .contains("unavailable"));
            assertThat(orders.received().orElseThrow().all()).isEmpty();
        }
    }

    private static void assertExchangedTokenOnly(JsonNode result, String subject) {
        List<ReceivedTokens.Received> received = orders.received().orElseThrow().all();
        assertThat(received).isNotEmpty().allSatisfy(token -> {
            assertThat(token.accepted()).isTrue();
            assertThat(token.audiences()).contains("orders-api").doesNotContain(server.mcpUrl);
            assertThat(token.subject()).hasValue(subject);
            assertThat(token.clientId()).hasValue(DemoTenant.SERVER_CLIENT);
        });
        List<String> mcpTokens = texts(result.path("mcpTokenSha256"));
        assertThat(mcpTokens).isNotEmpty();
        assertThat(received).extracting(ReceivedTokens.Received::sha256).doesNotContainAnyElementsOf(mcpTokens);
    }

    private static OrdersApi startOrders() {
        return OrdersApi.start(OrdersApiSettings.of("127.0.0.1", ordersPort, tenant.issuer).withRecordTokenHashes(true));
    }

    private static ServerUnderTest startServer(int port, Map<String, String> extra) {
        Map<String, String> values = new HashMap<>(extra);
        values.put("mcp.auth.issuers.0.url", tenant.issuer);
        values.put("mcp.auth.issuers.0.mode", "introspection");
        values.put("mcp.auth.issuers.0.client-id", DemoTenant.SERVER_CLIENT);
        values.put("mcp.auth.issuers.0.client-secret", tenant.serverSecret);
        values.put("mcp.downstream.orders-api.url", "http://127.0.0.1:" + ordersPort);
        return ServerUnderTest.start(port, values);
    }

    private static DownstreamTokens exchanges() {
        return DownstreamTokens.builder().cache(false).exchanger(KeycloakTokenExchange.builder()
                .issuer(tenant.issuer).clientId(DemoTenant.SERVER_CLIENT).clientSecret(tenant.serverSecret)
                .build()).build();
    }

    private static JsonNode runSdk(ServerUnderTest target, Map<String, String> credentials, int calls)
            throws IOException, InterruptedException {
        Path dir = Path.of(System.getProperty("node.e2e.dir", "target/node"));
        ProcessBuilder node = new ProcessBuilder("node", "orders-e2e.mjs").directory(dir.toFile());
        // tokens and secrets in the environment only, never on the command line (visible in ps)
        node.environment().putAll(credentials);
        node.environment().put("MCP_URL", target.mcpUrl);
        node.environment().put("ISSUER", tenant.issuer);
        node.environment().put("CALLS", Integer.toString(calls));
        Files.createDirectories(WORK);
        Path stderr = WORK.resolve("node-stderr.txt");
        node.redirectError(stderr.toFile());
        Process process = node.start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("orders-e2e.mjs did not finish in 120 s; stderr in " + stderr);
        }
        String stdout = new String(out, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("orders-e2e.mjs exit; stderr: %s", Files.readString(stderr)).isZero();
        JsonNode result = JSON.readTree(stdout);
        Files.writeString(WORK.resolve("transcript-" + System.nanoTime() + ".json"),
                JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result));
        assertThat(result.path("error").isMissingNode()).as("script error: %s", result.path("error").asText()).isTrue();
        return result;
    }

    private static Map<String, String> agent(String clientId, String scope) {
        return Map.of("CLIENT_ID", clientId, "CLIENT_SECRET", clientSecret(clientId), "SCOPE", scope);
    }

    private static String clientUuid(String clientId) {
        return keycloak.admin().get("/" + tenant.realm + "/clients?clientId=" + clientId).get(0).path("id").asText();
    }

    private static String clientSecret(String clientId) {
        return keycloak.admin().get("/" + tenant.realm + "/clients/" + clientUuid(clientId) + "/client-secret")
                .path("value").asText();
    }

    private static String serviceAccountId(String clientId) {
        return keycloak.admin().get("/" + tenant.realm + "/clients/" + clientUuid(clientId) + "/service-account-user")
                .path("id").asText();
    }

    private static String userId(String username) {
        return keycloak.admin().get("/" + tenant.realm + "/users?exact=true&username=" + username).get(0)
                .path("id").asText();
    }

    /** A user made by hand in the test realm, holding exactly {@code roles}; returns the user name. */
    private static String userWithRealmRoles(String username, String password, String... roles) {
        keycloak.admin().post("/" + tenant.realm + "/users", Map.of("username", username, "enabled", true,
                "email", username + "@example.test", "firstName", username, "lastName", "Test", "emailVerified", true,
                "credentials", List.of(Map.of("type", "password", "value", password, "temporary", false))));
        List<JsonNode> granted = new ArrayList<>();
        for (String role : roles) {
            granted.add(keycloak.admin().get("/" + tenant.realm + "/roles/" + role));
        }
        keycloak.admin().post("/" + tenant.realm + "/users/" + userId(username) + "/role-mappings/realm", granted);
        return username;
    }

    /** A password grant through the public mcp-inspector client, with direct grants turned on in this realm only. */
    private static String userToken(String username, String scope) throws IOException {
        String path = "/" + tenant.realm + "/clients/" + clientUuid("mcp-inspector");
        ObjectNode client = (ObjectNode) keycloak.admin().get(path);
        if (!client.path("directAccessGrantsEnabled").asBoolean()) {
            client.put("directAccessGrantsEnabled", true);
            keycloak.admin().put(path, client);
        }
        return passwordToken(username, tenant.passwords.get(username), scope);
    }

    private static String passwordToken(String username, String password, String scope) throws IOException {
        String path = "/" + tenant.realm + "/clients/" + clientUuid("mcp-inspector");
        ObjectNode client = (ObjectNode) keycloak.admin().get(path);
        if (!client.path("directAccessGrantsEnabled").asBoolean()) {
            client.put("directAccessGrantsEnabled", true);
            keycloak.admin().put(path, client);
        }
        return token(new FormBody.Builder().add("grant_type", "password").add("client_id", "mcp-inspector")
                .add("username", username).add("password", password).add("scope", scope).build());
    }

    private static String token(FormBody form) throws IOException {
        Request request = new Request.Builder().url(tenant.issuer + "/protocol/openid-connect/token").post(form).build();
        try (Response response = new okhttp3.OkHttpClient().newCall(request).execute()) {
            String body = response.body().string();
            assertThat(response.code()).as("token request: HTTP %s", response.code()).isEqualTo(200);
            return JSON.readTree(body).path("access_token").asText();
        }
    }

    private static JsonNode call(JsonNode transcript, String tool) {
        for (JsonNode entry : transcript) {
            if (tool.equals(entry.path("tool").asText())) {
                return entry;
            }
        }
        throw new AssertionError("no tools/call " + tool + " in the transcript");
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(item -> values.add(item.asText()));
        return values;
    }

}

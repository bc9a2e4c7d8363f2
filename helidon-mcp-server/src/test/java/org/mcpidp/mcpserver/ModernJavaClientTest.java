package org.mcpidp.mcpserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.modern.McpSchema;
import io.modelcontextprotocol.modern.client.McpClient;
import io.modelcontextprotocol.modern.client.McpSyncClient;
import io.modelcontextprotocol.modern.client.McpSyncElicitationHandler;
import io.modelcontextprotocol.modern.client.transport.HttpClientMcpTransport;
import io.modelcontextprotocol.modern.client.transport.McpHttpRequestCustomizer;
import io.modelcontextprotocol.modern.client.transport.McpHttpStatusException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mcpidp.testkit.TestRealm;

/**
 * The official MCP Java SDK's own 2026-07-28 client ({@code io.modelcontextprotocol.modern.client.McpClient} over
 * {@code HttpClientMcpTransport}, SDK 2.2.0) against the real demo server and a real Keycloak: each agent gets a
 * client-credentials token and the transport's request customizer sends it as {@code Authorization: Bearer}. Nothing
 * here speaks the wire by hand: discovery, lists, calls, the 403 and the confirmation rounds
 * ({@code InputRequiredResult} answered by the client's form elicitation handler, then the retry with the sealed
 * {@code requestState}) are the SDK's.
 */
class ModernJavaClientTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final McpJsonMapper MAPPER = new JacksonMcpJsonMapper(JSON);

    @RegisterExtension
    static final DemoServer demo = new DemoServer(Map.of());

    @Test
    void whenTheClientDiscoversThenTheServerOffersBothEras() {
        McpSchema.DiscoverResult discovered = client("reader", "mcp:read").discover();

        assertThat(discovered.supportedVersions()).contains("2026-07-28", "2025-11-25");
        assertThat(discovered.capabilities().tools()).isNotNull();
        assertThat(discovered.meta()).containsKey("io.modelcontextprotocol/serverInfo");
        assertThat(JSON.valueToTree(discovered.meta().get("io.modelcontextprotocol/serverInfo")).path("name").asText())
                .isEqualTo("mcp-idp-kit-demo");
    }

    @Test
    void whenTheReaderListsToolsThenSheSeesOnlyTheToolsHerScopesAllowInAPrivateList() {
        McpSchema.ListToolsResult tools = client("reader", "mcp:read").tools().list();

        assertThat(tools.tools()).extracting(McpSchema.Tool::name).containsExactly("whoami", "list_products");
        assertThat(tools.cacheScope()).isEqualTo(McpSchema.CacheScope.PRIVATE);
    }

    @Test
    void whenTheAdminListsToolsThenHeSeesEveryTool() {
        assertThat(client("admin", "mcp:read", "mcp:write", "mcp:admin").tools().list().tools())
                .extracting(McpSchema.Tool::name)
                .containsExactly("whoami", "list_products", "create_product", "delete_product");
    }

    @Test
    void whenAnAgentCallsWhoamiThenItNamesThatAgent() {
        String token = demo.realm.token("reader", "mcp:read").accessToken();

        JsonNode whoami = json(client(token).tool("whoami").call());

        assertThat(whoami.path("clientId").asText()).isEqualTo("reader");
        assertThat(whoami.path("subject").asText()).isEqualTo(claim(token, "sub"));
        assertThat(whoami.path("issuer").asText()).isEqualTo(demo.realm.realm.issuer());
        assertThat(texts(whoami.path("scopes"))).contains("mcp:read").doesNotContain("mcp:write", "mcp:admin");
    }

    @Test
    void whenTheReaderNamesAToolSheIsNotListedThenTheSdkRefusesToCallIt() {
        McpSyncClient reader = client("reader", "mcp:read");

        assertThatThrownBy(() -> reader.tool("delete_product").arguments(Map.of("id", "p-1")).call())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("delete_product");
        assertThat(productIds(reader)).contains("p-1");
    }

    @Test
    void whenTheReaderCallsDeleteProductThenTheServerAnswers403NamingTheScopeItNeeds() {
        TestRealm.Tokens tokens = demo.realm.token("reader", "mcp:read");
        McpSyncClient reader = client(tokens.accessToken());
        // the definition as an admin sees it: the reader's own list does not have it, so the SDK would not send it
        McpSchema.Tool delete = tool(client("admin", "mcp:read", "mcp:write", "mcp:admin"), "delete_product");

        McpHttpStatusException refused = catchThrowableOfType(McpHttpStatusException.class,
                () -> reader.tool(delete).arguments(Map.of("id", "p-1")).call());

        assertThat(refused).as("the call must be refused with an HTTP status").isNotNull();
        assertThat(refused.statusCode()).isEqualTo(403);
        String challenge = refused.headers().firstValue("WWW-Authenticate").orElse("");
        assertThat(challenge).startsWith("Bearer error=\"insufficient_scope\"")
                .contains("resource_metadata=\"" + demo.server.prmUrl() + "\"");
        // the scope a new token must have: what the call needs first; beyond it at most what the token already holds
        // (a server may add those so one new token loses nothing), never a scope the call does not need
        List<String> scope = List.of(parameter(challenge, "scope").split(" "));
        assertThat(scope.getFirst()).isEqualTo("mcp:admin");
        assertThat(scope.subList(1, scope.size())).isSubsetOf(DemoRealm.grantedScopes(tokens))
                .doesNotContain("mcp:write");
        assertThat(productIds(reader)).contains("p-1");
    }

    @Test
    void whenTheAdminConfirmsTheDeleteThenTheProductIsGone() {
        List<McpSchema.ElicitFormRequest> asked = new CopyOnWriteArrayList<>();
        McpSyncClient admin = admin(request -> {
            asked.add(request);
            return McpSchema.ElicitResult.accept(Map.of("confirm", true));
        });
        String id = createProduct(admin, "Confirmed");

        McpSchema.CallToolResult deleted = admin.tool("delete_product").arguments(Map.of("id", id)).call();

        assertThat(deleted.isError()).as(text(deleted)).isNotEqualTo(Boolean.TRUE);
        assertThat(json(deleted).path("id").asText()).isEqualTo(id);
        assertThat(asked).singleElement().satisfies(request -> {
            assertThat(request.message()).isEqualTo("Delete product " + id + "?");
            assertThat(JSON.valueToTree(request.requestedSchema()).path("properties").path("confirm").path("type")
                    .asText()).isEqualTo("boolean");
        });
        assertThat(productIds(admin)).doesNotContain(id);
    }

    @Test
    void whenTheAdminDeclinesTheDeleteThenItIsAToolErrorAndTheProductStays() {
        McpSyncClient admin = admin(request -> McpSchema.ElicitResult.decline());
        String id = createProduct(admin, "Declined");

        McpSchema.CallToolResult refused = admin.tool("delete_product").arguments(Map.of("id", id)).call();

        assertThat(refused.isError()).isTrue();
        assertThat(text(refused)).startsWith("not deleted: the user did not confirm");
        assertThat(productIds(admin)).contains(id);
    }

    @Test
    void whenTheAdminAcceptsButLeavesConfirmFalseThenTheProductStays() {
        McpSyncClient admin = admin(request -> McpSchema.ElicitResult.accept(Map.of("confirm", false)));
        String id = createProduct(admin, "Unticked");

        McpSchema.CallToolResult refused = admin.tool("delete_product").arguments(Map.of("id", id)).call();

        assertThat(refused.isError()).isTrue();
        assertThat(text(refused)).startsWith("not deleted: the user did not confirm");
        assertThat(productIds(admin)).contains(id);
    }

    @Test
    void whenTheAdminClientCannotShowAFormThenTheDeleteHappensAtOnce() {
        McpSyncClient admin = client("admin", "mcp:read", "mcp:write", "mcp:admin");
        String id = createProduct(admin, "Unattended");

        McpSchema.CallToolOutcome once = admin.tool("delete_product").arguments(Map.of("id", id)).callOnce();

        assertThat(once).isInstanceOf(McpSchema.CallToolResult.class);
        assertThat(((McpSchema.CallToolResult) once).isError()).isNotEqualTo(Boolean.TRUE);
        assertThat(productIds(admin)).doesNotContain(id);
    }

    @Test
    void whenAnAgentHoldsTheAdminRoleButNotTheScopeThenItMayDelete() {
        McpSyncClient roleAdmin = client("role-admin", "mcp:read");
        String id = createProduct(client("admin", "mcp:read", "mcp:write", "mcp:admin"), "RoleDeleted");

        assertThat(roleAdmin.tools().list().tools()).extracting(McpSchema.Tool::name).contains("delete_product")
                .doesNotContain("create_product");
        McpSchema.CallToolResult deleted = roleAdmin.tool("delete_product").arguments(Map.of("id", id)).call();

        assertThat(deleted.isError()).as(text(deleted)).isNotEqualTo(Boolean.TRUE);
        assertThat(productIds(roleAdmin)).doesNotContain(id);
    }

    // ---- helpers ----

    private static McpSyncClient client(String agent, String... scopes) {
        return client(demo.realm.token(agent, scopes).accessToken());
    }

    private static McpSyncClient client(String token) {
        return builder(token).build();
    }

    private static McpSyncClient admin(McpSyncElicitationHandler<McpSchema.ElicitFormRequest> confirm) {
        return builder(demo.realm.token("admin", "mcp:read", "mcp:write", "mcp:admin").accessToken())
                .formElicitation(confirm)
                .build();
    }

    private static McpClient.SyncBuilder builder(String token) {
        HttpClientMcpTransport transport = HttpClientMcpTransport.builder(demo.server.resource)
                .jsonMapper(MAPPER)
                .connectTimeout(Duration.ofSeconds(5))
                .requestCustomizer(McpHttpRequestCustomizer.fromSync((request, headers, context) ->
                        headers.set("Authorization", "Bearer " + token)))
                .build();
        return McpClient.sync(transport)
                .clientInfo(McpSchema.Implementation.builder("modern-java-client-test", "1.0").build())
                .jsonMapper(MAPPER)
                .callTimeout(Duration.ofSeconds(30));
    }

    /** The value of {@code name}="..." in a {@code WWW-Authenticate} challenge. */
    private static String parameter(String challenge, String name) {
        Matcher matcher = Pattern.compile("\\b" + name + "=\"([^\"]*)\"").matcher(challenge);
        assertThat(matcher.find()).as(name + " in " + challenge).isTrue();
        return matcher.group(1);
    }

    private static McpSchema.Tool tool(McpSyncClient client, String name) {
        return client.tools().list().tools().stream().filter(tool -> tool.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " is not listed"));
    }

    private static String createProduct(McpSyncClient client, String name) {
        McpSchema.CallToolResult created = client.tool("create_product")
                .arguments(Map.of("name", name, "price", 1.5)).call();
        assertThat(created.isError()).as(text(created)).isNotEqualTo(Boolean.TRUE);
        return json(created).path("id").asText();
    }

    private static List<String> productIds(McpSyncClient client) {
        return texts(json(client.tool("list_products").call()).findValues("id"));
    }

    private static String text(McpSchema.CallToolResult result) {
        return result.content().stream().filter(McpSchema.TextContent.class::isInstance)
                .map(content -> ((McpSchema.TextContent) content).text()).findFirst().orElse("");
    }

    private static JsonNode json(McpSchema.CallToolResult result) {
        try {
            return JSON.readTree(text(result));
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + text(result), e);
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    private static List<String> texts(List<JsonNode> values) {
        return values.stream().map(JsonNode::asText).toList();
    }

    /** A claim of a JWT access token, read without verifying it (the test compares, it never trusts). */
    private static String claim(String jwt, String name) {
        try {
            byte[] payload = Base64.getUrlDecoder().decode(jwt.split("\\.")[1]);
            return JSON.readTree(new String(payload, StandardCharsets.UTF_8)).path(name).asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package org.mcpidp.provisioning.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import okhttp3.Credentials;
import okhttp3.FormBody;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.mcpidp.provisioning.ApplyListener;
import org.mcpidp.provisioning.DemoTenantFixture;
import org.mcpidp.provisioning.Change;
import org.mcpidp.provisioning.Plan;
import org.mcpidp.provisioning.ResourceType;
import org.mcpidp.provisioning.spec.TenantSpec;
import org.mcpidp.testkit.KeycloakExtension;
import org.mcpidp.testkit.KeycloakServer;

/**
 * Downstream APIs on a real Keycloak 26.7.3: applied, re-applied without writes, planned, exported, and used by a raw
 * RFC 8693 exchange as the MCP server: a caller whose roles allow a downstream scope gets a token for the API; one
 * whose roles do not is refused, and no exchange widens what the caller's token had.
 */
@ExtendWith(KeycloakExtension.class)
class DownstreamProvisioningTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DOWNSTREAM = DemoTenantFixture.ORDERS_API + """
                  - name: orders:admin
                    description: Administer orders
                    from: [mcp:admin]
            """;

    @TempDir
    static Path dir;

    private static KeycloakServer server;
    private static String realm;
    private static TenantSpec spec;
    private static Plan firstPlan;
    private static long reapplyWrites;
    private static Plan reapplyPlan;
    private static final Map<String, String> secrets = new HashMap<>();

    @BeforeAll
    static void provision(KeycloakServer keycloak) {
        server = keycloak;
        realm = TenantFixture.randomRealm();
        spec = DemoTenantFixture.tenant(dir, TenantFixture.people(realm, DOWNSTREAM), TenantFixture.PASSWORDS);
        try (KeycloakProvisioner provisioner = TenantFixture.provisioner(server)) {
            firstPlan = provisioner.plan(spec);
            provisioner.apply(firstPlan, secrets::put, ApplyListener.silent());
            long before = provisioner.writes();
            reapplyPlan = provisioner.plan(spec);
            provisioner.apply(reapplyPlan, secrets::put, ApplyListener.silent());
            reapplyWrites = provisioner.writes() - before;
        }
    }

    @AfterAll
    static void deleteRealm() {
        if (realm != null) {
            server.admin().delete("/" + realm);
        }
    }

    @Test
    void whenPlannedThenTheApiClientItsScopesAndTheDownscopePolicyAreCreated() {
        assertThat(firstPlan.changes()).filteredOn(c -> c instanceof Change.Create).extracting(Change::name)
                .contains("orders-api", "orders:read", "orders:admin", ExchangePolicyReconciler.NAME);
        assertThat(firstPlan.changes()).filteredOn(c -> c.type() == ResourceType.CLIENT_SCOPE).extracting(Change::name)
                .contains("orders-api", "orders:read", "orders:admin");
    }

    @Test
    void whenReappliedThenNothingChangesAndNothingIsWritten() {
        assertThat(reapplyPlan.changes()).isEmpty();
        assertThat(reapplyWrites).isZero();
    }

    @Test
    void whenAReaderAgentAsksThenItsMcpTokenCarriesOrdersReadButNotTheApiAudience() throws Exception {
        JsonNode claims = claims(agentToken("agent-reader", "AGENT_READER_SECRET"));

        assertThat(claims.path("scope").asText().split(" ")).contains("orders:read").doesNotContain("orders:admin");
        assertThat(audiences(claims)).contains("mcp-server").doesNotContain("orders-api");
    }

    @Test
    void whenTheServerExchangesAReaderTokenThenTheNewTokenIsForTheApiWithTheSameSubject() throws Exception {
        String subject = agentToken("agent-reader", "AGENT_READER_SECRET");

        JsonNode answer = exchange(subject, "orders-api", "orders:read");

        assertThat(answer.path("status").asInt()).isEqualTo(200);
        JsonNode exchanged = claims(answer.path("access_token").asText());
        assertThat(audiences(exchanged)).containsExactly("orders-api");
        assertThat(exchanged.path("sub").asText()).isEqualTo(claims(subject).path("sub").asText());
        assertThat(exchanged.path("azp").asText()).isEqualTo("mcp-server");
        assertThat(exchanged.path("scope").asText().split(" ")).contains("orders:read").doesNotContain("mcp:read");
        assertThat(exchanged.has("act")).isFalse();
    }

    @Test
    void whenAReaderAsksForADownstreamScopeHerRolesDoNotAllowThenTheExchangeIsRefused() throws Exception {
        JsonNode answer = exchange(agentToken("agent-reader", "AGENT_READER_SECRET"), "orders-api", "orders:admin");

        assertThat(answer.path("status").asInt()).isEqualTo(400);
        assertThat(answer.path("error").asText()).isEqualTo("invalid_scope");
    }

    @Test
    void whenAnAdminAsksForTheAdminScopeThenItIsGranted() throws Exception {
        JsonNode answer = exchange(agentToken("agent-admin", "AGENT_ADMIN_SECRET"), "orders-api", "orders:admin");

        assertThat(answer.path("status").asInt()).isEqualTo(200);
        assertThat(claims(answer.path("access_token").asText()).path("scope").asText().split(" "))
                .contains("orders:admin");
    }

    @Test
    void whenAnExchangeAsksForAnMcpScopeTheTokenLackedThenItNeverWidens() throws Exception {
        String reader = agentToken("agent-reader", "AGENT_READER_SECRET");

        JsonNode answer = exchange(reader, "orders-api", "orders:read mcp:admin");

        assertThat(answer.path("status").asInt()).isEqualTo(400);
        assertThat(answer.path("error").asText()).isEqualTo("invalid_scope");
    }

    @Test
    void whenExportedThenTheRealmFileHoldsTheDownstreamObjects() {
        String json = RealmExporter.export(spec);

        assertThat(json).contains("\"clientId\" : \"orders-api\"", "\"name\" : \"orders:read\"",
                "\"" + DesiredClient.TOKEN_EXCHANGE_ATTRIBUTE + "\" : \"true\"", ExchangePolicyReconciler.EXECUTOR);
    }

    private static String agentToken(String clientId, String secretName) throws Exception {
        Request request = new Request.Builder().url(server.issuer(realm) + "/protocol/openid-connect/token")
                .header("Authorization", Credentials.basic(clientId, secrets.get(secretName)))
                .post(new FormBody.Builder().add("grant_type", "client_credentials").add("scope", "mcp:read").build())
                .build();
        try (Response response = server.admin().http().newCall(request).execute()) {
            assertThat(response.code()).isEqualTo(200);
            return JSON.readTree(response.body().string()).path("access_token").asText();
        }
    }

    /** The answer's JSON with its HTTP status under "status". */
    private static JsonNode exchange(String subjectToken, String audience, String scope) throws Exception {
        Request request = new Request.Builder().url(server.issuer(realm) + "/protocol/openid-connect/token")
                .header("Authorization", Credentials.basic("mcp-server", secrets.get("MCP_SERVER_SECRET")))
                .post(new FormBody.Builder()
                        .add("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange")
                        .add("subject_token", subjectToken)
                        .add("subject_token_type", "urn:ietf:params:oauth:token-type:access_token")
                        .add("audience", audience)
                        .add("scope", scope).build())
                .build();
        try (Response response = server.admin().http().newCall(request).execute()) {
            com.fasterxml.jackson.databind.node.ObjectNode body =
                    (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(response.body().string());
            body.put("status", response.code());
            return body;
        }
    }

    private static JsonNode claims(String jwt) throws Exception {
        return JSON.readTree(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
    }

    private static List<String> audiences(JsonNode claims) {
        JsonNode aud = claims.path("aud");
        return aud.isArray() ? java.util.stream.StreamSupport.stream(aud.spliterator(), false).map(JsonNode::asText).toList()
                : List.of(aud.asText());
    }
}

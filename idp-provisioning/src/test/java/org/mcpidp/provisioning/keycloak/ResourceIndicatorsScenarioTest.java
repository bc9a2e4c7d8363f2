package org.mcpidp.provisioning.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mcpidp.provisioning.ServersFixture;
import org.mcpidp.testkit.KeycloakServer;

/**
 * One token per server with Keycloak's own RFC 8707 support: a real Keycloak 26.7.3 of this class's own, started with
 * the EXPERIMENTAL features {@code cimd,resource-indicators}. The plan picks {@link AudienceScheme#RESOURCE_INDICATORS};
 * a token asked for with {@code resource=<server URL>} then carries that URL alone in {@code aud}, and Keycloak refuses
 * a resource it cannot match ({@link OneTokenPerServerContract} for what both schemes guarantee). What 26.7.3 does
 * beyond that is asserted here as seen, so a Keycloak that changes it fails this test.
 */
class ResourceIndicatorsScenarioTest extends OneTokenPerServerContract {

    @TempDir
    static Path dir;

    private static KeycloakServer keycloak;
    private static TwoServers servers;

    @BeforeAll
    static void provision() {
        keycloak = KeycloakServer.startDedicated(List.of("--features=cimd,resource-indicators"), Map.of());
        servers = TwoServers.provision(keycloak, dir);
    }

    @AfterAll
    static void stop() {
        if (keycloak != null) {
            keycloak.close();
        }
    }

    @Override
    TwoServers servers() {
        return servers;
    }

    @Override
    Set<String> ordersAudience() {
        return Set.of(TwoServers.ORDERS_URL);
    }

    @Test
    void whenPlannedOnAKeycloakWithResourceIndicatorsThenThePlanSaysItUsesThem() {
        assertThat(servers.plan.notes()).singleElement().asString()
                .startsWith("token audience: resource indicators (Keycloak feature resource-indicators, EXPERIMENTAL)");
    }

    @Test
    void whenProvisionedThenEachServerClientNamesItsUrlAndAgentsGetRefreshTokensForClientCredentials() {
        JsonNode orders = client(ServersFixture.ORDERS);
        JsonNode agent = client("agent-both");

        assertThat(orders.path("attributes").path(AudienceScheme.RESOURCE_URL_ATTRIBUTE).asText())
                .isEqualTo(TwoServers.ORDERS_URL);
        assertThat(orders.path("attributes").path(AudienceScheme.INTROSPECTION_ATTRIBUTE).asText()).isEqualTo("true");
        assertThat(agent.path("attributes").path(AudienceScheme.CLIENT_CREDENTIALS_REFRESH_ATTRIBUTE).asText())
                .isEqualTo("true");
    }

    @Test
    void whenTheResourceIsUnknownOrHasATrailingSlashThenKeycloakAnswersInvalidTarget() {
        for (String resource : List.of("https://nobody.example.test/mcp", TwoServers.ORDERS_URL + "/")) {
            var answer = servers.agent("orders:read", resource);

            assertThat(answer.status()).as(resource).isEqualTo(400);
            assertThat(answer.body().path("error").asText()).as(resource).isEqualTo("invalid_target");
        }
    }

    @Test
    void whenAClientNamesServerAButAsksOnlyForBsScopesThenKeycloakAnswersInvalidTarget() {
        var agent = servers.agent("hr:read", TwoServers.ORDERS_URL);
        var person = servers.person("alice", "hr:read", TwoServers.ORDERS_URL);

        assertThat(agent.status()).isEqualTo(400);
        assertThat(agent.body().path("error").asText()).isEqualTo("invalid_target");
        assertThat(person.body().has("access_token")).isFalse();
        assertThat(person.body().path("error").asText()).isEqualTo("invalid_target");
    }

    /**
     * Keycloak 26.7.3 has no audience to match when no scope of a server was asked for, and fails with a
     * NullPointerException in {@code ResourceIndicatorsPostProcessor} (HTTP 500): clients must ask for a scope with
     * {@code resource}. When this fails, Keycloak changed it: update docs/tenant-spec.md.
     */
    @Test
    void whenAResourceIsNamedWithoutAnyOfItsScopesThenKeycloak2673AnswersServerError() {
        assertThat(servers.agent("", TwoServers.ORDERS_URL).status()).isEqualTo(500);
    }

    @Test
    void whenTheOtherServerIntrospectsATokenThenKeycloakAnswersActiveWithTheOwnAudienceAndItsVerifierRefuses() {
        String token = TwoServers.token(servers.agent("orders:read", TwoServers.ORDERS_URL));

        // Keycloak's introspection answer re-runs the mappers: the server's client id is back in aud, the narrowing
        // gone. Only the one-server policy keeps a token from carrying another server's audience there.
        var answer = servers.endpoints.introspect(ServersFixture.HR, servers.secrets.get("HR_MCP_SECRET"), token);
        assertThat(answer.body().path("active").asBoolean()).isTrue();
        assertThat(answer.body().path("aud").toString()).contains(TwoServers.ORDERS_URL, ServersFixture.ORDERS)
                .doesNotContain(TwoServers.HR_URL, ServersFixture.HR);
        assertThat(servers.verdicts(servers.hr(), token).get(0).isAccepted()).isFalse();
    }

    private static JsonNode client(String clientId) {
        return keycloak.admin().get("/" + servers.realm + "/clients?clientId=" + clientId).get(0);
    }
}

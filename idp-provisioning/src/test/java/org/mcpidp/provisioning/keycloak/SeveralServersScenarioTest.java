package org.mcpidp.provisioning.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.mcpidp.provisioning.ServersFixture;
import org.mcpidp.testkit.KeycloakExtension;
import org.mcpidp.testkit.KeycloakServer;

/**
 * One token per server with the audience-mapper scheme, on the shared real Keycloak 26.7.3, which runs without the
 * experimental feature resource-indicators and so ignores {@code resource}: a token carries the URL and client id of
 * the server whose scopes it asked for ({@link OneTokenPerServerContract} for what both schemes guarantee).
 */
@ExtendWith(KeycloakExtension.class)
class SeveralServersScenarioTest extends OneTokenPerServerContract {

    @TempDir
    static Path dir;

    private static TwoServers servers;

    @BeforeAll
    static void provision(KeycloakServer keycloak) {
        servers = TwoServers.provision(keycloak, dir);
    }

    @AfterAll
    static void deleteRealm() {
        if (servers != null) {
            servers.close();
        }
    }

    @Override
    TwoServers servers() {
        return servers;
    }

    @Override
    Set<String> ordersAudience() {
        return urlAndClient();
    }

    @Test
    void whenPlannedOnAKeycloakWithoutResourceIndicatorsThenThePlanSaysItUsesAudienceMappers() {
        assertThat(servers.plan.notes()).singleElement().asString()
                .startsWith("token audience: audience mappers (this Keycloak runs without the feature "
                        + "resource-indicators, so it ignores the resource parameter)")
                .contains("a request for scopes of two servers is refused");
    }

    /**
     * The limit of this scheme, written down rather than hidden: without resource indicators Keycloak does not read
     * {@code resource}, so a client that names server A but asks only for B's scopes gets a token for B (and only B).
     * Server A refuses it; B accepts it, because it is what the scopes asked for.
     */
    @Test
    void whenAClientNamesServerAButAsksOnlyForBsScopesThenTheTokenIsForBAloneAndARefusesIt() {
        var answer = servers.agent("hr:read", TwoServers.ORDERS_URL);

        assertThat(TwoServers.audience(answer)).containsExactlyInAnyOrder(TwoServers.HR_URL, ServersFixture.HR);
        assertThat(servers.verdicts(servers.orders(), TwoServers.token(answer))).allSatisfy(v ->
                assertThat(v.isAccepted()).as(v.mode() + " at orders-mcp").isFalse());
    }

    @Test
    void whenTheResourceIsUnknownThenKeycloakIgnoresItAndTheScopesDecide() {
        var answer = servers.agent("orders:read", "https://nobody.example.test/mcp");

        assertThat(TwoServers.audience(answer)).isEqualTo(urlAndClient());
    }
}

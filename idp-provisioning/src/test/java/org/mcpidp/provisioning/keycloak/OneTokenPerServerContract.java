package org.mcpidp.provisioning.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mcpidp.provisioning.ServersFixture;

/**
 * What holds for two MCP servers in one tenant whichever {@link AudienceScheme} the running Keycloak gets: a token a
 * client asked for with {@code resource=<server A>} and A's scopes is accepted by A's verifiers (introspection and
 * JWT) and refused by B's; a request for scopes of both servers is refused; a person's roles still decide her scopes.
 * Each subclass provisions the tenant into a real Keycloak 26.7.3 and says what the audience then is.
 */
abstract class OneTokenPerServerContract {

    /** The provisioned tenant. */
    abstract TwoServers servers();

    /** The {@code aud} of a token asked for with {@code resource} = the orders server and its scopes. */
    abstract Set<String> ordersAudience();

    @Test
    void whenTheSpecWroteTrailingSlashesThenTheAudienceIsTheCanonicalUrl() {
        var answer = servers().agent("orders:read", TwoServers.ORDERS_URL);

        assertThat(TwoServers.audience(answer)).isEqualTo(ordersAudience());
    }

    @Test
    void whenAnAgentAsksForServerAThenAAcceptsItAndBRefusesItByIntrospectionAndAsJwt() {
        String token = TwoServers.token(servers().agent("orders:read orders:write", TwoServers.ORDERS_URL));

        assertThat(servers().verdicts(servers().orders(), token)).allSatisfy(v -> {
            assertThat(v.isAccepted()).as(v.mode() + ": " + v.refusal()).isTrue();
            assertThat(v.accepted().scopes()).contains("orders:read", "orders:write").doesNotContain("hr:read");
        });
        assertThat(servers().verdicts(servers().hr(), token)).allSatisfy(v ->
                assertThat(v.isAccepted()).as(v.mode() + " at hr-mcp").isFalse());
    }

    @Test
    void whenAnAgentAsksForServerBThenBAcceptsItAndARefusesIt() {
        String token = TwoServers.token(servers().agent("hr:read", TwoServers.HR_URL));

        assertThat(servers().verdicts(servers().hr(), token)).allSatisfy(v ->
                assertThat(v.isAccepted()).as(v.mode() + ": " + v.refusal()).isTrue());
        assertThat(servers().verdicts(servers().orders(), token)).allSatisfy(v ->
                assertThat(v.isAccepted()).as(v.mode() + " at orders-mcp").isFalse());
    }

    @Test
    void whenAPersonSignsInForServerAThenAAcceptsHerTokenAndBRefusesIt() {
        var answer = servers().person("alice", "orders:read", TwoServers.ORDERS_URL);
        String token = TwoServers.token(answer);

        assertThat(TwoServers.audience(answer)).isEqualTo(ordersAudience());
        assertThat(servers().verdicts(servers().orders(), token)).allSatisfy(v -> {
            assertThat(v.isAccepted()).as(v.mode() + ": " + v.refusal()).isTrue();
            assertThat(v.accepted().scopes()).contains("orders:read").doesNotContain("hr:read");
        });
        assertThat(servers().verdicts(servers().hr(), token)).allSatisfy(v ->
                assertThat(v.isAccepted()).as(v.mode() + " at hr-mcp").isFalse());
    }

    @Test
    void whenAnAgentAsksForScopesOfBothServersThenKeycloakRefusesTheRequest() {
        for (String resource : new String[] {TwoServers.ORDERS_URL, TwoServers.HR_URL}) {
            var answer = servers().agent("orders:read hr:read", resource);

            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.body().path("error").asText()).isEqualTo("invalid_request");
        }
    }

    @Test
    void whenAPersonAsksForScopesOfBothServersThenTheAuthorizationRequestIsRefused() {
        var answer = servers().person("alice", "orders:read hr:read", TwoServers.ORDERS_URL);

        assertThat(answer.body().has("access_token")).isFalse();
        assertThat(answer.body().path("error").asText()).isEqualTo("invalid_request");
    }

    @Test
    void whenAPersonsRolesDoNotAllowAScopeOfTheServerThenHerTokenLacksIt() {
        // alice is a clerk: orders:write (manager) is left out although asked for; bob (manager) gets it.
        var alice = servers().person("alice", "orders:read orders:write", TwoServers.ORDERS_URL);
        var bob = servers().person("bob", "orders:read orders:write", TwoServers.ORDERS_URL);

        assertThat(alice.scopes()).contains("orders:read").doesNotContain("orders:write", "hr:read");
        assertThat(bob.scopes()).contains("orders:read", "orders:write");
    }

    @Test
    void whenReplannedThenNothingChanges() {
        try (KeycloakProvisioner provisioner = TenantFixture.provisioner(servers().server)) {
            assertThat(provisioner.plan(servers().spec).changes()).isEmpty();
        }
    }

    static Set<String> urlAndClient() {
        return Set.of(TwoServers.ORDERS_URL, ServersFixture.ORDERS);
    }
}

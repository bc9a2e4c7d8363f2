package org.mcpidp.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mcpidp.testkit.KeycloakExtension;
import org.mcpidp.testkit.KeycloakServer;
import org.mcpidp.testkit.TestRealm;

/**
 * {@link AuthInfo#actor()} for real Keycloak 26.7.3 tokens, verified as JWTs and by introspection. What Keycloak
 * writes (seen here): a client-credentials token names the service-account user ({@code preferred_username} and
 * introspection's {@code username} = {@code service-account-<client>}), has no {@code sid}, and its {@code jti} starts
 * with the token context {@code trrtcc:} (transient session, regular token, grant {@code cc}); a user's password-grant
 * token has {@code sid} and {@code jti} {@code onrtro:...}. Keycloak lets an admin (or self-registration) create a
 * normal user called {@code service-account-<client>} for any client that has no service account: such a user must
 * stay a person.
 */
@ExtendWith(KeycloakExtension.class)
class KeycloakActorTest {

    private static final String RESOURCE = "http://127.0.0.1:8080/mcp";
    private static final String SERVER_CLIENT = "mcp-server";

    private static TestRealm realm;
    private static String serverSecret;
    private static String agentSecret;
    private static String webSecret;
    private static String password;

    @BeforeAll
    static void realm(KeycloakServer keycloak) {
        realm = TestRealm.create(keycloak);
        realm.clientScope("mcp:read", RESOURCE, SERVER_CLIENT);
        serverSecret = realm.resourceServerClient(SERVER_CLIENT);
        agentSecret = realm.agentClient("agent-rw", "mcp:read");
        webSecret = realm.userClient("web-app", "mcp:read");
        password = "pw-" + UUID.randomUUID();
        realm.user("dave", password);
        // a person whose name is what the service account of web-app would be called (web-app has none)
        realm.user("service-account-web-app", password);
    }

    @AfterAll
    static void close() {
        realm.close();
    }

    private static List<AuthInfo> bothWays(String token) throws TokenVerificationException {
        AccessPolicy policy = AccessPolicy.builder().audiences(RESOURCE, SERVER_CLIENT).build();
        TokenVerifier jwt = TokenVerifier.builder().policy(policy)
                .issuer(TrustedIssuer.jwt(realm.issuer()).build()).build();
        TokenVerifier introspection = TokenVerifier.builder().policy(policy)
                .issuer(TrustedIssuer.introspection(realm.issuer(), SERVER_CLIENT, serverSecret).build())
                .cache(CacheSettings.disabled()).build();
        return List.of(jwt.verify(token), introspection.verify(token));
    }

    @Test
    void whenAnAgentUsesClientCredentialsThenBothPathsSayApplication() throws Exception {
        String token = realm.clientCredentials("agent-rw", agentSecret, "mcp:read").accessToken();

        for (AuthInfo info : bothWays(token)) {
            assertThat(info.username()).contains("service-account-agent-rw");
            assertThat(Actor.keycloakGrant(info.claims())).contains("cc");
            assertThat(info.actor()).isEqualTo(Actor.APPLICATION);
        }
    }

    @Test
    void whenAUserLogsInThroughTheAgentsClientThenBothPathsSayPerson() throws Exception {
        String token = realm.password("agent-rw", agentSecret, "dave", password, "mcp:read").accessToken();

        List<AuthInfo> infos = bothWays(token);
        for (AuthInfo info : infos) {
            assertThat(info.clientId()).contains("agent-rw");
            assertThat(info.actor()).isEqualTo(Actor.PERSON);
        }
        // introspection names the client in client_id and the user in username (RFC 7662): still a person
        assertThat(infos.get(1).claims()).containsEntry("client_id", "agent-rw").containsEntry("username", "dave");
    }

    @Test
    void whenAUserIsNamedLikeTheServiceAccountOfHerClientThenBothPathsSayPerson() throws Exception {
        String token = realm.password("web-app", webSecret, "service-account-web-app", password, "mcp:read")
                .accessToken();

        for (AuthInfo info : bothWays(token)) {
            // the name and the client match exactly what a service-account token of web-app would carry
            assertThat(info.username()).contains("service-account-web-app");
            assertThat(info.clientId()).contains("web-app");
            assertThat(info.actor()).isEqualTo(Actor.PERSON);
        }
    }
}

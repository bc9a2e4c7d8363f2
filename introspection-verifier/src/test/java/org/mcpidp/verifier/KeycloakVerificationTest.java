package org.mcpidp.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.mcpidp.verifier.Failures.failureOf;
import static org.mcpidp.verifier.Failures.invalid;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mcpidp.testkit.IntrospectionCounter;
import org.mcpidp.testkit.KeycloakExtension;
import org.mcpidp.testkit.KeycloakServer;
import org.mcpidp.testkit.Stampede;
import org.mcpidp.testkit.TestRealm;

/** The verifier against a real Keycloak 26.7: introspection, JWT, one policy for both, revocation, coalescing. */
@ExtendWith(KeycloakExtension.class)
class KeycloakVerificationTest {

    private static final String RESOURCE = "http://127.0.0.1:8080/mcp";
    private static final String SERVER_CLIENT = "mcp-server";

    private static TestRealm realm;
    private static String serverSecret;
    private static String agentSecret;
    private static String plainSecret;

    @BeforeAll
    static void realm(KeycloakServer keycloak) {
        realm = TestRealm.create(keycloak);
        realm.clientScope("mcp:read", RESOURCE, SERVER_CLIENT);
        realm.clientScope("mcp:write", RESOURCE, SERVER_CLIENT);
        serverSecret = realm.resourceServerClient(SERVER_CLIENT);
        agentSecret = realm.agentClient("agent-rw", "mcp:read", "mcp:write");
        plainSecret = realm.agentClient("agent-plain");
        realm.realmRole("admin");
        realm.grantRealmRoleToAgent("agent-rw", "admin");
    }

    @AfterAll
    static void close() {
        realm.close();
    }

    private static AccessPolicy policy(String... requiredScopes) {
        return AccessPolicy.builder().audiences(RESOURCE, SERVER_CLIENT).requiredScopes(requiredScopes)
                .roleClients(SERVER_CLIENT).build();
    }

    private static TokenVerifier introspecting(CacheSettings cache, String... requiredScopes) {
        return TokenVerifier.builder()
                .policy(policy(requiredScopes))
                .issuer(TrustedIssuer.introspection(realm.issuer(), SERVER_CLIENT, serverSecret).build())
                .cache(cache)
                .build();
    }

    private static TokenVerifier jwt(String... requiredScopes) {
        return TokenVerifier.builder()
                .policy(policy(requiredScopes))
                .issuer(TrustedIssuer.jwt(realm.issuer()).build())
                .build();
    }

    private static String token(String scope) {
        return realm.clientCredentials("agent-rw", agentSecret, scope).accessToken();
    }

    @Test
    void whenClientCredentialsTokenIsIntrospectedThenAuthInfoDescribesTheAgent() throws Exception {
        AuthInfo info = introspecting(CacheSettings.disabled()).verify(token("mcp:read"));

        assertThat(info.subject()).isNotBlank();
        assertThat(info.clientId()).contains("agent-rw");
        assertThat(info.issuer()).isEqualTo(realm.issuer());
        assertThat(info.audiences()).contains(RESOURCE, SERVER_CLIENT);
        assertThat(info.scopes()).contains("mcp:read").doesNotContain("mcp:write");
        assertThat(info.roles()).contains("admin");
        assertThat(info.expiresAt()).isCloseTo(Instant.now().plusSeconds(300), within(30, ChronoUnit.SECONDS));
    }

    @Test
    void whenTheSameTokenIsVerifiedAsJwtAndByIntrospectionThenBothGiveTheSameAuthInfo() throws Exception {
        String token = token("mcp:read mcp:write");
        AuthInfo viaJwt = jwt().verify(token);
        AuthInfo viaIntrospection = introspecting(CacheSettings.disabled()).verify(token);

        assertThat(viaJwt.subject()).isEqualTo(viaIntrospection.subject());
        assertThat(viaJwt.clientId()).isEqualTo(viaIntrospection.clientId());
        assertThat(viaJwt.issuer()).isEqualTo(viaIntrospection.issuer());
        assertThat(viaJwt.audiences()).isEqualTo(viaIntrospection.audiences());
        assertThat(viaJwt.scopes()).isEqualTo(viaIntrospection.scopes());
        assertThat(viaJwt.roles()).isEqualTo(viaIntrospection.roles());
        assertThat(viaJwt.expiresAt()).isEqualTo(viaIntrospection.expiresAt());
    }

    @Test
    void whenAScopeIsMissingThenBothPathsAnswerInsufficientScopeWithTheSameRequirement() {
        String token = token("mcp:read");
        VerificationFailure viaJwt = failureOf(jwt("mcp:write"), token);
        VerificationFailure viaIntrospection = failureOf(introspecting(CacheSettings.disabled(), "mcp:write"), token);
        assertThat(viaJwt).isInstanceOf(VerificationFailure.InsufficientScope.class).isEqualTo(viaIntrospection);
        assertThat(((VerificationFailure.InsufficientScope) viaJwt).required()).containsExactly("mcp:write");
    }

    @Test
    void whenTheTokenIsNotForThisResourceThenBothPathsRejectIt() {
        // No MCP scope requested: aud carries neither the resource URL nor the server client.
        String token = realm.clientCredentials("agent-plain", plainSecret, "").accessToken();
        assertThat(invalid(jwt(), token)).contains("audience");
        // Keycloak >= 26.7.0 itself refuses: the introspecting client is not in aud.
        assertThat(invalid(introspecting(CacheSettings.disabled()), token)).contains("not active");
    }

    @Test
    void whenTheTokenIsRevokedThenAlwaysIntrospectRefusesAtOnceAndTheCacheAfterItsLifetime() throws Exception {
        String token = token("mcp:read");
        MutableClock clock = MutableClock.now();
        TokenVerifier cached = TokenVerifier.builder()
                .policy(policy())
                .issuer(TrustedIssuer.introspection(realm.issuer(), SERVER_CLIENT, serverSecret).build())
                .cache(CacheSettings.defaults().withMaxLifetime(Duration.ofSeconds(30)))
                .clock(clock)
                .build();
        TokenVerifier always = introspecting(CacheSettings.disabled());
        cached.verify(token);
        always.verify(token);

        realm.revoke("agent-rw", agentSecret, token);

        assertThat(invalid(always, token)).contains("not active");
        assertThat(cached.verify(token)).as("still cached").isNotNull();
        clock.advance(Duration.ofSeconds(31));
        assertThat(invalid(cached, token)).contains("not active");
    }

    @Test
    void whenTheUserIsLoggedOutThenTheirTokenIsRefusedByIntrospection() throws Exception {
        String username = "carol";
        String password = java.util.UUID.randomUUID().toString();
        String userId = realm.user(username, password, "admin");
        String token = realm.password("agent-rw", agentSecret, username, password, "mcp:read").accessToken();
        TokenVerifier always = introspecting(CacheSettings.disabled());
        assertThat(always.verify(token).roles()).contains("admin");

        realm.logoutUser(userId);

        assertThat(invalid(always, token)).contains("not active");
    }

    @Test
    void whenAPersonsTokenIsVerifiedThenBothPathsNameThePerson() throws Exception {
        String password = java.util.UUID.randomUUID().toString();
        realm.user("dave", password);
        String token = realm.password("agent-rw", agentSecret, "dave", password, "mcp:read").accessToken();

        AuthInfo byJwt = jwt().verify(token);
        AuthInfo byIntrospection = introspecting(CacheSettings.disabled()).verify(token);

        for (AuthInfo info : List.of(byJwt, byIntrospection)) {
            assertThat(info.username()).contains("dave");
            assertThat(info.name()).contains("dave Test"); // Keycloak's name = firstName + " " + lastName
            assertThat(info.email()).contains("dave@example.test");
        }
        // Keycloak 26.7.3's introspection answer names the user in "username" as well (RFC 7662)
        assertThat(byIntrospection.claims().get("username")).isEqualTo("dave");
    }

    @Test
    void whenAnAgentTokenIsVerifiedThenNoPersonIsInvented() throws Exception {
        AuthInfo info = introspecting(CacheSettings.disabled()).verify(token("mcp:read"));
        // a service account has Keycloak's own username, and no name or e-mail
        assertThat(info.username()).contains("service-account-agent-rw");
        assertThat(info.name()).isEmpty();
        assertThat(info.email()).isEmpty();
    }

    @Test
    void whenTheClientIsDisabledThenItsTokensAreRefusedByIntrospection() throws Exception {
        String clientId = "agent-temp";
        String secret = realm.agentClient(clientId, "mcp:read");
        String token = realm.clientCredentials(clientId, secret, "mcp:read").accessToken();
        TokenVerifier always = introspecting(CacheSettings.disabled());
        always.verify(token);
        realm.setClientEnabled(clientId, false);
        assertThat(invalid(always, token)).contains("not active");
    }

    @Test
    void whenManyRequestsCarryOneColdTokenThenKeycloakIsAskedExactlyOnce() throws Exception {
        IntrospectionCounter introspections = new IntrospectionCounter();
        OkHttpClient counting = introspections.client();
        TokenVerifier verifier = TokenVerifier.builder()
                .policy(policy())
                .issuer(TrustedIssuer.introspection(realm.issuer(), SERVER_CLIENT, serverSecret).build())
                .httpClient(counting)
                .build();
        assertThat(verifier.ready()).isTrue();
        String token = token("mcp:read");

        int callers = 150;
        for (AuthInfo info : Stampede.run(callers, () -> verifier.verify(token), Duration.ofSeconds(30))) {
            assertThat(info.clientId()).contains("agent-rw");
        }
        assertThat(introspections.count()).isEqualTo(1);
    }

    @Test
    void whenTheClientUsesLightweightTokensThenOnlyIntrospectionKnowsTheCaller() throws Exception {
        String secret = realm.agentClient("agent-light", "mcp:read");
        realm.setClientAttribute("agent-light", "client.use.lightweight.access.token.enabled", "true");
        String token = realm.clientCredentials("agent-light", secret, "mcp:read").accessToken();

        assertThat(failureOf(jwt(), token)).isInstanceOf(VerificationFailure.InvalidToken.class);
        AuthInfo info = introspecting(CacheSettings.disabled()).verify(token);
        assertThat(info.clientId()).contains("agent-light");
        assertThat(info.scopes()).contains("mcp:read");
        assertThat(info.audiences()).contains(RESOURCE);
    }

    @Test
    void whenKeycloakIssuesADpopBoundTokenThenBothPathsRefuseItAsABearerToken() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).generate();
        TestRealm.DpopTokens dpop = realm.dpopClientCredentials("agent-rw", agentSecret, "mcp:read", key);
        // what Keycloak 26.7.3 issues: cnf.jkt in the token and token_type DPoP in the introspection answer
        assertThat(SignedJWT.parse(dpop.tokens().accessToken()).getJWTClaimsSet().getJSONObjectClaim("cnf"))
                .containsKey("jkt");

        assertThat(invalid(jwt(), dpop.tokens().accessToken())).contains("sender-constrained", "DPoP");
        assertThat(invalid(introspecting(CacheSettings.disabled()), dpop.tokens().accessToken()))
                .contains("sender-constrained", "DPoP");
        // the proof itself is no access token either
        assertThat(invalid(jwt(), dpop.proof())).contains("DPoP proof");
        // the same client's plain bearer token still passes
        assertThat(jwt().verify(token("mcp:read")).clientId()).contains("agent-rw");
    }

    @Test
    void whenDiscoveryRunsAgainstKeycloakThenBothEndpointsAreFound() {
        assertThat(jwt().ready()).isTrue();
        assertThat(introspecting(CacheSettings.defaults()).ready()).isTrue();
    }
}

package org.mcpidp.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mcpidp.testkit.EntraClaims;
import org.mcpidp.testkit.LocalIssuer;

/**
 * {@link AuthInfo#actor()} for Entra ID claim sets and other issuers, through a real verifier. This machine cannot
 * reach Microsoft: the Entra tokens are LOCAL STAND-INS shaped like Entra's documented access-token claims
 * ({@link EntraClaims}) and signed by {@link LocalIssuer}'s key set, which the verifier is pointed at with jwksUri.
 * Keycloak's own tokens are classified against a real Keycloak in {@link KeycloakActorTest}.
 */
class ActorTest {

    private static final String TENANT = EntraClaims.TENANT;
    private static final String V2_ISSUER = EntraClaims.v2Issuer(TENANT);
    private static final String V1_ISSUER = "https://sts.windows.net/" + TENANT + "/";
    private static final String API_APP_ID_URI = "api://" + EntraClaims.API_APP_ID;
    /** A person's pairwise sub: never her oid. */
    private static final String PAIRWISE_SUB = "AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ";

    private LocalIssuer keys;

    @BeforeEach
    void start() {
        keys = LocalIssuer.start();
    }

    @AfterEach
    void stop() {
        keys.close();
    }

    private Actor entraV2(Map<String, Object> claims) throws Exception {
        return TokenVerifier.builder()
                .policy(AccessPolicy.builder().audiences(EntraClaims.API_APP_ID).build())
                .issuer(TrustedIssuer.entra(V2_ISSUER).jwksUri(keys.jwksUri()).build())
                .build().verify(EntraClaims.sign(keys, claims)).actor();
    }

    private Actor entraV1(Map<String, Object> claims) throws Exception {
        return TokenVerifier.builder()
                .policy(AccessPolicy.builder().audiences(API_APP_ID_URI).build())
                .issuer(TrustedIssuer.entra(V1_ISSUER).jwksUri(keys.jwksUri()).build())
                .build().verify(EntraClaims.sign(keys, claims)).actor();
    }

    /** An app-only v2 token: app roles, no scp, sub = oid = the agent's service principal. */
    private static Map<String, Object> v2AppOnly() {
        Map<String, Object> claims = EntraClaims.v2AccessToken(TENANT);
        claims.put("roles", List.of("mcp:read"));
        return claims;
    }

    /** A delegated v2 token: scp, a pairwise sub that differs from the user's oid. */
    private static Map<String, Object> v2Delegated() {
        Map<String, Object> claims = EntraClaims.v2AccessToken(TENANT);
        claims.put("scp", "mcp:read");
        claims.put("sub", PAIRWISE_SUB);
        claims.put("preferred_username", "alice@contoso.example");
        return claims;
    }

    /** A v1 token: issued by sts.windows.net, aud the App ID URI, appid instead of azp. */
    private static Map<String, Object> v1(Map<String, Object> claims) {
        claims.put("iss", V1_ISSUER);
        claims.put("aud", API_APP_ID_URI);
        claims.put("appid", claims.remove("azp"));
        claims.put("ver", "1.0");
        return claims;
    }

    @Test
    void whenAnEntraV2TokenHasRolesNoScpAndSubIsOidThenItIsTheApplication() throws Exception {
        assertThat(entraV2(v2AppOnly())).isEqualTo(Actor.APPLICATION);
    }

    @Test
    void whenAnEntraV2AppOnlyTokenAlsoSaysIdtypAppThenItIsTheApplication() throws Exception {
        Map<String, Object> claims = v2AppOnly();
        claims.put("idtyp", "app");
        assertThat(entraV2(claims)).isEqualTo(Actor.APPLICATION);
    }

    @Test
    void whenAnEntraV2TokenIsDelegatedThenItIsAPerson() throws Exception {
        assertThat(entraV2(v2Delegated())).isEqualTo(Actor.PERSON);
        Map<String, Object> withIdtyp = v2Delegated();
        withIdtyp.put("idtyp", "user");
        assertThat(entraV2(withIdtyp)).isEqualTo(Actor.PERSON);
    }

    @Test
    void whenAnEntraUserTokenCarriesOnlyRolesThenItIsStillAPerson() throws Exception {
        // role-gated scopes arrive in roles; the pairwise sub still tells the person apart
        Map<String, Object> claims = v2AppOnly();
        claims.put("sub", PAIRWISE_SUB);
        assertThat(entraV2(claims)).isEqualTo(Actor.PERSON);
    }

    @Test
    void whenEntraClaimsContradictEachOtherThenItIsAPerson() throws Exception {
        Map<String, Object> userButNoScp = v2AppOnly();
        userButNoScp.put("idtyp", "user");
        assertThat(entraV2(userButNoScp)).isEqualTo(Actor.PERSON);
        Map<String, Object> appButScp = v2AppOnly();
        appButScp.put("idtyp", "app");
        appButScp.put("scp", "mcp:read");
        assertThat(entraV2(appButScp)).isEqualTo(Actor.PERSON);
        Map<String, Object> noOid = v2AppOnly();
        noOid.remove("oid");
        assertThat(entraV2(noOid)).isEqualTo(Actor.PERSON);
    }

    @Test
    void whenAnEntraV1TokenIsAppOnlyThenItIsTheApplicationAndADelegatedOneAPerson() throws Exception {
        assertThat(entraV1(v1(v2AppOnly()))).isEqualTo(Actor.APPLICATION);
        Map<String, Object> delegated = v1(v2Delegated());
        delegated.remove("preferred_username");
        delegated.put("upn", "alice@contoso.example");
        assertThat(entraV1(delegated)).isEqualTo(Actor.PERSON);
    }

    @Test
    void whenAnotherIssuersTokenHasSubEqualToItsClientThenItIsTheApplication() throws Exception {
        TokenVerifier verifier = TokenVerifier.builder()
                .policy(AccessPolicy.builder().audiences("api").build())
                .issuer(TrustedIssuer.jwt(keys.issuer()).build())
                .build();
        Map<String, Object> client = keys.claims("api", "read");
        client.remove("typ"); // not Keycloak-shaped: RFC 9068 rules
        client.put("sub", "agent-1");
        assertThat(verifier.verify(keys.sign(client)).actor()).isEqualTo(Actor.APPLICATION);

        Map<String, Object> person = keys.claims("api", "read");
        person.remove("typ");
        assertThat(verifier.verify(keys.sign(person)).actor()).isEqualTo(Actor.PERSON);
    }

    @Test
    void whenAKeycloakShapedTokenHasSubEqualToItsClientButNoClientCredentialsGrantThenItIsAPerson() throws Exception {
        // A Keycloak client id can be chosen (dynamic registration), a user's sub can be learnt: no shortcut by sub.
        TokenVerifier verifier = TokenVerifier.builder()
                .policy(AccessPolicy.builder().audiences("api").build())
                .issuer(TrustedIssuer.jwt(keys.issuer()).build())
                .build();
        Map<String, Object> claims = keys.claims("api", "read");
        claims.put("sub", "agent-1");
        claims.put("jti", "onrtac:2f0c8a6e-0d7b-4a43-9d52-1a3c9e1f7b11");
        assertThat(verifier.verify(keys.sign(claims)).actor()).isEqualTo(Actor.PERSON);
    }

    @Test
    void keycloakGrantIsReadOnlyFromAWellFormedTokenContext() {
        assertThat(Actor.keycloakGrant(Map.of("jti", "trrtcc:08dab6d0-0ab0-3111-1e58-27abdc3ad1da"))).contains("cc");
        assertThat(Actor.keycloakGrant(Map.of("jti", "onrtro:0a9ff02f"))).contains("ro");
        assertThat(Actor.keycloakGrant(Map.of("jti", "08dab6d0-0ab0-3111-1e58-27abdc3ad1da"))).isEmpty();
        assertThat(Actor.keycloakGrant(Map.of("jti", "TRRTCC:x"))).isEmpty();
        assertThat(Actor.keycloakGrant(Map.of("jti", "trrtcc:"))).isEmpty();
        assertThat(Actor.keycloakGrant(Map.of("jti", 42))).isEmpty();
    }
}

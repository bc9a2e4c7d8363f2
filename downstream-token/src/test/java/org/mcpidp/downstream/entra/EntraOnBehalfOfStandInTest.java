package org.mcpidp.downstream.entra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mcpidp.downstream.DownstreamTarget;
import org.mcpidp.downstream.DownstreamTokens;
import org.mcpidp.downstream.ExchangeFailure;
import org.mcpidp.downstream.ExchangeFailure.Reason;
import org.mcpidp.downstream.ExchangeOutcome;
import org.mcpidp.verifier.AuthInfo;
import org.mcpidp.verifier.CallerToken;

/**
 * Entra On-Behalf-Of with the real msal4j 1.26.0 against {@link EntraOboStandIn}, a local HTTPS STAND-IN that follows
 * Microsoft's documented wire format; no Entra tenant is reachable from here. The stand-in serves several tenants'
 * token endpoints and records which one each request went to (the authority's tenant in the path). The caller's {@link AuthInfo} is built
 * as the verifier would build it for that token (the verifier's Entra profile is tested in introspection-verifier).
 */
class EntraOnBehalfOfStandInTest {

    private static final String TENANT = "6f1d2c3b-0000-4000-8000-00000000beef";
    /** A second customer tenant of a multi-tenant MCP API. */
    private static final String SECOND_TENANT = "7a2e3d4c-0000-4000-8000-00000000cafe";
    /** A tenant the server does not exchange for (the stand-in would serve it: only the exchanger can refuse). */
    private static final String FOREIGN_TENANT = "8b3f4e5d-0000-4000-8000-00000000f00d";
    private static final String MCP_SERVER_APP = "0a1b2c3d-0000-4000-8000-0000000c11e7";
    private static final String SECRET = "obo-secret-" + UUID.randomUUID();
    private static final String ORDERS_API = "api://orders-api";
    private static final DownstreamTarget ORDERS_READ = new DownstreamTarget(ORDERS_API, Set.of("orders:read"));
    private static RSAKey signingKey;

    private EntraOboStandIn standIn;
    private EntraOnBehalfOf obo;

    @BeforeAll
    static void key() throws JOSEException {
        signingKey = new RSAKeyGenerator(2048).keyID("standin-key").generate();
    }

    @BeforeEach
    void start() {
        standIn = new EntraOboStandIn(Set.of(TENANT, SECOND_TENANT, FOREIGN_TENANT), MCP_SERVER_APP, SECRET,
                MCP_SERVER_APP);
        obo = exchanger(standIn.authorityHost());
    }

    @AfterEach
    void stop() {
        standIn.close();
    }

    private EntraOnBehalfOf exchanger(String authorityHost) {
        return EntraOnBehalfOf.builder().authorityHost(authorityHost).tenant(TENANT).clientId(MCP_SERVER_APP)
                .clientSecret(SECRET).apiAudience(MCP_SERVER_APP, "api://" + MCP_SERVER_APP)
                .connectTimeout(Duration.ofSeconds(2)).readTimeout(Duration.ofSeconds(5)).callTimeout(Duration.ofSeconds(20))
                .localStandIn(standIn.trust()).build();
    }

    @Test
    void whenAUserTokenIsExchangedThenTheApiTokenCarriesTheAskedScopes() throws Exception {
        Caller alice = user("alice", "mcp:read");

        ExchangeOutcome outcome = obo.exchange(alice.token(), alice.info(), ORDERS_READ);

        assertThat(outcome).isInstanceOf(ExchangeOutcome.Issued.class);
        String issued = ((ExchangeOutcome.Issued) outcome).token().value();
        assertThat(standIn.scopeOf(issued)).isEqualTo("api://orders-api/orders:read");
        assertThat(issued).isNotEqualTo(alice.token());
        assertThat(((ExchangeOutcome.Issued) outcome).token().expiresAt())
                .isBetween(Instant.now().plusSeconds(3500), Instant.now().plusSeconds(3600));
        Map<String, String> form = standIn.lastForm();
        assertThat(form).containsEntry("grant_type", EntraOboStandIn.JWT_BEARER)
                .containsEntry("requested_token_use", "on_behalf_of")
                .containsEntry("client_id", MCP_SERVER_APP);
        assertThat(Set.of(form.get("scope").split(" ")))
                .containsExactlyInAnyOrder("api://orders-api/orders:read", "openid", "profile", "offline_access");
        assertThat(standIn.lastAssertionWas(alice.token())).isTrue();
        assertThat(standIn.lastTenant()).isEqualTo(TENANT);
    }

    @Test
    void whenCallersOfTwoAllowedTenantsExchangeThenEachExchangeRunsAtTheCallersOwnTenant() throws Exception {
        EntraOnBehalfOf multiTenant = EntraOnBehalfOf.builder().authorityHost(standIn.authorityHost())
                .tenants(TENANT, SECOND_TENANT).clientId(MCP_SERVER_APP).clientSecret(SECRET)
                .apiAudience(MCP_SERVER_APP).localStandIn(standIn.trust()).build();
        Caller bob = userOf(SECOND_TENANT, "bob", "mcp:read");
        Caller alice = user("alice", "mcp:read");

        assertThat(multiTenant.exchange(bob.token(), bob.info(), ORDERS_READ)).isInstanceOf(ExchangeOutcome.Issued.class);
        assertThat(standIn.lastTenant()).isEqualTo(SECOND_TENANT);
        assertThat(multiTenant.exchange(alice.token(), alice.info(), ORDERS_READ)).isInstanceOf(ExchangeOutcome.Issued.class);
        assertThat(standIn.lastTenant()).isEqualTo(TENANT);
    }

    @Test
    void whenTheCallersTenantIsNotAllowedThenIssuerNotAllowedBeforeAnyCall() throws Exception {
        Caller stranger = userOf(FOREIGN_TENANT, "mallory", "mcp:read");

        ExchangeFailure failure = refusedBeforeAnyCall(obo, stranger, Reason.ISSUER_NOT_ALLOWED);

        assertThat(failure.detail()).contains(FOREIGN_TENANT, TENANT);
    }

    @Test
    void whenTheCallerHasNoTenantThenIssuerNotAllowedBeforeAnyCall() throws Exception {
        Map<String, Object> claims = base("alice");
        claims.put("scp", "mcp:read");
        claims.remove("tid");
        Caller noTenant = caller(claims, Set.of("mcp:read"), Set.of());

        assertThat(refusedBeforeAnyCall(obo, noTenant, Reason.ISSUER_NOT_ALLOWED).detail()).contains("none");
    }

    @Test
    void whenATenantIsNotATenantIdThenTheBuilderRefusesIt() {
        assertThatThrownBy(() -> EntraOnBehalfOf.builder().tenants("contoso.onmicrosoft.com"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("GUID");
        assertThatThrownBy(() -> EntraOnBehalfOf.builder().tenants("../common"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void whenTheSameUserExchangesTwiceThenEachGoesToEntraBecauseCachingIsTheFacadesJob() throws Exception {
        Caller alice = user("alice", "mcp:read");

        obo.exchange(alice.token(), alice.info(), ORDERS_READ);
        obo.exchange(alice.token(), alice.info(), ORDERS_READ);

        // On port 443 msal4j's own cache would answer the second call if it were used (see EntraOboStandIn).
        assertThat(standIn.tokenRequests()).isEqualTo(2);
    }

    @Test
    void whenToolsCallThroughTheFacadeThenConcurrentCallsForOneCallerShareOneOnBehalfOfRequest() throws Exception {
        DownstreamTokens tokens = DownstreamTokens.builder().exchanger(obo).build();
        Caller alice = user("alice", "mcp:read");
        AuthInfo verified = alice.info().withToken(CallerToken.of(alice.token()));

        List<ExchangeOutcome> outcomes;
        try (ExecutorService tools = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<ExchangeOutcome>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(tools.submit(() -> tokens.tokenFor(verified, ORDERS_READ)));
            }
            outcomes = new ArrayList<>();
            for (Future<ExchangeOutcome> call : calls) {
                outcomes.add(call.get(30, TimeUnit.SECONDS));
            }
        }

        assertThat(outcomes).allSatisfy(o -> assertThat(o).isInstanceOf(ExchangeOutcome.Issued.class));
        assertThat(outcomes.stream().map(o -> ((ExchangeOutcome.Issued) o).token().value()).distinct()).hasSize(1);
        assertThat(standIn.tokenRequests()).isEqualTo(1);
    }

    @Test
    void whenTheCallerHoldsAnAppOnlyTokenThenItIsRefusedBeforeAnyCall() throws Exception {
        Map<String, Object> claims = base("agent-reader-sp");
        claims.put("roles", List.of("mcp:read"));
        claims.put("idtyp", "app");
        Caller agent = caller(claims, Set.of("mcp:read"), Set.of("mcp:read"));

        ExchangeFailure failure = refusedBeforeAnyCall(obo, agent, Reason.APP_ONLY_TOKEN);

        assertThat(failure.detail()).contains("client credentials", "api://orders-api/.default", "app role",
                "AADSTS7000114");
    }

    @Test
    void whenARolesOnlyTokenHasNoIdtypAndOidIsSubThenItIsStillAppOnly() throws Exception {
        Map<String, Object> claims = base("5c1e0000-0000-4000-8000-00000000a9e7");
        claims.put("oid", "5c1e0000-0000-4000-8000-00000000a9e7");
        claims.put("roles", List.of("mcp:read"));
        Caller agent = caller(claims, Set.of("mcp:read"), Set.of("mcp:read"));

        ExchangeFailure failure = refusedBeforeAnyCall(obo, agent, Reason.APP_ONLY_TOKEN);

        assertThat(failure.detail()).contains("no 'scp', oid = sub");
    }

    @Test
    void whenAUserTokenCarriesRoleGatedScopesInRolesOnlyThenItIsStillExchanged() throws Exception {
        // The kit's role-gated scopes are app roles in Entra: a user's token can carry them in roles, without scp.
        Map<String, Object> claims = base("pairwise-sub-of-bob");
        claims.put("oid", "b0b00000-0000-4000-8000-000000000b0b");
        claims.put("roles", List.of("mcp:read"));
        Caller bob = caller(claims, Set.of("mcp:read"), Set.of("mcp:read"));

        assertThat(obo.exchange(bob.token(), bob.info(), ORDERS_READ)).isInstanceOf(ExchangeOutcome.Issued.class);
        assertThat(standIn.tokenRequests()).isEqualTo(1);
    }

    @Test
    void whenTheTokenIsNotForTheMcpApiAppThenNotInAudienceBeforeAnyCall() throws Exception {
        Map<String, Object> claims = base("alice");
        claims.put("scp", "mcp:read");
        claims.put("aud", "00000003-0000-0000-c000-000000000000");
        Caller alice = caller(claims, Set.of("mcp:read"), Set.of());

        refusedBeforeAnyCall(obo, alice, Reason.NOT_IN_AUDIENCE);
    }

    @Test
    void whenConsentIsMissingThenConsentRequired() throws Exception {
        standIn.answer(EntraOboStandIn.Answer.CONSENT_REQUIRED);
        Caller alice = user("alice", "mcp:read");

        ExchangeFailure failure = failure(obo.exchange(alice.token(), alice.info(), ORDERS_READ));

        assertThat(failure.reason()).isEqualTo(Reason.CONSENT_REQUIRED);
        assertThat(failure.detail()).contains("AADSTS65001").doesNotContain("Trace ID");
        assertThat(standIn.tokenRequests()).isEqualTo(1);
    }

    @Test
    void whenConditionalAccessWantsMoreThenAClaimsChallengeCarriesTheClaims() throws Exception {
        standIn.answer(EntraOboStandIn.Answer.CLAIMS_CHALLENGE);
        Caller alice = user("alice", "mcp:read");

        ExchangeFailure failure = failure(obo.exchange(alice.token(), alice.info(), ORDERS_READ));

        assertThat(failure.reason()).isEqualTo(Reason.CLAIMS_CHALLENGE);
        assertThat(failure.claims()).contains(EntraOboStandIn.CLAIMS);
        assertThat(failure.detail()).contains("interaction_required", "AADSTS50079");
    }

    @Test
    void whenEntraAnswers503ThenUnavailable() throws Exception {
        standIn.answer(EntraOboStandIn.Answer.SERVER_ERROR);
        Caller alice = user("alice", "mcp:read");

        assertThat(failure(obo.exchange(alice.token(), alice.info(), ORDERS_READ)).reason())
                .isEqualTo(Reason.UNAVAILABLE);
    }

    @Test
    void whenEntraAnswersTooSlowlyThenUnavailableWithinTheTimeouts() throws Exception {
        standIn.answer(EntraOboStandIn.Answer.SLOW);
        EntraOnBehalfOf impatient = EntraOnBehalfOf.builder().authorityHost(standIn.authorityHost()).tenant(TENANT)
                .clientId(MCP_SERVER_APP).clientSecret(SECRET).apiAudience(MCP_SERVER_APP)
                .readTimeout(Duration.ofMillis(300)).callTimeout(Duration.ofSeconds(4)).localStandIn(standIn.trust()).build();
        Caller alice = user("alice", "mcp:read");

        assertThat(failure(impatient.exchange(alice.token(), alice.info(), ORDERS_READ)).reason())
                .isEqualTo(Reason.UNAVAILABLE);
    }

    @Test
    void whenTheStandInIsDownThenUnavailable() throws Exception {
        Caller alice = user("alice", "mcp:read");
        standIn.close();

        ExchangeFailure failure = failure(obo.exchange(alice.token(), alice.info(), ORDERS_READ));

        assertThat(failure.reason()).isEqualTo(Reason.UNAVAILABLE);
        assertThat(failure.detail()).contains("could not be reached").doesNotContain(alice.token());
    }

    @Test
    void whenTheCallerLacksTheFromScopeOfARuleThenScopeNotAllowedBeforeAnyCall() throws Exception {
        EntraOnBehalfOf ruled = ruled();
        Caller writer = user("carol", "mcp:write");

        ExchangeFailure failure = refusedBeforeAnyCall(ruled, writer, Reason.SCOPE_NOT_ALLOWED);

        assertThat(failure.detail()).contains("orders:read", "[mcp:read]", "[mcp:write]");
    }

    @Test
    void whenARuledAudienceIsAskedForAnUnlistedScopeOrDotDefaultThenScopeNotAllowed() throws Exception {
        EntraOnBehalfOf ruled = ruled();
        Caller alice = user("alice", "mcp:read");

        assertThat(failure(ruled.exchange(alice.token(), alice.info(), new DownstreamTarget(ORDERS_API,
                Set.of("orders:delete")))).reason()).isEqualTo(Reason.SCOPE_NOT_ALLOWED);
        assertThat(failure(ruled.exchange(alice.token(), alice.info(), new DownstreamTarget(ORDERS_API, Set.of())))
                .detail()).contains(".default");
        assertThat(standIn.tokenRequests()).isZero();
    }

    @Test
    void whenTheCallerHoldsTheFromScopeThenTheRuledExchangeGoesThrough() throws Exception {
        Caller alice = user("alice", "mcp:read");

        assertThat(ruled().exchange(alice.token(), alice.info(), ORDERS_READ)).isInstanceOf(ExchangeOutcome.Issued.class);
        assertThat(standIn.tokenRequests()).isEqualTo(1);
    }

    private EntraOnBehalfOf ruled() {
        return EntraOnBehalfOf.builder().authorityHost(standIn.authorityHost()).tenant(TENANT).clientId(MCP_SERVER_APP)
                .clientSecret(SECRET).apiAudience(MCP_SERVER_APP).allowScope(ORDERS_API, "orders:read", "mcp:read")
                .localStandIn(standIn.trust()).build();
    }

    @Test
    void whenNoScopeIsNamedThenDotDefaultIsAskedAndFullScopesStayAsTheyAre() {
        assertThat(ScopeRules.entraScopes(new DownstreamTarget(ORDERS_API, Set.of())))
                .containsExactly("api://orders-api/.default");
        assertThat(ScopeRules.entraScopes(new DownstreamTarget(ORDERS_API,
                Set.of("orders:read", "api://other/x")))).containsExactly("api://other/x", "api://orders-api/orders:read");
    }

    /** Exchanges {@code caller}'s token for {@link #ORDERS_READ}: refused for {@code reason} without asking Entra. */
    private ExchangeFailure refusedBeforeAnyCall(EntraOnBehalfOf exchanger, Caller caller, Reason reason) {
        ExchangeFailure failure = failure(exchanger.exchange(caller.token(), caller.info(), ORDERS_READ));
        assertThat(failure.reason()).isEqualTo(reason);
        assertThat(standIn.tokenRequests()).isZero();
        return failure;
    }

    private static ExchangeFailure failure(ExchangeOutcome outcome) {
        assertThat(outcome).isInstanceOf(ExchangeOutcome.Failed.class);
        return ((ExchangeOutcome.Failed) outcome).failure();
    }

    private record Caller(String token, AuthInfo info) {
    }

    private static Map<String, Object> base(String subject) {
        return base(TENANT, subject);
    }

    private static Map<String, Object> base(String tenant, String subject) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", "https://login.microsoftonline.com/" + tenant + "/v2.0");
        claims.put("aud", MCP_SERVER_APP);
        claims.put("tid", tenant);
        claims.put("sub", subject);
        claims.put("azp", "mcp-inspector-app");
        claims.put("ver", "2.0");
        claims.put("exp", Instant.now().plusSeconds(3600).getEpochSecond());
        return claims;
    }

    /** A delegated (user) v2 token for the MCP API app, as Entra issues it to an interactive client. */
    private static Caller user(String subject, String... scopes) throws JOSEException {
        return userOf(TENANT, subject, scopes);
    }

    private static Caller userOf(String tenant, String subject, String... scopes) throws JOSEException {
        Map<String, Object> claims = base(tenant, subject);
        claims.put("scp", String.join(" ", scopes));
        claims.put("idtyp", "user");
        claims.put("preferred_username", subject + "@contoso.test");
        return caller(claims, new LinkedHashSet<>(Arrays.asList(scopes)), Set.of());
    }

    private static Caller caller(Map<String, Object> claims, Set<String> scopes, Set<String> roles) throws JOSEException {
        JWTClaimsSet.Builder set = new JWTClaimsSet.Builder();
        claims.forEach((name, value) -> set.claim(name, name.equals("exp") ? new java.util.Date((Long) value * 1000) : value));
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey.getKeyID()).build(),
                set.build());
        jwt.sign(new RSASSASigner(signingKey));
        Object aud = claims.get("aud");
        AuthInfo info = new AuthInfo((String) claims.get("sub"), Optional.of((String) claims.get("azp")),
                (String) claims.get("iss"), Set.of((String) aud), scopes, roles,
                Instant.ofEpochSecond((Long) claims.get("exp")), claims);
        return new Caller(jwt.serialize(), info);
    }
}

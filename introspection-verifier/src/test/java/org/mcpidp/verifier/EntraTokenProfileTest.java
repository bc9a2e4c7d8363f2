package org.mcpidp.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mcpidp.verifier.Failures.invalid;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mcpidp.testkit.EntraClaims;
import org.mcpidp.testkit.LocalIssuer;

/**
 * Entra ID access tokens, v1 and v2, app-only and delegated, single- and multi-tenant. This machine cannot reach
 * Microsoft: tokens are shaped exactly like Entra's documented access-token claims and signed by a LOCAL STAND-IN
 * key set (LocalIssuer's JWKS), which the verifier is pointed at with jwksUri instead of Entra's discovery.
 */
class EntraTokenProfileTest {

    private static final String TENANT = EntraClaims.TENANT;
    private static final String OTHER_TENANT = EntraClaims.OTHER_TENANT;
    private static final String API_APP_ID = EntraClaims.API_APP_ID;
    private static final String API_APP_ID_URI = "api://" + API_APP_ID;
    private static final String AGENT_APP_ID = EntraClaims.AGENT_APP_ID;
    private static final String V2_ISSUER = "https://login.microsoftonline.com/" + TENANT + "/v2.0";
    private static final String V1_ISSUER = "https://sts.windows.net/" + TENANT + "/";
    private static final String TEMPLATE = "https://login.microsoftonline.com/{tenantid}/v2.0";

    private LocalIssuer keys;

    @BeforeEach
    void start() {
        keys = LocalIssuer.start();
    }

    @AfterEach
    void stop() {
        keys.close();
    }

    private TokenVerifier verifier(TrustedIssuer issuer, String... audiences) {
        return TokenVerifier.builder()
                .policy(AccessPolicy.builder().audiences(audiences).build())
                .issuer(issuer)
                .build();
    }

    /** Claims of an Entra v2 access token as documented: aud = the API's appId GUID. */
    private static Map<String, Object> v2(String tenant, String issuer) {
        return EntraClaims.v2AccessToken(tenant, issuer);
    }

    private String sign(Map<String, Object> claims) {
        return EntraClaims.sign(keys, claims);
    }

    @Test
    void whenAnAppOnlyV2TokenCarriesAppRolesThenTheyAreRolesAndScopes() throws Exception {
        Map<String, Object> claims = v2(TENANT, V2_ISSUER);
        claims.put("idtyp", "app");
        claims.put("roles", List.of("Tools.ReadWrite.All"));
        TokenVerifier verifier = verifier(TrustedIssuer.entra(V2_ISSUER).jwksUri(keys.jwksUri()).build(), API_APP_ID);

        AuthInfo info = verifier.verify(sign(claims));
        assertThat(info.clientId()).contains(AGENT_APP_ID);
        assertThat(info.roles()).containsExactly("Tools.ReadWrite.All");
        // app-only tokens never carry scp: the app role stands for the scope of the same name
        assertThat(info.scopes()).containsExactly("Tools.ReadWrite.All");
        assertThat(info.issuer()).isEqualTo(V2_ISSUER);
    }

    @Test
    void whenADelegatedV2TokenCarriesScpThenScopesAreSplitOnSpaces() throws Exception {
        Map<String, Object> claims = v2(TENANT, V2_ISSUER);
        claims.put("scp", "mcp.read mcp.write");
        claims.put("name", "Alice");
        TokenVerifier verifier = verifier(TrustedIssuer.entra(V2_ISSUER).jwksUri(keys.jwksUri()).build(), API_APP_ID);
        assertThat(verifier.verify(sign(claims)).scopes()).containsExactlyInAnyOrder("mcp.read", "mcp.write");
    }

    @Test
    void whenAV1TokenHasTheAppIdUriAsAudienceAndAppidAsClientThenAccepted() throws Exception {
        Map<String, Object> claims = v2(TENANT, V1_ISSUER);
        claims.remove("azp");
        claims.remove("azpacr");
        claims.put("appid", AGENT_APP_ID);
        claims.put("appidacr", "1");
        claims.put("aud", API_APP_ID_URI);
        claims.put("ver", "1.0");
        claims.put("roles", List.of("Tools.Read"));
        TokenVerifier verifier = verifier(TrustedIssuer.entra(V1_ISSUER).jwksUri(keys.jwksUri()).build(), API_APP_ID_URI, API_APP_ID);
        AuthInfo info = verifier.verify(sign(claims));
        assertThat(info.clientId()).contains(AGENT_APP_ID);
        assertThat(info.audiences()).containsExactly(API_APP_ID_URI);
    }

    @Test
    void whenAV1TokenIsPresentedToAV2OnlyConfigurationThenIssuerIsNotTrusted() {
        Map<String, Object> claims = v2(TENANT, V1_ISSUER);
        TokenVerifier v2Only = verifier(TrustedIssuer.entra(V2_ISSUER).jwksUri(keys.jwksUri()).build(), API_APP_ID);
        assertThat(invalid(v2Only, sign(claims))).contains("issuer");
    }

    @Test
    void whenMultiTenantThenIssMustEqualTheTemplateWithTheTokensOwnTidAndTidMustBeAllowed() throws Exception {
        TokenVerifier verifier = verifier(TrustedIssuer.entra(TEMPLATE).jwksUri(keys.jwksUri()).tenants(TENANT).build(), API_APP_ID);
        assertThat(verifier.verify(sign(v2(TENANT, V2_ISSUER))).issuer()).isEqualTo(V2_ISSUER);

        String otherIssuer = "https://login.microsoftonline.com/" + OTHER_TENANT + "/v2.0";
        assertThat(invalid(verifier, sign(v2(OTHER_TENANT, otherIssuer)))).contains("tenant");
        // iss of one tenant with tid of another: the substitution does not give iss
        assertThat(invalid(verifier, sign(v2(OTHER_TENANT, V2_ISSUER)))).containsAnyOf("issuer", "tenant");
        Map<String, Object> noTid = v2(TENANT, V2_ISSUER);
        noTid.remove("tid");
        assertThat(invalid(verifier, sign(noTid))).containsAnyOf("issuer", "tenant");
    }

    @Test
    void whenATokenForMicrosoftGraphArrivesThenItIsRejectedWithAClearReason() {
        TokenVerifier verifier = verifier(TrustedIssuer.entra(V2_ISSUER).jwksUri(keys.jwksUri()).build(), API_APP_ID);
        Map<String, Object> claims = v2(TENANT, V2_ISSUER);
        claims.put("aud", "00000003-0000-0000-c000-000000000000");
        String graphToken = keys.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(keys.rsaKey().getKeyID())
                .customParam("nonce", UUID.randomUUID().toString()).build(), claims);
        assertThat(invalid(verifier, graphToken)).contains("Microsoft API");
        assertThat(invalid(verifier, sign(claims))).contains("Microsoft Graph");
    }

    @Test
    void whenAppRolesAsScopesIsOffThenRolesGrantNoScope() throws Exception {
        Map<String, Object> claims = v2(TENANT, V2_ISSUER);
        claims.put("roles", List.of("mcp:read"));
        TokenVerifier verifier = verifier(TrustedIssuer.entra(V2_ISSUER).jwksUri(keys.jwksUri()).appRolesAsScopes(false).build(), API_APP_ID);
        AuthInfo info = verifier.verify(sign(claims));
        assertThat(info.roles()).containsExactly("mcp:read");
        assertThat(info.scopes()).isEmpty();
    }

    @Test
    void whenAnAppOnlyTokenHasTheAppRoleThenAPolicyRequiringThatScopePasses() throws Exception {
        Map<String, Object> claims = v2(TENANT, V2_ISSUER);
        claims.put("roles", List.of("mcp:read"));
        TokenVerifier verifier = TokenVerifier.builder()
                .policy(AccessPolicy.builder().audiences(API_APP_ID).requiredScopes("mcp:read").build())
                .issuer(TrustedIssuer.entra(V2_ISSUER).jwksUri(keys.jwksUri()).build())
                .build();
        assertThat(verifier.verify(sign(claims)).scopes()).contains("mcp:read");
    }

    @Test
    void whenAMultiTenantIssuerHasNoTenantAllowListThenBuildFails() {
        assertThatThrownBy(() -> TrustedIssuer.entra(TEMPLATE).jwksUri(keys.jwksUri()).build())
                .hasMessageContaining("allow-list");
        assertThatThrownBy(() -> TrustedIssuer.entra(V2_ISSUER).tenants(TENANT).build())
                .hasMessageContaining("template");
    }
}

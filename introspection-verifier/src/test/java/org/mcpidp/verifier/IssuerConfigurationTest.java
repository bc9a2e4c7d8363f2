package org.mcpidp.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mcpidp.verifier.Failures.failureOf;
import static org.mcpidp.verifier.Failures.invalid;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mcpidp.testkit.LocalIssuer;

/** Discovery, several issuers, the custom mode, and configuration mistakes caught at build time. */
class IssuerConfigurationTest {

    private static final String RESOURCE = "https://mcp.example.test/mcp";

    private LocalIssuer idp;
    private LocalIssuer other;

    @BeforeEach
    void start() {
        idp = LocalIssuer.start();
        other = LocalIssuer.start();
    }

    @AfterEach
    void stop() {
        idp.close();
        other.close();
    }

    private static AccessPolicy policy() {
        return AccessPolicy.builder().audiences(RESOURCE).build();
    }

    @Test
    void whenMetadataIsLoadedThenVerifierIsReadyAndDiscoveryIsFetchedOnce() throws Exception {
        TokenVerifier verifier = TokenVerifier.builder().policy(policy()).issuer(TrustedIssuer.jwt(idp.issuer()).build()).build();
        assertThat(verifier.ready()).isTrue();
        verifier.verify(idp.sign(idp.claims(RESOURCE, "")));
        verifier.verify(idp.sign(idp.claims(RESOURCE, "a")));
        assertThat(idp.requests("/.well-known/openid-configuration")).isEqualTo(1);
    }

    @Test
    void whenMetadataNamesAnotherIssuerThenNothingFromItIsUsed() {
        String lookalike = idp.baseUrl() + "/realms/other";
        TokenVerifier verifier = TokenVerifier.builder().policy(policy())
                .issuer(TrustedIssuer.jwt(lookalike).metadataUrl(idp.issuer() + "/.well-known/openid-configuration").build())
                .build();
        assertThat(verifier.ready()).isFalse();
        Map<String, Object> claims = idp.claims(RESOURCE, "");
        claims.put("iss", lookalike);
        assertThat(failureOf(verifier, idp.sign(claims))).isInstanceOf(VerificationFailure.Unavailable.class);
        assertThat(idp.requests("/jwks")).isZero();
    }

    @Test
    void whenOidcDiscoveryIs404ThenRfc8414PathInsertedMetadataIsUsed() throws Exception {
        String issuer = idp.issuer();
        idp.overrideAll(request -> {
            String path = request.getUrl().encodedPath();
            if (path.equals("/.well-known/oauth-authorization-server" + LocalIssuer.REALM_PATH)) {
                return LocalIssuer.json(200, "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + idp.jwksUri() + "\"}");
            }
            if (path.equals(LocalIssuer.REALM_PATH + "/jwks")) {
                return LocalIssuer.json(200, new com.nimbusds.jose.jwk.JWKSet(idp.rsaKey().toPublicJWK()).toString());
            }
            return new MockResponse.Builder().code(404).build();
        });
        TokenVerifier verifier = TokenVerifier.builder().policy(policy()).issuer(TrustedIssuer.jwt(issuer).build()).build();
        assertThat(verifier.ready()).isTrue();
        assertThat(verifier.verify(idp.sign(idp.claims(RESOURCE, ""))).issuer()).isEqualTo(issuer);
        assertThat(idp.requests("/.well-known/openid-configuration")).isEqualTo(1);
    }

    @Test
    void whenTwoJwtIssuersAreTrustedThenEachTokenIsCheckedAgainstItsOwnKeys() throws Exception {
        TokenVerifier verifier = TokenVerifier.builder().policy(policy())
                .issuer(TrustedIssuer.jwt(idp.issuer()).build())
                .issuer(TrustedIssuer.jwt(other.issuer()).build())
                .build();
        assertThat(verifier.verify(idp.sign(idp.claims(RESOURCE, ""))).issuer()).isEqualTo(idp.issuer());
        assertThat(verifier.verify(other.sign(other.claims(RESOURCE, ""))).issuer()).isEqualTo(other.issuer());

        Map<String, Object> forged = other.claims(RESOURCE, "");
        forged.put("iss", idp.issuer()); // other's key, idp's name
        assertThat(invalid(verifier, other.sign(forged))).contains("signature");
        assertThat(invalid(verifier, "opaque-token")).contains("JWT");
    }

    @Test
    void whenOnlyJwtIssuersAndAnOpaqueTokenArrivesThenNoIdpIsAsked() {
        TokenVerifier verifier = TokenVerifier.builder().policy(policy())
                .issuer(TrustedIssuer.jwt(idp.issuer()).build())
                .issuer(TrustedIssuer.introspection(other.issuer(), "c", "s").build())
                .build();
        other.onIntrospection(request -> LocalIssuer.json(200, "{\"active\":false}"));
        failureOf(verifier, "opaque-token");
        assertThat(other.requests("/introspect")).isEqualTo(1);
        assertThat(idp.requests("/introspect")).isZero();
    }

    @Test
    void whenTwoIssuersWouldIntrospectOpaqueTokensThenBuildFails() {
        assertThatThrownBy(() -> TokenVerifier.builder().policy(policy())
                .issuer(TrustedIssuer.introspection(idp.issuer(), "c", "s").build())
                .issuer(TrustedIssuer.introspection(other.issuer(), "c", "s").build())
                .build()).hasMessageContaining("at most one issuer");
    }

    @Test
    void whenCustomVerificationReturnsAnAuthInfoThenThePolicyStillDecides() throws Exception {
        String issuer = "https://legacy.example.test";
        TokenVerifier verifier = TokenVerifier.builder()
                .policy(AccessPolicy.builder().audiences(RESOURCE).requiredScopes("read").build())
                .issuer(TrustedIssuer.custom(issuer, token -> switch (token) {
                    case "good" -> info(issuer, RESOURCE, Set.of("read"));
                    case "wrong-audience" -> info(issuer, "https://other", Set.of("read"));
                    case "wrong-issuer" -> info("https://evil.example.test", RESOURCE, Set.of("read"));
                    case "no-scope" -> info(issuer, RESOURCE, Set.of());
                    case "boom" -> throw new IllegalStateException("bug in custom code");
                    default -> throw TokenVerificationException.invalid("unknown API key");
                }).build())
                .build();
        assertThat(verifier.verify("good").subject()).isEqualTo("svc");
        assertThat(invalid(verifier, "wrong-audience")).contains("audience");
        assertThat(invalid(verifier, "wrong-issuer")).contains("issuer");
        assertThat(invalid(verifier, "nope")).contains("unknown API key");
        assertThat(failureOf(verifier, "no-scope")).isInstanceOf(VerificationFailure.InsufficientScope.class);
        assertThat(failureOf(verifier, "boom")).isInstanceOf(VerificationFailure.Unavailable.class);
    }

    @Test
    void whenConfigurationIsUnsafeThenBuildersRefuse() {
        assertThatThrownBy(() -> AccessPolicy.builder().build()).hasMessageContaining("audience");
        assertThatThrownBy(() -> TrustedIssuer.jwt("https://x").algorithms("HS256")).hasMessageContaining("not allowed");
        assertThatThrownBy(() -> TrustedIssuer.jwt("https://x").algorithms("none")).hasMessageContaining("not allowed");
        assertThatThrownBy(() -> TrustedIssuer.jwt("ftp://x")).hasMessageContaining("http");
        assertThatThrownBy(() -> TrustedIssuer.introspection("https://x", "c", "")).hasMessageContaining("secret");
        assertThatThrownBy(() -> TokenVerifier.builder().policy(policy()).build()).hasMessageContaining("TrustedIssuer");
        assertThat(TrustedIssuer.introspection("https://x", "c", "hunter2").build().toString()).doesNotContain("hunter2");
    }

    @Test
    void whenASettingOfAnotherModeIsGivenThenBuildRefusesNamingIt() {
        assertThatThrownBy(() -> TrustedIssuer.introspection("https://x", "c", "s").jwksUri("https://x/jwks").build())
                .hasMessageContaining("jwksUri applies to JWT issuers only");
        assertThatThrownBy(() -> TrustedIssuer.introspection("https://x", "c", "s").algorithms("ES256").build())
                .hasMessageContaining("algorithms applies to JWT issuers only");
        assertThatThrownBy(() -> TrustedIssuer.jwt("https://x").introspectionEndpoint("https://x/introspect").build())
                .hasMessageContaining("introspectionEndpoint applies to introspection issuers only");
        assertThatThrownBy(() -> TrustedIssuer.custom("https://x", token -> null)
                .clientAuthentication(TrustedIssuer.ClientAuthentication.CLIENT_SECRET_POST).build())
                .hasMessageContaining("clientAuthentication applies to introspection issuers only");
        TrustedIssuer introspection = TrustedIssuer.introspection("https://x", "c", "s").build();
        assertThat(introspection.mode()).isEqualTo(TrustedIssuer.TokenMode.INTROSPECTION);
        assertThat(introspection.clientId()).contains("c");
        assertThat(introspection.algorithms()).isEmpty();
        assertThat(TrustedIssuer.jwt("https://x").build().clientId()).isEmpty();
    }

    private static AuthInfo info(String issuer, String audience, Set<String> scopes) {
        return new AuthInfo("svc", Optional.of("legacy-client"), issuer, Set.of(audience), scopes, Set.of(),
                Instant.now().plusSeconds(60), Map.of());
    }
}

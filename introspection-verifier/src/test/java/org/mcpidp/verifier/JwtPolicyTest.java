package org.mcpidp.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mcpidp.verifier.Failures.failureOf;
import static org.mcpidp.verifier.Failures.invalid;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mcpidp.testkit.LocalIssuer;

/** Every branch of the policy, through the JWT path, with tokens signed by a local stand-in issuer. */
class JwtPolicyTest {

    private static final String RESOURCE = "https://mcp.example.test/mcp";

    private LocalIssuer idp;
    private MutableClock clock;
    private TokenVerifier verifier;

    @BeforeEach
    void start() {
        idp = LocalIssuer.start();
        clock = MutableClock.now();
        verifier = verifier(AccessPolicy.builder().audiences(RESOURCE, "mcp-server").roleClients("mcp-server").build());
    }

    @AfterEach
    void stop() {
        idp.close();
    }

    private TokenVerifier verifier(AccessPolicy policy) {
        return TokenVerifier.builder()
                .policy(policy)
                .issuer(TrustedIssuer.jwt(idp.issuer()).build())
                .clock(clock)
                .build();
    }

    private Map<String, Object> claims() {
        Map<String, Object> claims = idp.claims(RESOURCE, "mcp:read mcp:write");
        long now = clock.instant().getEpochSecond();
        claims.put("iat", now);
        claims.put("exp", now + 300);
        return claims;
    }

    /** The message of the InvalidToken failure for a token signed with the usual claims after {@code change}. */
    private String invalidWhen(Consumer<Map<String, Object>> change) {
        Map<String, Object> claims = claims();
        change.accept(claims);
        return invalid(verifier, idp.sign(claims));
    }

    @Test
    void whenTokenIsValidThenAuthInfoCarriesItsClaims() throws Exception {
        Map<String, Object> claims = claims();
        claims.put("realm_access", Map.of("roles", List.of("admin", "user")));
        claims.put("resource_access", Map.of("mcp-server", Map.of("roles", List.of("operator")),
                "other-client", Map.of("roles", List.of("ignored"))));
        AuthInfo info = verifier.verify(idp.sign(claims));

        assertThat(info.subject()).isEqualTo("user-123");
        assertThat(info.clientId()).contains("agent-1");
        assertThat(info.issuer()).isEqualTo(idp.issuer());
        assertThat(info.audiences()).containsExactly(RESOURCE);
        assertThat(info.scopes()).containsExactlyInAnyOrder("mcp:read", "mcp:write");
        assertThat(info.roles()).containsExactlyInAnyOrder("admin", "user", "operator");
        assertThat(info.expiresAt().getEpochSecond()).isEqualTo(((Number) claims.get("exp")).longValue());
        assertThat(info.claims()).containsEntry("sub", "user-123");
    }

    @Test
    void whenAudienceIsAnArrayContainingTheServerClientIdThenAccepted() throws Exception {
        Map<String, Object> claims = claims();
        claims.put("aud", List.of("account", "mcp-server"));
        assertThat(verifier.verify(idp.sign(claims)).audiences()).containsExactlyInAnyOrder("account", "mcp-server");
    }

    @Test
    void whenAudienceDoesNotMatchThenInvalid() {
        assertThat(invalidWhen(claims -> claims.put("aud", List.of("account", "https://other.example.test/mcp"))))
                .contains("audience");
    }

    @Test
    void whenAudienceIsMissingOrEmptyThenInvalid() {
        assertThat(invalidWhen(claims -> claims.remove("aud"))).contains("audience");
        assertThat(invalidWhen(claims -> claims.put("aud", List.of()))).contains("audience");
        assertThat(invalidWhen(claims -> claims.put("aud", ""))).contains("audience");
    }

    @Test
    void whenIssuerDiffersEvenSlightlyThenInvalid() {
        for (String wrong : List.of(idp.issuer() + "/", idp.issuer().toUpperCase(), idp.issuer().replace("http:", "https:"))) {
            Map<String, Object> claims = claims();
            claims.put("iss", wrong);
            assertThat(invalid(verifier, idp.sign(claims))).as(wrong).contains("issuer");
        }
    }

    @Test
    void whenExpIsMissingThenInvalid() {
        assertThat(invalidWhen(claims -> claims.remove("exp"))).contains("exp");
    }

    @Test
    void whenExpiredBeyondLeewayThenInvalidButWithinLeewayAccepted() throws Exception {
        Map<String, Object> claims = claims();
        long now = clock.instant().getEpochSecond();
        claims.put("exp", now - 30);
        assertThat(verifier.verify(idp.sign(claims))).isNotNull();
        claims.put("exp", now - 61);
        assertThat(invalid(verifier, idp.sign(claims))).contains("expired");
    }

    @Test
    void whenExpIsAStringAFloatOrHugeThenInvalid() {
        long exp = clock.instant().getEpochSecond() + 300;
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1").build();
        for (String expJson : List.of("\"" + exp + "\"", exp + ".5", "99999999999999999999", "1e300", "-5")) {
            String payload = "{\"iss\":\"%s\",\"sub\":\"s\",\"aud\":\"%s\",\"exp\":%s}".formatted(idp.issuer(), RESOURCE, expJson);
            assertThat(failureOf(verifier, idp.signRaw(header, payload)))
                    .as(expJson).isInstanceOf(VerificationFailure.InvalidToken.class);
        }
    }

    @Test
    void whenNotBeforeOrIssuedAtIsInTheFutureBeyondLeewayThenInvalid() throws Exception {
        long now = clock.instant().getEpochSecond();
        Map<String, Object> claims = claims();
        claims.put("nbf", now + 50);
        assertThat(verifier.verify(idp.sign(claims))).isNotNull();
        claims.put("nbf", now + 120);
        assertThat(invalid(verifier, idp.sign(claims))).contains("nbf");
        claims.remove("nbf");
        claims.put("iat", now + 120);
        assertThat(invalid(verifier, idp.sign(claims))).contains("iat");
    }

    @Test
    void whenLeewayIsZeroThenJustExpiredIsInvalid() {
        TokenVerifier strict = verifier(AccessPolicy.builder().audiences(RESOURCE).leeway(Duration.ZERO).build());
        Map<String, Object> claims = claims();
        claims.put("exp", clock.instant().getEpochSecond() - 1);
        assertThat(invalid(strict, idp.sign(claims))).contains("expired");
    }

    @Test
    void whenRequiredScopeIsMissingThenInsufficientScopeNamesWhatIsNeeded() {
        TokenVerifier needsAdmin = verifier(AccessPolicy.builder().audiences(RESOURCE).requiredScopes("mcp:read", "mcp:admin").build());
        VerificationFailure failure = failureOf(needsAdmin, idp.sign(claims()));
        assertThat(failure).isInstanceOf(VerificationFailure.InsufficientScope.class);
        assertThat(((VerificationFailure.InsufficientScope) failure).required()).containsExactlyInAnyOrder("mcp:read", "mcp:admin");
        assertThat(failure.description()).contains("mcp:admin").doesNotContain("mcp:read");
    }

    @Test
    void whenScopeIsAnArrayThenInvalid() {
        assertThat(invalidWhen(claims -> claims.put("scope", List.of("mcp:read")))).contains("scope");
    }

    @Test
    void whenScopeUsesALookAlikeLetterThenItDoesNotGrantTheRealScope() {
        TokenVerifier needsRead = verifier(AccessPolicy.builder().audiences(RESOURCE).requiredScopes("mcp:read").build());
        Map<String, Object> claims = claims();
        claims.put("scope", "mcp:r\u0435ad"); // Cyrillic e
        assertThat(failureOf(needsRead, idp.sign(claims))).isInstanceOf(VerificationFailure.InsufficientScope.class);
    }

    @Test
    void whenEntraScpClaimIsUsedThenScopesAreRead() throws Exception {
        Map<String, Object> claims = claims();
        claims.remove("scope");
        claims.put("scp", "Tools.Read Tools.Write");
        assertThat(verifier.verify(idp.sign(claims)).scopes()).containsExactlyInAnyOrder("Tools.Read", "Tools.Write");
    }

    @Test
    void whenSubjectIsMissingThenInvalid() {
        assertThat(invalidWhen(claims -> claims.remove("sub"))).contains("sub");
    }

    @Test
    void whenTokenIsAKeycloakIdTokenThenInvalid() {
        assertThat(invalidWhen(claims -> claims.put("typ", "ID"))).contains("ID token");
    }

    @Test
    void whenAtJwtTypeIsRequiredThenPlainJwtTypeIsInvalid() throws Exception {
        TokenVerifier atJwt = verifier(AccessPolicy.builder().audiences(RESOURCE).requiredType("at+jwt").build());
        assertThat(invalid(atJwt, idp.sign(claims()))).contains("typ");
        String typed = idp.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).type(new JOSEObjectType("at+jwt")).keyID("rsa-1").build(), claims());
        assertThat(atJwt.verify(typed)).isNotNull();
    }

    @Test
    void whenSignedWithEs256ThenAccepted() throws Exception {
        String token = idp.sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("ec-1").build(), claims());
        assertThat(verifier.verify(token).subject()).isEqualTo("user-123");
    }

    @Test
    void whenAlgIsNoneInAnyCasingThenInvalid() {
        String payload = b64(json(claims()));
        for (String alg : List.of("none", "None", "NONE", "nOnE")) {
            String header = b64("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}");
            assertThat(failureOf(verifier, header + "." + payload + ".")).as(alg).isInstanceOf(VerificationFailure.InvalidToken.class);
            assertThat(failureOf(verifier, header + "." + payload)).as(alg).isInstanceOf(VerificationFailure.InvalidToken.class);
        }
    }

    @Test
    void whenHs256IsSignedWithThePublicKeyThenInvalid() throws Exception {
        byte[] publicKey = idp.rsaKey().toRSAPublicKey().getEncoded();
        byte[] secret = new byte[Math.max(32, publicKey.length)];
        System.arraycopy(publicKey, 0, secret, 0, publicKey.length);
        JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build(), new Payload(json(claims())));
        jws.sign(new MACSigner(secret));
        assertThat(invalid(verifier, jws.serialize())).contains("key");
    }

    @Test
    void whenSignedByAnUnknownKeyThenInvalid() throws Exception {
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1").build(), new Payload(json(claims())));
        jws.sign(new com.nimbusds.jose.crypto.RSASSASigner(stranger));
        assertThat(invalid(verifier, jws.serialize())).contains("signature");
    }

    @Test
    void whenSignatureIsStrippedOrTamperedThenInvalid() {
        String token = idp.sign(claims());
        String[] parts = token.split("\\.");
        assertThat(failureOf(verifier, parts[0] + "." + parts[1] + ".")).isInstanceOf(VerificationFailure.InvalidToken.class);
        assertThat(failureOf(verifier, parts[0] + "." + parts[1] + "." + parts[2].substring(0, 20)))
                .isInstanceOf(VerificationFailure.InvalidToken.class);
        Map<String, Object> elevated = claims();
        elevated.put("scope", "mcp:admin");
        assertThat(failureOf(verifier, parts[0] + "." + b64(json(elevated)) + "." + parts[2]))
                .isInstanceOf(VerificationFailure.InvalidToken.class);
    }

    @Test
    void whenAlgorithmIsOutsideTheAllowListThenInvalid() {
        TokenVerifier psOnly = TokenVerifier.builder()
                .policy(AccessPolicy.builder().audiences(RESOURCE).build())
                .issuer(TrustedIssuer.jwt(idp.issuer()).algorithms("PS256").build())
                .clock(clock).build();
        assertThat(invalid(psOnly, idp.sign(claims()))).contains("key");
    }

    @Test
    void whenTokenIsEncryptedOrOpaqueThenInvalid() {
        String jwe = "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.YQ.YQ.YQ.YQ";
        assertThat(invalid(verifier, jwe)).contains("JWE");
        assertThat(invalid(verifier, "opaque-token-value")).contains("JWT");
    }

    @Test
    void whenTokenHasCharactersOutsideB64tokenOrIsHugeThenInvalidBeforeAnyNetworkCall() {
        assertThat(invalid(verifier, "abc def")).contains("malformed");
        assertThat(invalid(verifier, "abc\u0000")).contains("malformed");
        assertThat(invalid(verifier, "a".repeat(20_000))).contains("too long");
        assertThat(idp.requests("/.well-known/openid-configuration")).isZero();
    }

    @Test
    void whenUnknownKidsFloodInThenJwksIsFetchedAtMostTwice() throws Exception {
        verifier.verify(idp.sign(claims()));
        for (int i = 0; i < 50; i++) {
            String token = idp.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("unknown-" + i).build(), claims());
            assertThat(failureOf(verifier, token)).isInstanceOf(VerificationFailure.InvalidToken.class);
        }
        // One initial fetch plus what Nimbus's rate limiter lets through within its interval.
        assertThat(idp.requests("/jwks")).isBetween(1, 3);
    }

    @Test
    void whenJwksCannotBeFetchedThenUnavailableNotInvalid() {
        String token = idp.sign(claims());
        idp.overrideAll(request -> LocalIssuer.json(503, "{}"));
        VerificationFailure failure = failureOf(verifier, token);
        assertThat(failure).isInstanceOf(VerificationFailure.Unavailable.class);
    }

    @Test
    void whenTokenFromAnIssuerNotConfiguredThenInvalid() {
        assertThat(invalidWhen(claims -> claims.put("iss", "https://evil.example.test/realms/x")))
                .contains("issuer");
    }

    @Test
    void whenAuthInfoComparesScopesAndRolesThenHelpersAgree() throws Exception {
        Map<String, Object> claims = claims();
        claims.put("realm_access", Map.of("roles", List.of("admin")));
        AuthInfo info = verifier.verify(idp.sign(claims));
        assertThat(info.hasAllScopes(Set.of("mcp:read"))).isTrue();
        assertThat(info.hasAllScopes(Set.of("mcp:read", "mcp:admin"))).isFalse();
        assertThat(info.hasAnyRole(Set.of("admin", "x"))).isTrue();
        assertThat(info.hasAnyRole(Set.of("x"))).isFalse();
        assertThat(info.hasAnyRole(Set.of())).isTrue();
    }

    @Test
    void whenTheTokenIsSenderConstrainedThenItIsRefusedAsABearerToken() {
        // RFC 8705 mTLS-bound and RFC 9449 DPoP-bound: cnf names the key or certificate the token is bound to
        assertThat(invalidWhen(claims -> claims.put("cnf", Map.of("x5t#S256", "bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2"))))
                .contains("sender-constrained", "DPoP");
        assertThat(invalidWhen(claims -> claims.put("cnf", Map.of("jkt", "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"))))
                .contains("sender-constrained");
        // Keycloak's typ claim of a DPoP-bound token, even without cnf
        assertThat(invalidWhen(claims -> claims.put("typ", "DPoP"))).contains("sender-constrained");
    }

    @Test
    void whenTheHeaderSaysDpopThenTheTokenIsRefusedBeforeItsSignatureIsChecked() {
        for (String typ : List.of("dpop+jwt", "DPoP")) {
            String token = idp.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).type(new JOSEObjectType(typ))
                    .keyID(idp.rsaKey().getKeyID()).build(), claims());
            assertThat(invalid(verifier, token)).contains("DPoP", "bearer");
        }
    }

    static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static String json(Map<String, Object> claims) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(claims);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

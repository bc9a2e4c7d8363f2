package org.mcpidp.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mcpidp.verifier.Failures.failureOf;
import static org.mcpidp.verifier.Failures.invalid;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mcpidp.testkit.LocalIssuer;

/** RFC 7662 answers of every shape, and what the verifier makes of them. Only a strict "active": true passes. */
class IntrospectionResponseTest {

    private static final String RESOURCE = "https://mcp.example.test/mcp";
    private static final String TOKEN = "opaque-token-1234567890";

    private LocalIssuer idp;
    private TokenVerifier verifier;

    @BeforeEach
    void start() {
        idp = LocalIssuer.start();
        verifier = verifier(TrustedIssuer.ClientAuthentication.CLIENT_SECRET_BASIC);
    }

    @AfterEach
    void stop() {
        idp.close();
    }

    private TokenVerifier verifier(TrustedIssuer.ClientAuthentication authentication) {
        return TokenVerifier.builder()
                .policy(AccessPolicy.builder().audiences(RESOURCE, "mcp-server").build())
                .issuer(TrustedIssuer.introspection(idp.issuer(), "mcp-server", "s3cr:et/+")
                        .clientAuthentication(authentication).build())
                .cache(CacheSettings.disabled())
                .readTimeout(Duration.ofMillis(500))
                .build();
    }

    private void answer(MockResponse response) {
        idp.onIntrospection(request -> response);
    }

    @Test
    void whenActiveWithValidClaimsThenAccepted() throws Exception {
        answer(LocalIssuer.active(idp.claims(RESOURCE, "mcp:read")));
        AuthInfo info = verifier.verify(TOKEN);
        assertThat(info.subject()).isEqualTo("user-123");
        assertThat(info.scopes()).containsExactly("mcp:read");
    }

    @Test
    void whenClientSecretBasicThenCredentialsAreFormEncodedInTheHeaderAndTheTokenInTheBody() throws Exception {
        idp.onIntrospection(request -> {
            String authorization = request.getHeaders().get("Authorization");
            String body = request.getBody().utf8();
            boolean ok = authorization != null
                    && authorization.equals(okhttp3.Credentials.basic("mcp-server", "s3cr%3Aet%2F%2B"))
                    && body.contains("token=" + TOKEN) && !body.contains("client_secret");
            return ok ? LocalIssuer.active(idp.claims(RESOURCE, "")) : LocalIssuer.json(401, "{}");
        });
        assertThat(verifier.verify(TOKEN)).isNotNull();
    }

    @Test
    void whenClientSecretPostThenCredentialsAreInTheForm() throws Exception {
        idp.onIntrospection(request -> {
            String body = request.getBody().utf8();
            boolean ok = request.getHeaders().get("Authorization") == null
                    && body.contains("client_id=mcp-server") && body.contains("client_secret=s3cr%3Aet%2F%2B");
            return ok ? LocalIssuer.active(idp.claims(RESOURCE, "")) : LocalIssuer.json(401, "{}");
        });
        assertThat(verifier(TrustedIssuer.ClientAuthentication.CLIENT_SECRET_POST).verify(TOKEN)).isNotNull();
    }

    @Test
    void whenAClaimIsJsonNullThenItIsDroppedWithAndWithoutTheCache() throws Exception {
        Map<String, Object> claims = idp.claims(RESOURCE, "mcp:read");
        claims.put("acr", null);
        claims.put("preferred_username", null);
        answer(LocalIssuer.active(claims));
        TokenVerifier cached = TokenVerifier.builder()
                .policy(AccessPolicy.builder().audiences(RESOURCE, "mcp-server").build())
                .issuer(TrustedIssuer.introspection(idp.issuer(), "mcp-server", "s3cr:et/+").build())
                .cache(CacheSettings.defaults())
                .build();

        for (TokenVerifier each : java.util.List.of(verifier, cached)) {
            AuthInfo info = each.verify(TOKEN);
            assertThat(info.claims()).doesNotContainKey("acr").doesNotContainKey("preferred_username");
            assertThat(info.username()).isEmpty();
            assertThat(info.scopes()).containsExactly("mcp:read");
        }
    }

    @Test
    void whenAClaimThePolicyNeedsIsJsonNullThenInvalidNamingIt() {
        Map<String, Object> claims = idp.claims(RESOURCE, "mcp:read");
        claims.put("exp", null);
        answer(LocalIssuer.active(claims));
        assertThat(invalid(verifier, TOKEN)).contains("exp");
    }

    @Test
    void whenKeycloakStyleUsernameIsInTheAnswerThenItIsTheUsername() throws Exception {
        Map<String, Object> claims = idp.claims(RESOURCE, "mcp:read");
        claims.put("username", "alice");
        claims.put("email", "alice@example.test");
        answer(LocalIssuer.active(claims));
        AuthInfo info = verifier.verify(TOKEN);
        assertThat(info.username()).contains("alice");
        assertThat(info.email()).contains("alice@example.test");
        assertThat(info.name()).isEmpty();
    }

    @Test
    void whenSomethingInsideVerificationThrowsARuntimeExceptionThenUnavailableWithAndWithoutTheCache() {
        answer(LocalIssuer.active(idp.claims(RESOURCE, "mcp:read")));
        // an interceptor stands for any library or bug failing at run time inside the IdP call
        okhttp3.OkHttpClient broken = new okhttp3.OkHttpClient.Builder()
                .addInterceptor(chain -> {
                    throw new IllegalStateException("boom");
                })
                .build();
        for (CacheSettings cache : java.util.List.of(CacheSettings.disabled(), CacheSettings.defaults())) {
            TokenVerifier verifier = TokenVerifier.builder()
                    .policy(AccessPolicy.builder().audiences(RESOURCE, "mcp-server").build())
                    .issuer(TrustedIssuer.introspection(idp.issuer(), "mcp-server", "s3cr:et/+").build())
                    .httpClient(broken)
                    .cache(cache)
                    .build();

            VerificationFailure failure = failureOf(verifier, TOKEN);

            assertThat(failure).as("cache " + cache.enabled()).isInstanceOf(VerificationFailure.Unavailable.class);
            assertThat(failure.description()).isEqualTo("token verification failed unexpectedly");
            // not cached: the next call tries again (and fails the same typed way, no CompletionException)
            assertThat(failureOf(verifier, TOKEN)).isInstanceOf(VerificationFailure.Unavailable.class);
        }
    }

    @Test
    void whenInactiveThenInvalid() {
        answer(LocalIssuer.json(200, "{\"active\":false}"));
        assertThat(invalid(verifier, TOKEN)).contains("not active");
    }

    @Test
    void whenActiveIsMissingOrAStringThenInvalid() {
        answer(LocalIssuer.json(200, "{\"sub\":\"x\"}"));
        assertThat(invalid(verifier, TOKEN)).contains("introspected");
        answer(LocalIssuer.json(200, "{\"active\":\"true\",\"sub\":\"x\"}"));
        assertThat(invalid(verifier, TOKEN)).contains("introspected");
        answer(LocalIssuer.json(200, "{\"active\":1}"));
        assertThat(invalid(verifier, TOKEN)).contains("introspected");
    }

    @Test
    void whenActiveButExpiredThenInvalid() {
        Map<String, Object> claims = idp.claims(RESOURCE, "mcp:read");
        claims.put("exp", java.time.Instant.now().getEpochSecond() - 3600);
        answer(LocalIssuer.active(claims));
        assertThat(invalid(verifier, TOKEN)).contains("expired");
    }

    @Test
    void whenActiveButWrongIssuerOrAudienceThenInvalid() {
        Map<String, Object> claims = idp.claims(RESOURCE, "mcp:read");
        claims.put("iss", "https://other.example.test/realms/x");
        answer(LocalIssuer.active(claims));
        assertThat(invalid(verifier, TOKEN)).contains("issuer");

        claims = idp.claims("https://other.example.test/mcp", "mcp:read");
        answer(LocalIssuer.active(claims));
        assertThat(invalid(verifier, TOKEN)).contains("audience");
    }

    @Test
    void whenActiveButNoExpThenInvalid() {
        Map<String, Object> claims = idp.claims(RESOURCE, "mcp:read");
        claims.remove("exp");
        answer(LocalIssuer.active(claims));
        assertThat(invalid(verifier, TOKEN)).contains("exp");
    }

    @Test
    void whenAnswerIsHtmlOrMalformedOrHasDuplicateKeysThenInvalid() {
        answer(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/html").body("<html>login</html>").build());
        assertThat(invalid(verifier, TOKEN)).contains("introspected");
        answer(LocalIssuer.json(200, "{\"active\":tru"));
        assertThat(invalid(verifier, TOKEN)).contains("introspected");
        answer(LocalIssuer.json(200, "{\"active\":false,\"active\":true}"));
        assertThat(invalid(verifier, TOKEN)).contains("introspected");
        answer(LocalIssuer.json(200, "[{\"active\":true}]"));
        assertThat(invalid(verifier, TOKEN)).contains("introspected");
        answer(LocalIssuer.json(200, "{\"active\":true,\"x\":" + "[".repeat(100) + "]".repeat(100) + "}"));
        assertThat(invalid(verifier, TOKEN)).contains("introspected");
    }

    @Test
    void whenTheAnswerSaysTheTokenIsDpopOrCertificateBoundThenItIsRefusedAsABearerToken() {
        Map<String, Object> dpop = idp.claims(RESOURCE, "mcp:read");
        dpop.put("token_type", "DPoP");
        answer(LocalIssuer.active(dpop));
        assertThat(invalid(verifier, TOKEN)).contains("sender-constrained", "DPoP");

        Map<String, Object> mtls = idp.claims(RESOURCE, "mcp:read");
        mtls.put("cnf", Map.of("x5t#S256", "bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2"));
        mtls.put("token_type", "Bearer");
        answer(LocalIssuer.active(mtls));
        assertThat(invalid(verifier, TOKEN)).contains("sender-constrained");
    }

    @Test
    void whenAnswerIsNon200JsonThenInvalid() {
        answer(LocalIssuer.json(400, "{\"active\":true,\"error\":\"invalid_request\"}"));
        assertThat(invalid(verifier, TOKEN)).contains("introspected");
    }

    @Test
    void whenTheEndpointRefusesOurCredentialsThenUnavailableNotReadyAndAtMostOneCallEveryTwoSeconds()
            throws Exception {
        for (int refusal : new int[] {401, 403}) {
            TokenVerifier fresh = verifier(TrustedIssuer.ClientAuthentication.CLIENT_SECRET_BASIC);
            int before = idp.requests("/introspect");
            answer(LocalIssuer.json(refusal, "{\"error\":\"invalid_client\"}"));

            for (int i = 0; i < 5; i++) {
                VerificationFailure failure = failureOf(fresh, TOKEN);
                assertThat(failure).isInstanceOf(VerificationFailure.Unavailable.class);
                assertThat(failure.description()).contains("refused this server's own credentials");
            }
            assertThat(idp.requests("/introspect") - before).as("one call, then answers without asking").isEqualTo(1);
            assertThat(fresh.ready()).isFalse();

            answer(LocalIssuer.json(200, "{\"active\":false}"));
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!fresh.ready() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(fresh.ready()).as("ready again once the credentials are accepted").isTrue();
            answer(LocalIssuer.active(idp.claims(RESOURCE, "mcp:read")));
            assertThat(fresh.verify(TOKEN).subject()).isEqualTo("user-123");
        }
    }

    @Test
    void whenAnswerIsARedirectThenItIsNotFollowedAndTheTokenIsInvalid() {
        answer(new MockResponse.Builder().code(302).addHeader("Location", idp.issuer() + "/elsewhere").build());
        assertThat(invalid(verifier, TOKEN)).contains("introspected");
        assertThat(idp.requests("/elsewhere")).isZero();
    }

    @Test
    void whenIdpAnswers5xxThenUnavailableWithItsRetryAfter() {
        answer(new MockResponse.Builder().code(503).addHeader("Retry-After", "17").body("busy").build());
        VerificationFailure failure = failureOf(verifier, TOKEN);
        assertThat(failure).isInstanceOf(VerificationFailure.Unavailable.class);
        assertThat(((VerificationFailure.Unavailable) failure).retryAfter()).isEqualTo(Duration.ofSeconds(17));
    }

    @Test
    void whenIdpAnswers5xxWithARetryAfterDateThenTheWaitIsCountedFromTheVerifiersClock() {
        Instant now = Instant.parse("2031-03-04T05:06:07Z");
        TokenVerifier atFixedTime = TokenVerifier.builder()
                .policy(AccessPolicy.builder().audiences(RESOURCE).build())
                .issuer(TrustedIssuer.introspection(idp.issuer(), "mcp-server", "s").build())
                .cache(CacheSettings.disabled())
                .clock(Clock.fixed(now, ZoneOffset.UTC))
                .build();
        answer(new MockResponse.Builder().code(503)
                .addHeader("Retry-After", DateTimeFormatter.RFC_1123_DATE_TIME.format(now.plusSeconds(30)
                        .atZone(ZoneOffset.UTC)))
                .body("busy").build());

        VerificationFailure failure = failureOf(atFixedTime, TOKEN);

        assertThat(failure).isInstanceOf(VerificationFailure.Unavailable.class);
        assertThat(((VerificationFailure.Unavailable) failure).retryAfter()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void whenIdpIsSlowerThanTheReadTimeoutThenUnavailable() {
        answer(new MockResponse.Builder().code(200).headersDelay(2, java.util.concurrent.TimeUnit.SECONDS)
                .addHeader("Content-Type", "application/json").body("{\"active\":true}").build());
        long start = System.nanoTime();
        assertThat(failureOf(verifier, TOKEN)).isInstanceOf(VerificationFailure.Unavailable.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void whenIdpPortIsClosedThenUnavailable() {
        int port = org.mcpidp.testkit.FreePort.find();
        TokenVerifier nowhere = TokenVerifier.builder()
                .policy(AccessPolicy.builder().audiences(RESOURCE).build())
                .issuer(TrustedIssuer.introspection("http://127.0.0.1:" + port + "/realms/x", "c", "s").build())
                .build();
        assertThat(failureOf(nowhere, TOKEN)).isInstanceOf(VerificationFailure.Unavailable.class);
        assertThat(nowhere.ready()).isFalse();
    }
}

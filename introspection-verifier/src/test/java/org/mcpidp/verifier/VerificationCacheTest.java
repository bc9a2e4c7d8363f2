package org.mcpidp.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mcpidp.verifier.Failures.failureOf;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mcpidp.testkit.LocalIssuer;
import org.mcpidp.testkit.Stampede;

/** Cache lifetimes driven by an injected clock (no sleeps), negative caching, coalescing, "always introspect". */
class VerificationCacheTest {

    private static final String RESOURCE = "https://mcp.example.test/mcp";
    private static final String TOKEN = "opaque-token-abcdef";

    private LocalIssuer idp;
    private MutableClock clock;

    @BeforeEach
    void start() {
        idp = LocalIssuer.start();
        clock = MutableClock.now();
    }

    @AfterEach
    void stop() {
        idp.close();
    }

    private TokenVerifier verifier(CacheSettings cache) {
        return TokenVerifier.builder()
                .policy(AccessPolicy.builder().audiences(RESOURCE).leeway(Duration.ZERO).build())
                .issuer(TrustedIssuer.introspection(idp.issuer(), "mcp-server", "secret").build())
                .cache(cache)
                .clock(clock)
                .build();
    }

    private void activeFor(Duration lifetime) {
        Map<String, Object> claims = claimsFor(lifetime);
        idp.onIntrospection(request -> LocalIssuer.active(claims));
    }

    /**
     * A token issued at the test clock's instant and valid for {@code lifetime}: iat comes from the clock too, since
     * the wall clock may have passed a second since the test clock was made (leeway is zero here).
     */
    private Map<String, Object> claimsFor(Duration lifetime) {
        Map<String, Object> claims = idp.claims(RESOURCE, "mcp:read");
        claims.put("iat", clock.instant().getEpochSecond());
        claims.put("exp", clock.instant().plus(lifetime).getEpochSecond());
        return claims;
    }

    @Test
    void whenTheSameTokenIsVerifiedTwiceThenTheIdpIsAskedOnce() throws Exception {
        TokenVerifier verifier = verifier(CacheSettings.defaults());
        activeFor(Duration.ofMinutes(5));
        verifier.verify(TOKEN);
        verifier.verify(TOKEN);
        assertThat(idp.requests("/introspect")).isEqualTo(1);
        assertThat(verifier.stats().cacheHits()).isEqualTo(1);
        assertThat(verifier.stats().cacheMisses()).isEqualTo(1);
        assertThat(verifier.stats().introspectionCalls()).isEqualTo(1);
    }

    @Test
    void whenTheTokenExpiresBeforeTheMaxLifetimeThenTheEntryEndsAtExp() throws Exception {
        TokenVerifier verifier = verifier(CacheSettings.defaults().withMaxLifetime(Duration.ofMinutes(10)));
        activeFor(Duration.ofSeconds(30));
        verifier.verify(TOKEN);
        clock.advance(Duration.ofSeconds(29));
        verifier.verify(TOKEN);
        assertThat(idp.requests("/introspect")).isEqualTo(1);

        clock.advance(Duration.ofSeconds(2)); // past exp: the cache must not answer for an expired token
        assertThat(failureOf(verifier, TOKEN)).isInstanceOf(VerificationFailure.InvalidToken.class);
        assertThat(idp.requests("/introspect")).isEqualTo(2);
    }

    @Test
    void whenTheMaxLifetimeIsShorterThanExpThenTheEntryEndsAtTheMaxLifetime() throws Exception {
        TokenVerifier verifier = verifier(CacheSettings.defaults().withMaxLifetime(Duration.ofSeconds(20)));
        activeFor(Duration.ofMinutes(5));
        verifier.verify(TOKEN);
        clock.advance(Duration.ofSeconds(19));
        verifier.verify(TOKEN);
        assertThat(idp.requests("/introspect")).isEqualTo(1);
        clock.advance(Duration.ofSeconds(2));
        verifier.verify(TOKEN);
        assertThat(idp.requests("/introspect")).isEqualTo(2);
    }

    @Test
    void whenRevokedAtTheIdpThenTheCacheSeesItAfterItsLifetime() throws Exception {
        TokenVerifier verifier = verifier(CacheSettings.defaults().withMaxLifetime(Duration.ofSeconds(30)));
        activeFor(Duration.ofMinutes(5));
        verifier.verify(TOKEN);
        idp.onIntrospection(request -> LocalIssuer.json(200, "{\"active\":false}"));
        clock.advance(Duration.ofSeconds(29));
        assertThat(verifier.verify(TOKEN)).isNotNull();
        clock.advance(Duration.ofSeconds(2));
        assertThat(failureOf(verifier, TOKEN)).isInstanceOf(VerificationFailure.InvalidToken.class);
    }

    @Test
    void whenInactiveThenRememberedForTheNegativeLifetimeOnly() {
        TokenVerifier verifier = verifier(CacheSettings.defaults().withNegativeLifetime(Duration.ofSeconds(5)));
        failureOf(verifier, TOKEN);
        failureOf(verifier, TOKEN);
        assertThat(idp.requests("/introspect")).isEqualTo(1);
        clock.advance(Duration.ofSeconds(6));
        failureOf(verifier, TOKEN);
        assertThat(idp.requests("/introspect")).isEqualTo(2);
    }

    @Test
    void whenTheIdpIsUnavailableThenNothingIsCachedAndTheNextCallRetries() throws Exception {
        TokenVerifier verifier = verifier(CacheSettings.defaults());
        idp.onIntrospection(request -> new MockResponse.Builder().code(503).build());
        assertThat(failureOf(verifier, TOKEN)).isInstanceOf(VerificationFailure.Unavailable.class);
        activeFor(Duration.ofMinutes(5));
        assertThat(verifier.verify(TOKEN)).isNotNull();
        assertThat(idp.requests("/introspect")).isEqualTo(2);
    }

    @Test
    void whenCacheIsDisabledThenEveryCallIntrospects() throws Exception {
        TokenVerifier verifier = verifier(CacheSettings.disabled());
        activeFor(Duration.ofMinutes(5));
        for (int i = 0; i < 5; i++) {
            verifier.verify(TOKEN);
        }
        assertThat(idp.requests("/introspect")).isEqualTo(5);
    }

    @Test
    void whenManyCallersAskForOneColdTokenAtOnceThenOneIntrospectionServesThemAll() throws Exception {
        TokenVerifier verifier = verifier(CacheSettings.defaults());
        Map<String, Object> claims = claimsFor(Duration.ofSeconds(300));
        idp.onIntrospection(request -> new MockResponse.Builder(LocalIssuer.active(claims))
                .headersDelay(200, TimeUnit.MILLISECONDS).build());
        int callers = 200;
        for (AuthInfo info : Stampede.run(callers, () -> verifier.verify(TOKEN), Duration.ofSeconds(10))) {
            assertThat(info.subject()).isEqualTo("user-123");
        }
        assertThat(idp.requests("/introspect")).isEqualTo(1);
        assertThat(verifier.stats().loads()).isEqualTo(1);
    }

    @Test
    void whenTooManyIdpCallsAreInFlightThenExtraCallersFailFastAsUnavailable() throws Exception {
        TokenVerifier verifier = TokenVerifier.builder()
                .policy(AccessPolicy.builder().audiences(RESOURCE).build())
                .issuer(TrustedIssuer.introspection(idp.issuer(), "mcp-server", "secret").build())
                .maxConcurrentIdpCalls(2, Duration.ofMillis(50))
                .build();
        idp.onIntrospection(request -> new MockResponse.Builder(LocalIssuer.json(200, "{\"active\":false}"))
                .headersDelay(500, TimeUnit.MILLISECONDS).build());
        List<Future<VerificationFailure>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 20; i++) {
                String distinct = TOKEN + i;
                results.add(pool.submit(() -> failureOf(verifier, distinct)));
            }
            long unavailable = 0;
            for (Future<VerificationFailure> result : results) {
                if (result.get(10, TimeUnit.SECONDS) instanceof VerificationFailure.Unavailable) {
                    unavailable++;
                }
            }
            assertThat(unavailable).isGreaterThanOrEqualTo(16);
        }
        assertThat(idp.requests("/introspect")).isLessThanOrEqualTo(4);
        assertThat(verifier.stats().rejectedBusy()).isGreaterThanOrEqualTo(16);
    }
}

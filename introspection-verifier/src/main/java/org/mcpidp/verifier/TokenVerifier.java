package org.mcpidp.verifier;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import okhttp3.OkHttpClient;
import org.mcpidp.http.Checks;
import org.mcpidp.http.CallLimiter;
import org.mcpidp.http.HttpClientSettings;
import org.mcpidp.http.OkHttpClients;

/**
 * Verifies OAuth 2 bearer access tokens for a resource server (an MCP server, an API).
 *
 * <pre>{@code
 * TokenVerifier verifier = TokenVerifier.builder()
 *         .policy(AccessPolicy.builder().audiences("https://mcp.example.com/mcp", "mcp-server").build())
 *         .issuer(TrustedIssuer.introspection("https://kc.example.com/realms/mcp", "mcp-server", secret).build())
 *         .build();
 * AuthInfo caller = verifier.verify(token); // or TokenVerificationException with a typed failure
 * }</pre>
 *
 * <p>Every token passes the same {@link AccessPolicy} whichever way it was checked. Results are cached under a
 * SHA-256 of issuer and token (never the token itself) for at most {@code min(cache max lifetime, exp - now)};
 * concurrent first requests with the same token share one IdP call. Implementations are thread-safe.
 */
public interface TokenVerifier {

    /**
     * Verifies {@code token} (the bearer value, without the {@code Bearer } prefix).
     *
     * @throws TokenVerificationException whose {@link TokenVerificationException#failure() failure} is
     *         {@link VerificationFailure.InvalidToken} (answer 401), {@link VerificationFailure.InsufficientScope}
     *         (403) or {@link VerificationFailure.Unavailable} (503)
     */
    AuthInfo verify(String token) throws TokenVerificationException;

    /** Counters for metrics: cache hits, IdP calls, errors. */
    VerifierStats stats();

    /**
     * True when every issuer's metadata (JWKS URI, introspection endpoint) is loaded, trying to load what is missing,
     * and no introspection endpoint refuses this resource server's own client credentials (once one answered 401/403
     * to them this stays false, asking again at most every two seconds, until they are accepted). A server is ready
     * only when this is true.
     */
    boolean ready();

    /** The issuers this verifier trusts, in configuration order. */
    List<TrustedIssuer> issuers();

    /** The policy every token must pass. */
    AccessPolicy policy();

    /** IdP calls in flight at most, unless {@link Builder#maxConcurrentIdpCalls} says otherwise. */
    int DEFAULT_MAX_CONCURRENT_IDP_CALLS = 64;

    /** Longest wait for an IdP call slot, unless {@link Builder#maxConcurrentIdpCalls} says otherwise. */
    Duration DEFAULT_IDP_QUEUE_TIMEOUT = Duration.ofMillis(500);

    static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link TokenVerifier}; at least one issuer and a policy are required. */
    final class Builder {
        private AccessPolicy policy;
        private final List<TrustedIssuer> issuers = new ArrayList<>();
        private OkHttpClient httpClient;
        private CacheSettings cache = CacheSettings.defaults();
        private Clock clock = Clock.systemUTC();
        private HttpClientSettings http = new HttpClientSettings(Duration.ofSeconds(2), Duration.ofSeconds(5),
                DEFAULT_MAX_CONCURRENT_IDP_CALLS);
        private Duration idpQueueTimeout = DEFAULT_IDP_QUEUE_TIMEOUT;
        private Duration metadataRefreshInterval = Duration.ofMinutes(10);
        private MetadataScheduler metadataScheduler = MetadataScheduler.SHARED;

        private Builder() {
        }

        public Builder policy(AccessPolicy value) {
            this.policy = Objects.requireNonNull(value, "policy");
            return this;
        }

        public Builder issuer(TrustedIssuer value) {
            issuers.add(Objects.requireNonNull(value, "issuer"));
            return this;
        }

        /** The HTTP client to derive from (its pool and dispatcher are shared); a private one by default. */
        public Builder httpClient(OkHttpClient value) {
            this.httpClient = Objects.requireNonNull(value, "httpClient");
            return this;
        }

        public Builder cache(CacheSettings value) {
            this.cache = Objects.requireNonNull(value, "cache");
            return this;
        }

        /** The clock for {@code exp}/{@code nbf}/{@code iat} and cache lifetimes; tests inject a fixed one. */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        public Builder connectTimeout(Duration value) {
            this.http = http.withConnectTimeout(value);
            return this;
        }

        /** Longest wait for an IdP answer; beyond it the token is "unavailable" (503), never "invalid". */
        public Builder readTimeout(Duration value) {
            this.http = http.withReadTimeout(value);
            return this;
        }

        /**
         * At most this many IdP calls (introspection) in flight at once; a request that cannot get a slot within
         * {@code queueTimeout} fails fast as unavailable instead of queueing without bound.
         */
        public Builder maxConcurrentIdpCalls(int value, Duration queueTimeout) {
            if (value < 1) {
                throw new IllegalArgumentException("maxConcurrentIdpCalls must be at least 1");
            }
            this.http = http.withMaxConcurrent(value);
            this.idpQueueTimeout = Checks.positive(queueTimeout, "idp queue timeout");
            return this;
        }

        /**
         * How often discovered metadata (JWKS URI, introspection endpoint) is fetched again, in the background; a
         * source that finds its IdP unavailable also triggers a refresh. A failed refresh keeps the last good copy,
         * so a moved endpoint is followed without a restart and a flaky discovery document never removes one.
         * Ten minutes by default; explicitly configured endpoints are never refreshed.
         */
        public Builder metadataRefreshInterval(Duration value) {
            this.metadataRefreshInterval = Checks.positive(value, "metadataRefreshInterval");
            return this;
        }

        /** Tests run the scheduled refreshes themselves. */
        Builder metadataScheduler(MetadataScheduler value) {
            this.metadataScheduler = Objects.requireNonNull(value, "metadataScheduler");
            return this;
        }

        public TokenVerifier build() {
            if (policy == null) {
                throw new IllegalStateException("a TokenVerifier needs an AccessPolicy (policy(...))");
            }
            if (issuers.isEmpty()) {
                throw new IllegalStateException("a TokenVerifier needs at least one TrustedIssuer (issuer(...))");
            }
            // Our own client gets a pool sized like the limiter (CallLimiter); a caller's client keeps its own pool.
            return new PolicyTokenVerifier(policy, List.copyOf(issuers), OkHttpClients.bounded(httpClient, http),
                    cache, clock, new CallLimiter(http.maxConcurrent(), idpQueueTimeout), metadataRefreshInterval,
                    metadataScheduler);
        }
    }
}

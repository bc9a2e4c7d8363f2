package org.mcpidp.verifier;

import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.util.Map;
import okhttp3.OkHttpClient;

/**
 * One trusted issuer at run time: its metadata (loaded once, retried at most every few seconds while it fails) and
 * the way its tokens become an {@link AuthInfo} before the policy judges them.
 */
final class IssuerRoute {

    private static final long RETRY_NANOS = Duration.ofSeconds(2).toNanos();
    private static final System.Logger LOG = System.getLogger(IssuerRoute.class.getName());

    private final TrustedIssuer trusted;
    private final byte[] digestPrefix;
    private final AccessPolicy policy;
    private final OkHttpClient http;
    private final MetadataDiscovery discovery;
    private final IntrospectionClient introspection;
    private volatile Loaded loaded;
    private long nextAttempt = System.nanoTime();

    private record Loaded(IssuerMetadata metadata, JwtTokenSource jwt) {
    }

    IssuerRoute(TrustedIssuer trusted, AccessPolicy policy, OkHttpClient http, IntrospectionClient introspection) {
        this.trusted = trusted;
        this.digestPrefix = TokenDigest.prefix(trusted.issuer());
        this.policy = policy;
        this.http = http;
        this.discovery = new MetadataDiscovery(http);
        this.introspection = introspection;
    }

    TrustedIssuer trusted() {
        return trusted;
    }

    byte[] digestPrefix() {
        return digestPrefix;
    }

    /** Checks the token the issuer's way and reads its claims; the caller applies the policy. */
    AuthInfo authenticate(String token, SignedJWT jwt) throws TokenVerificationException {
        return switch (trusted.mode()) {
            case JWT -> {
                if (jwt == null) {
                    throw TokenVerificationException.invalid("token is not a signed JWT");
                }
                yield read(loaded().jwt().verify(jwt));
            }
            case INTROSPECTION -> read(introspection.introspect(
                    loaded().metadata().introspectionEndpoint().orElseThrow(), trusted, token));
            case CUSTOM -> custom(token);
        };
    }

    /** True when what this issuer needs (metadata, key source) is loaded; tries to load it if not. */
    boolean ready() {
        try {
            loaded();
            return true;
        } catch (TokenVerificationException e) {
            return false;
        }
    }

    private AuthInfo read(Map<String, Object> claims) throws TokenVerificationException {
        try {
            return ClaimsReader.read(claims, policy.roleClients(), trusted.appRolesAsScopes());
        } catch (RuntimeException e) {
            // Claims of a shape no rule foresaw: the IdP's answer is bad, so is the token (401, never a 500).
            LOG.log(System.Logger.Level.WARNING, "Claims from {0} could not be read ({1}); token refused",
                    trusted.issuer(), e.getClass().getName());
            throw TokenVerificationException.invalid("the identity provider's answer for this token is malformed");
        }
    }

    private AuthInfo custom(String token) throws TokenVerificationException {
        try {
            AuthInfo info = trusted.customVerification().orElseThrow().verify(token);
            if (info == null) {
                throw TokenVerificationException.invalid("token was not accepted");
            }
            return info;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "Custom verification failed with " + e.getClass().getName(), e);
            throw new TokenVerificationException(new VerificationFailure.Unavailable(
                    "token verification failed unexpectedly", Duration.ofSeconds(5)), e);
        }
    }

    private Loaded loaded() throws TokenVerificationException {
        Loaded current = loaded;
        if (current != null) {
            return current;
        }
        synchronized (this) {
            if (loaded != null) {
                return loaded;
            }
            if (System.nanoTime() - nextAttempt < 0) {
                throw new TokenVerificationException(new VerificationFailure.Unavailable(
                        "the identity provider's metadata is not loaded yet", Duration.ofSeconds(2)));
            }
            nextAttempt = System.nanoTime() + RETRY_NANOS;
            IssuerMetadata metadata = trusted.needsMetadata()
                    ? discovery.discover(trusted)
                    : new IssuerMetadata(trusted.issuer(), trusted.jwksUri(), trusted.introspectionEndpoint());
            JwtTokenSource jwt = null;
            if (trusted.mode() == TrustedIssuer.TokenMode.JWT) {
                jwt = new JwtTokenSource(trusted, metadata.jwksUri().orElseThrow(() -> missing("jwks_uri")), policy, http);
            } else if (trusted.mode() == TrustedIssuer.TokenMode.INTROSPECTION && metadata.introspectionEndpoint().isEmpty()) {
                throw missing("introspection_endpoint");
            }
            loaded = new Loaded(metadata, jwt);
            return loaded;
        }
    }

    private TokenVerificationException missing(String field) {
        LOG.log(System.Logger.Level.ERROR, "Issuer {0} publishes no {1}; configure it explicitly", trusted.issuer(), field);
        return new TokenVerificationException(new VerificationFailure.Unavailable(
                "the identity provider's metadata lacks " + field, Duration.ofSeconds(30)));
    }
}

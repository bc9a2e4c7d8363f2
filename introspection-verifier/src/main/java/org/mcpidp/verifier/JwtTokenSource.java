package org.mcpidp.verifier;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jose.proc.DefaultJOSEProcessor;
import java.net.MalformedURLException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import okhttp3.OkHttpClient;

/**
 * Verifies a JWT's signature with Nimbus, in Nimbus's fixed order: header {@code typ} -> key selection pinned to the
 * allowed algorithms and the JWKS (never a key from the token's own {@code jwk}/{@code jku}/{@code x5u}/{@code x5c})
 * -> signature (unknown {@code crit} refused). Claims are NOT judged here: the {@link AccessPolicy} does that for
 * every path alike, so this returns the raw claims exactly as signed.
 */
final class JwtTokenSource implements TokenSource {

    // The JOSE (not JWT) processor: it verifies header and signature and leaves the payload unparsed, so the claims
    // are parsed exactly once, below, as raw JSON.
    private final DefaultJOSEProcessor<SecurityContext> processor = new DefaultJOSEProcessor<>();
    private final TrustedIssuer issuer;
    private final AccessPolicy policy;
    private final URI jwksUri;

    JwtTokenSource(TrustedIssuer issuer, IssuerChecks.Jwt checks, URI jwksUri, AccessPolicy policy,
                   OkHttpClient http) {
        this.issuer = issuer;
        this.policy = policy;
        this.jwksUri = jwksUri;
        JWKSource<SecurityContext> keys;
        try {
            keys = JWKSourceBuilder.<SecurityContext>create(jwksUri.toURL(), new OkHttpResourceRetriever(http))
                    .cache(Duration.ofMinutes(15).toMillis(), Duration.ofSeconds(10).toMillis())
                    .rateLimited(checks.jwksMinRefreshInterval().toMillis())
                    .retrying(true)
                    .build();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("JWKS URI " + jwksUri + " is not a URL", e);
        }
        Set<JWSAlgorithm> algorithms = checks.algorithms().stream().map(JWSAlgorithm::parse).collect(Collectors.toSet());
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, keys));
        processor.setJWSTypeVerifier(policy.requiredType()
                .map(typ -> new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType(typ)))
                .orElseGet(() -> new DefaultJOSEObjectTypeVerifier<>(
                        JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null)));
    }

    URI jwksUri() {
        return jwksUri;
    }

    @Override
    public Outcome authenticate(String token, SignedJWT parsed) {
        try {
            SignedJWT jwt = parsed != null ? parsed : TokenSyntax.parseJwt(token, true);
            return ClaimsReader.accept(verify(jwt), policy, issuer);
        } catch (TokenVerificationException e) {
            return Outcome.of(e);
        }
    }

    /** The verified claims, as signed (numbers stay numbers: a float or string {@code exp} is caught later). */
    private Map<String, Object> verify(SignedJWT jwt) throws TokenVerificationException {
        JOSEObjectType typ = jwt.getHeader().getType();
        if (typ != null && (typ.getType().equalsIgnoreCase("dpop+jwt") || typ.getType().equalsIgnoreCase("DPoP"))) {
            // A DPoP proof (RFC 9449) sent as the access token, or a token typed as DPoP-bound: never a bearer token.
            throw TokenVerificationException.invalid("token is a DPoP proof or DPoP-bound (typ); "
                    + "this resource accepts only bearer tokens until DPoP is supported");
        }
        if (jwt.getHeader().getCustomParam("nonce") != null) {
            // Entra signs tokens for Microsoft APIs (Graph) over a hashed nonce: nobody else can or should accept them.
            throw TokenVerificationException.invalid("token is for a Microsoft API (nonce header) and cannot be used here");
        }
        try {
            // AccessPolicy judges iss/aud/exp/nbf/iat/scope afterwards, for JWT and introspection alike.
            Map<String, Object> claims = processor.process(jwt, null).toJSONObject();
            if (claims == null) {
                throw TokenVerificationException.invalid("token payload is not a JSON object");
            }
            return claims;
        } catch (RateLimitReachedException e) {
            // An unknown kid while refreshes are rate-limited: the keys we hold do not match, so the token is bad.
            throw new TokenVerificationException(new VerificationFailure.InvalidToken(
                    "no trusted key matches the token (kid/alg)"), e);
        } catch (KeySourceException e) {
            throw new TokenVerificationException(new VerificationFailure.Unavailable(
                    "the identity provider's signing keys could not be loaded", Duration.ofSeconds(5)), e);
        } catch (BadJOSEException e) {
            throw new TokenVerificationException(new VerificationFailure.InvalidToken(describe(e)), e);
        } catch (JOSEException e) {
            throw new TokenVerificationException(new VerificationFailure.InvalidToken("token signature could not be verified"), e);
        }
    }

    private static String describe(BadJOSEException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("type")) {
            return "token type (typ) is not accepted";
        }
        if (message.contains("key")) {
            return "no trusted key matches the token (kid/alg)";
        }
        return "token signature is invalid";
    }
}

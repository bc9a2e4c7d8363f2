package org.mcpidp.verifier;

import com.nimbusds.jwt.SignedJWT;
import java.net.URI;

/** Every token sent to the issuer's RFC 7662 endpoint (an opaque, a JWT, a Keycloak lightweight token alike). */
final class IntrospectionTokenSource implements TokenSource {

    /** Not a token any IdP issued: only the credentials that come with it matter. */
    private static final String PROBE = "mcpidp-credentials-probe";

    private final TrustedIssuer issuer;
    private final IssuerChecks.Introspection checks;
    private final URI endpoint;
    private final IntrospectionClient client;
    private final AccessPolicy policy;
    private final ClientStanding standing;

    IntrospectionTokenSource(TrustedIssuer issuer, IssuerChecks.Introspection checks, URI endpoint,
                             IntrospectionClient client, AccessPolicy policy, ClientStanding standing) {
        this.issuer = issuer;
        this.checks = checks;
        this.endpoint = endpoint;
        this.client = client;
        this.policy = policy;
        this.standing = standing;
    }

    /**
     * Whether the endpoint accepts this server's credentials now, found out by introspecting a value that is no
     * token (an IdP answers {@code active:false} to valid credentials); for readiness while they are refused.
     */
    void probeCredentials() {
        try {
            client.introspect(endpoint, checks, standing, PROBE);
        } catch (TokenVerificationException expected) {
            // the answer is in standing
        }
    }

    URI endpoint() {
        return endpoint;
    }

    @Override
    public Outcome authenticate(String token, SignedJWT jwt) {
        try {
            return ClaimsReader.accept(client.introspect(endpoint, checks, standing, token), policy, issuer);
        } catch (TokenVerificationException e) {
            return Outcome.of(e);
        }
    }
}

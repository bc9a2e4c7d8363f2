package org.mcpidp.verifier;

import com.nimbusds.jwt.SignedJWT;
import java.net.URI;

/** Every token sent to the issuer's RFC 7662 endpoint (an opaque, a JWT, a Keycloak lightweight token alike). */
final class IntrospectionTokenSource implements TokenSource {

    private final TrustedIssuer issuer;
    private final IssuerChecks.Introspection checks;
    private final URI endpoint;
    private final IntrospectionClient client;
    private final AccessPolicy policy;

    IntrospectionTokenSource(TrustedIssuer issuer, IssuerChecks.Introspection checks, URI endpoint,
                             IntrospectionClient client, AccessPolicy policy) {
        this.issuer = issuer;
        this.checks = checks;
        this.endpoint = endpoint;
        this.client = client;
        this.policy = policy;
    }

    URI endpoint() {
        return endpoint;
    }

    @Override
    public Outcome authenticate(String token, SignedJWT jwt) {
        try {
            return ClaimsReader.accept(client.introspect(endpoint, checks, token), policy, issuer);
        } catch (TokenVerificationException e) {
            return Outcome.of(e);
        }
    }
}

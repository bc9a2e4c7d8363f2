package org.mcpidp.verifier;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * What applies to one {@link TrustedIssuer.TokenMode} only, as one value per mode: a JWT issuer has no client
 * secret and an introspecting one no JWKS, so no setting is "empty because of the mode". The verifier switches over
 * these; {@link TrustedIssuer}'s public getters read them.
 */
sealed interface IssuerChecks {

    /** JWT mode: the JWKS (discovered when empty), the accepted algorithms and the JWKS refresh rate limit. */
    record Jwt(Optional<URI> jwksUri, Set<String> algorithms, Duration jwksMinRefreshInterval) implements IssuerChecks {
    }

    /** Introspection mode: the endpoint (discovered when empty) and this resource server's client credentials. */
    record Introspection(Optional<URI> endpoint, String clientId, String clientSecret,
                         TrustedIssuer.ClientAuthentication clientAuthentication) implements IssuerChecks {
        @Override
        public String toString() {
            // Never the secret.
            return "Introspection[" + endpoint.map(URI::toString).orElse("discovered") + ", client=" + clientId + "]";
        }
    }

    /** Custom mode: the caller's own code turns the token into an {@link AuthInfo}. */
    record Custom(CustomVerification verification) implements IssuerChecks {
    }
}

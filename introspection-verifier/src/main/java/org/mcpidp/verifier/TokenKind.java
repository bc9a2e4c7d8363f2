package org.mcpidp.verifier;

import java.util.Map;

/**
 * The token-kind rule of the {@link AccessPolicy}: only a plain bearer access token grants access. Kept apart from the
 * issuer and audience rules because it reads the token's own marks ({@code typ}, {@code cnf}, {@code token_type}),
 * which each IdP sets its own way.
 */
final class TokenKind {

    /** Why a DPoP- or mTLS-bound token is refused; shown to the client. */
    static final String SENDER_CONSTRAINED = "token is sender-constrained (DPoP or mTLS bound: cnf); "
            + "this resource accepts only bearer tokens until DPoP is supported";

    private TokenKind() {
    }

    /**
     * What kind of token this is: a plain bearer access token, or null when it is one. An ID token (Keycloak marks
     * them {@code typ: ID}) proves a login to a client and grants no access. A sender-constrained token (RFC 9449
     * DPoP, RFC 8705 mTLS) carries {@code cnf} (its key or certificate thumbprint); Keycloak also marks DPoP-bound
     * tokens {@code typ: DPoP} and its introspection answers {@code token_type: DPoP}. Accepting one as a bearer
     * token would let whoever copied it use it without the key it is bound to, so until DPoP proofs are checked here
     * such tokens are refused.
     */
    static String problem(Map<String, Object> claims) {
        Object typ = claims.get("typ");
        if ("ID".equals(typ)) {
            return "an ID token is not an access token";
        }
        if (claims.containsKey("cnf") || "DPoP".equalsIgnoreCase(String.valueOf(typ))
                || "DPoP".equalsIgnoreCase(String.valueOf(claims.get("token_type")))) {
            return SENDER_CONSTRAINED;
        }
        return null;
    }
}

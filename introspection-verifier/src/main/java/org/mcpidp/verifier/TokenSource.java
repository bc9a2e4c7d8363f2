package org.mcpidp.verifier;

import com.nimbusds.jwt.SignedJWT;

/**
 * Where an issuer's tokens become an {@link AuthInfo}: a JWT checked against keys, an introspection answer, custom
 * code, or a cache in front of one of those. A source establishes who the token names; {@link AccessPolicy#check}
 * then decides, the same way for every source. Never throws: every failure is an {@link Outcome.Failed}.
 */
@FunctionalInterface
interface TokenSource {

    /**
     * @param jwt the token already parsed as a signed JWT when routing needed that, else null (parse it if needed)
     */
    Outcome authenticate(String token, SignedJWT jwt);
}

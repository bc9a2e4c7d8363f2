package org.mcpidp.verifier;

/**
 * Turns a token into an {@link AuthInfo} your own way (MCP Auth's "custom" mode): call a legacy API, look up an API
 * key, check a signature scheme we do not know. The {@link AccessPolicy} still checks what it returns (issuer,
 * audience, expiry, scopes), so this code only has to establish the token's claims.
 */
@FunctionalInterface
public interface CustomVerification {

    /**
     * @throws TokenVerificationException with {@link VerificationFailure.InvalidToken} for a bad token, or
     *         {@link VerificationFailure.Unavailable} when the backing service cannot answer now
     */
    AuthInfo verify(String token) throws TokenVerificationException;
}

package com.example.mcp;

import org.mcpidp.verifier.AccessPolicy;
import org.mcpidp.verifier.AuthInfo;
import org.mcpidp.verifier.TokenVerificationException;
import org.mcpidp.verifier.TokenVerifier;
import org.mcpidp.verifier.TrustedIssuer;
import org.mcpidp.verifier.VerificationFailure;

/** Verifies one bearer token by introspection at a Keycloak realm (or as a JWT): one policy either way. */
public final class VerifyToken {

    public static void main(String[] args) {
        // java com.example.mcp.VerifyToken <issuer> <token>; the server's client secret from the environment only
        System.out.println(check(verifier(args[0], System.getenv("MCP_SERVER_SECRET")), args[1]));
    }

    static TokenVerifier verifier(String issuer, String clientSecret) {
        return TokenVerifier.builder()
                .policy(AccessPolicy.builder()
                        .audiences("https://mcp.example.com/mcp", "mcp-server") // RFC 8707 resource and/or client id
                        .requiredScopes("mcp:read")
                        .build())
                .issuer(TrustedIssuer.introspection(issuer, "mcp-server", clientSecret).build())
                // or TrustedIssuer.jwt(issuer).build(): keys from the issuer's JWKS, no client needed
                .build();
    }

    static String check(TokenVerifier verifier, String token) {
        try {
            AuthInfo caller = verifier.verify(token);
            return "200 " + caller.subject() + " " + caller.scopes();
        } catch (TokenVerificationException e) {
            return switch (e.failure()) {
                case VerificationFailure.InvalidToken invalid -> "401 invalid_token: " + invalid.description();
                case VerificationFailure.InsufficientScope scope -> "403 insufficient_scope: needs " + scope.required();
                case VerificationFailure.Unavailable down -> "503, retry after " + down.retryAfter().toSeconds() + " s";
            };
        }
    }
}

package org.mcpidp.verifier;

import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;

/** What a bearer value must look like before anything else happens to it: its length, its characters, a JWS. */
final class TokenSyntax {

    /** Longer tokens are refused before any parsing (a 16 KB header is an attack, not a token). */
    static final int MAX_TOKEN_LENGTH = 12 * 1024;

    private TokenSyntax() {
    }

    /** Empty and oversized tokens are refused before anything else, hashing included; null when fine. */
    static String lengthProblem(String token) {
        if (token == null || token.isEmpty()) {
            return "no token";
        }
        return token.length() > MAX_TOKEN_LENGTH ? "token is too long" : null;
    }

    /** RFC 6750 b64token: {@code 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="}; null when fine. */
    static String syntaxProblem(String token) {
        String length = lengthProblem(token);
        if (length != null) {
            return length;
        }
        int end = token.length();
        while (end > 0 && token.charAt(end - 1) == '=') {
            end--;
        }
        if (end == 0) {
            return "token is malformed";
        }
        for (int i = 0; i < end; i++) {
            char c = token.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
            if (!ok) {
                return "token is malformed";
            }
        }
        return null;
    }

    /**
     * Parses a compact JWS. Returns null for something that is not a JWT at all when {@code required} is false (an
     * opaque token); unsigned and encrypted JWTs are always refused.
     */
    static SignedJWT parseJwt(String token, boolean required) throws TokenVerificationException {
        int firstDot = token.indexOf('.');
        if (firstDot < 0 || token.indexOf('.', firstDot + 1) < 0) {
            if (required) {
                throw TokenVerificationException.invalid("token is not a signed JWT");
            }
            return null;
        }
        try {
            // A JWS parses as one directly, its header read once (JWTParser reads it twice: once to find the
            // algorithm, once as the JWS header); "none" and JWE fail here and are told apart below.
            return SignedJWT.parse(token);
        } catch (ParseException notAJws) {
            // below: what it is instead, and why it is refused
        }
        JWT parsed;
        try {
            parsed = JWTParser.parse(token);
        } catch (ParseException e) {
            if (required) {
                throw TokenVerificationException.invalid("token is not a well-formed JWT");
            }
            return null;
        }
        if (parsed instanceof SignedJWT signed) {
            return signed;
        }
        throw TokenVerificationException.invalid(parsed instanceof EncryptedJWT
                ? "encrypted tokens (JWE) are not accepted" : "unsigned tokens (alg none) are not accepted");
    }
}

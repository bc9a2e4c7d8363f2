package org.mcpidp.mcpauth;

import io.helidon.http.Status;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import org.mcpidp.verifier.BearerChallenge;
import org.mcpidp.verifier.AuthInfo;
import org.mcpidp.verifier.TokenVerificationException;
import org.mcpidp.verifier.TokenVerifier;
import org.mcpidp.verifier.VerificationFailure;

/**
 * Stage 1 of the bearer gate: the {@code Authorization} header -> the verifier -> the caller's {@link AuthInfo}, or
 * a challenge (400 for two headers, 401 without or with a bad token, 403 for a token short of scope, 503 when the
 * authorization server cannot be asked). The token is read from the header only (never the query or a form) and is
 * never logged.
 */
final class BearerAuthentication {

    private static final System.Logger LOGGER = System.getLogger(BearerAuthentication.class.getName());

    /**
     * @param challengeScopes the scopes a 401 without a token names (requestable form)
     */
    record Config(TokenVerifier verifier, String resourceMetadataUrl, ScopeNames scopes, List<String> challengeScopes) {
        Config {
            challengeScopes = List.copyOf(challengeScopes);
        }
    }

    private final Config config;

    BearerAuthentication(Config config) {
        this.config = config;
    }

    /** The verified caller of a request with these {@code Authorization} header values, or the challenge. */
    Decision<AuthInfo> authenticate(List<String> authorization) {
        if (authorization.size() > 1) {
            return Decision.refuse(Refusal.challenge(Status.BAD_REQUEST_400, AuthOutcome.BAD_REQUEST, challenge()
                    .error(BearerChallenge.Error.INVALID_REQUEST)
                    .description("more than one Authorization header")
                    .build()));
        }
        String token = authorization.isEmpty() ? null : bearerToken(authorization.getFirst());
        if (token == null) {
            // No token at all (another scheme counts as none): no error code, RFC 6750 section 3.1.
            return Decision.refuse(Refusal.challenge(Status.UNAUTHORIZED_401, AuthOutcome.NO_TOKEN, challenge()
                    .scopes(config.challengeScopes())
                    .build()));
        }
        // The verifier checks the RFC 6750 b64token syntax first (a char loop: a regex here cost ~10% of a request).
        try {
            return Decision.pass(config.verifier().verify(token));
        } catch (TokenVerificationException e) {
            return Decision.refuse(refusal(e.failure()));
        } catch (RuntimeException e) {
            // A TokenVerifier must not throw this (ours turns every failure into a typed one); a custom one might.
            // Fail closed and answer 503, never 500; the class name only, a message could quote the token.
            LOGGER.log(Level.ERROR, "token verifier failed unexpectedly: " + e.getClass().getName());
            return Decision.refuse(refusal(new VerificationFailure.Unavailable(
                    "token verification failed unexpectedly", Duration.ofSeconds(5))));
        }
    }

    private Refusal refusal(VerificationFailure failure) {
        if (failure instanceof VerificationFailure.Unavailable unavailable) {
            LOGGER.log(Level.WARNING, "token could not be verified, answering 503: " + unavailable.description());
            return Refusal.later(Status.SERVICE_UNAVAILABLE_503, AuthOutcome.UNAVAILABLE, unavailable.retryAfter(),
                    "temporarily_unavailable", "the authorization server cannot be reached; retry later");
        }
        BearerChallenge.Builder base = challenge();
        if (failure instanceof VerificationFailure.InsufficientScope insufficient) {
            base.scopes(config.scopes().requestable(insufficient.required().stream().sorted().toList()));
        }
        BearerChallenge challenge = BearerChallenge.forFailure(failure, base).orElseThrow();
        return Refusal.challenge(Status.create(BearerChallenge.status(failure)),
                failure instanceof VerificationFailure.InsufficientScope ? AuthOutcome.INSUFFICIENT_SCOPE
                        : AuthOutcome.INVALID_TOKEN, challenge);
    }

    private BearerChallenge.Builder challenge() {
        return BearerChallenge.builder().resourceMetadata(config.resourceMetadataUrl());
    }

    /**
     * What follows {@code Bearer} and white space in {@code header}, outer white space removed; null for another
     * scheme or no credentials. Index arithmetic rather than strip/substring chains: the header is ~1 KB and this
     * runs on every request (the chain copied it three times).
     */
    private static String bearerToken(String header) {
        int start = 0;
        int end = header.length();
        while (start < end && Character.isWhitespace(header.charAt(start))) {
            start++;
        }
        while (end > start && Character.isWhitespace(header.charAt(end - 1))) {
            end--;
        }
        int scheme = "Bearer".length();
        if (end - start <= scheme || !header.regionMatches(true, start, "Bearer", 0, scheme)
                || !Character.isWhitespace(header.charAt(start + scheme))) {
            return null;
        }
        int token = start + scheme;
        while (token < end && Character.isWhitespace(header.charAt(token))) {
            token++;
        }
        return header.substring(token, end);
    }
}

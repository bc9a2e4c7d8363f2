package org.mcpidp.mcpserver.auth;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
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
    private final ErrorAnswers answers;

    BearerAuthentication(Config config, ErrorAnswers answers) {
        this.config = config;
        this.answers = answers;
    }

    /** The verified caller, or empty after answering with a challenge. */
    Optional<AuthInfo> authenticate(RoutingRequest req, RoutingResponse res) {
        List<String> authorization = req.headers().all(HeaderNames.AUTHORIZATION, List::of);
        if (authorization.size() > 1) {
            answers.challenge(res, AuthOutcome.BAD_REQUEST, Status.BAD_REQUEST_400, challenge()
                    .error(BearerChallenge.Error.INVALID_REQUEST)
                    .description("more than one Authorization header")
                    .build());
            return Optional.empty();
        }
        String token = authorization.isEmpty() ? null : bearerToken(authorization.getFirst());
        if (token == null) {
            // No token at all (another scheme counts as none): no error code, RFC 6750 section 3.1.
            answers.challenge(res, AuthOutcome.NO_TOKEN, Status.UNAUTHORIZED_401, challenge()
                    .scopes(config.challengeScopes())
                    .build());
            return Optional.empty();
        }
        // The verifier checks the RFC 6750 b64token syntax first (a char loop: a regex here cost ~10% of a request).
        try {
            return Optional.of(config.verifier().verify(token));
        } catch (TokenVerificationException e) {
            refuse(res, e.failure());
        } catch (RuntimeException e) {
            // A TokenVerifier must not throw this (ours turns every failure into a typed one); a custom one might.
            // Fail closed and answer 503, never 500; the class name only, a message could quote the token.
            LOGGER.log(Level.ERROR, "token verifier failed unexpectedly: " + e.getClass().getName());
            refuse(res, new VerificationFailure.Unavailable("token verification failed unexpectedly",
                    Duration.ofSeconds(5)));
        }
        return Optional.empty();
    }

    private void refuse(RoutingResponse res, VerificationFailure failure) {
        switch (failure) {
            case VerificationFailure.InvalidToken invalid -> answers.challenge(res, AuthOutcome.INVALID_TOKEN,
                    Status.UNAUTHORIZED_401, challenge()
                            .error(BearerChallenge.Error.INVALID_TOKEN)
                            .description(BearerChallenge.safeDescription(invalid.description()))
                            .build());
            case VerificationFailure.InsufficientScope insufficient -> answers.challenge(res,
                    AuthOutcome.INSUFFICIENT_SCOPE, Status.FORBIDDEN_403, challenge()
                            .error(BearerChallenge.Error.INSUFFICIENT_SCOPE)
                            .description(BearerChallenge.safeDescription(insufficient.description()))
                            .scopes(config.scopes().requestable(insufficient.required().stream().sorted().toList()))
                            .build());
            case VerificationFailure.Unavailable unavailable -> {
                LOGGER.log(Level.WARNING, "token could not be verified, answering 503: " + unavailable.description());
                answers.later(res, AuthOutcome.UNAVAILABLE, Status.SERVICE_UNAVAILABLE_503, unavailable.retryAfter(),
                        "temporarily_unavailable", "the authorization server cannot be reached; retry later");
            }
        }
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

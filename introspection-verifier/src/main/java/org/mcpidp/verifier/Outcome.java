package org.mcpidp.verifier;

import java.time.Duration;

/**
 * The one result every stage returns (route, source, cache, policy): the caller, or why not. A value, never an
 * exception, so that it can be cached and handed to callers waiting on the same load as it is; it becomes a
 * {@link TokenVerificationException} only at the public edge, {@link TokenVerifier#verify}.
 */
sealed interface Outcome {

    record Accepted(AuthInfo info) implements Outcome {
    }

    record Failed(VerificationFailure failure) implements Outcome {
    }

    static Outcome invalid(String description) {
        return new Failed(new VerificationFailure.InvalidToken(description));
    }

    static Outcome unavailable(String description, Duration retryAfter) {
        return new Failed(new VerificationFailure.Unavailable(description, retryAfter));
    }

    /** The boundary to code that still reports failures by exception (HTTP clients, custom verifications). */
    static Outcome of(TokenVerificationException e) {
        return new Failed(e.failure());
    }
}

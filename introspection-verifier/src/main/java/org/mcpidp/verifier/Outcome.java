package org.mcpidp.verifier;

/** What the cache remembers about a token: accepted with its caller, or rejected with the reason. */
sealed interface Outcome {

    record Accepted(AuthInfo info) implements Outcome {
    }

    record Rejected(VerificationFailure.InvalidToken failure) implements Outcome {
    }

    /**
     * The IdP could not answer. Kept for zero time: it exists so that callers waiting on the same load get the
     * failure as a value (an exceptional future would make Caffeine log a stack trace per outage request).
     */
    record Unavailable(VerificationFailure.Unavailable failure) implements Outcome {
    }
}

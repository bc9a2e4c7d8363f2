package org.mcpidp.verifier;

/** What the cache remembers about a token: accepted with its caller, or rejected with the reason. */
sealed interface Outcome {

    record Accepted(AuthInfo info) implements Outcome {
    }

    record Rejected(VerificationFailure.InvalidToken failure) implements Outcome {
    }
}

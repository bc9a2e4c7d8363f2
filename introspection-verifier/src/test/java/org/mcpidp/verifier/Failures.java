package org.mcpidp.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Assertions on how a verification failed. */
final class Failures {

    private Failures() {
    }

    static VerificationFailure failureOf(TokenVerifier verifier, String token) {
        TokenVerificationException e = catchThrowableOfType(TokenVerificationException.class, () -> verifier.verify(token));
        assertThat(e).as("verification should fail").isNotNull();
        // A failure description is shown to clients: it must never echo the token.
        assertThat(e.getMessage()).doesNotContain(token);
        return e.failure();
    }

    static String invalid(TokenVerifier verifier, String token) {
        VerificationFailure failure = failureOf(verifier, token);
        assertThat(failure).isInstanceOf(VerificationFailure.InvalidToken.class);
        return failure.description();
    }
}

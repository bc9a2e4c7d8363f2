package org.mcpidp.verifier;

import java.util.Objects;

/** A token was not accepted; {@link #failure()} says why and how to answer. The message never contains the token. */
public final class TokenVerificationException extends Exception {

    private final transient VerificationFailure failure;

    public TokenVerificationException(VerificationFailure failure) {
        this(failure, null);
    }

    public TokenVerificationException(VerificationFailure failure, Throwable cause) {
        super(Objects.requireNonNull(failure).description(), cause);
        this.failure = failure;
    }

    public static TokenVerificationException invalid(String description) {
        return new TokenVerificationException(new VerificationFailure.InvalidToken(description));
    }

    public VerificationFailure failure() {
        return failure;
    }
}

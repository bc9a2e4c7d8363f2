package org.mcpidp.verifier;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Why a token was not accepted, in words that are safe to show the client: a description never contains the token
 * or a secret. Each kind maps to one HTTP answer of a resource server (RFC 6750).
 */
public sealed interface VerificationFailure {

    /** Human-readable and safe for an {@code error_description}. */
    String description();

    /** The token is missing a required property: bad signature, expired, wrong issuer or audience, inactive... (401). */
    record InvalidToken(String description) implements VerificationFailure {
        public InvalidToken {
            Objects.requireNonNull(description);
        }
    }

    /** The token is valid but lacks scopes ({@code required} is what was asked for, all of it) (403). */
    record InsufficientScope(Set<String> required, String description) implements VerificationFailure {
        public InsufficientScope {
            required = Set.copyOf(required);
            Objects.requireNonNull(description);
        }
    }

    /** The token could not be checked now: IdP unreachable, slow or answering 5xx (503, retry later). */
    record Unavailable(String description, Duration retryAfter) implements VerificationFailure {
        public Unavailable {
            Objects.requireNonNull(description);
            Objects.requireNonNull(retryAfter);
        }
    }
}

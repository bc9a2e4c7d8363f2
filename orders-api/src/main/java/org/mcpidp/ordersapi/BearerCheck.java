package org.mcpidp.ordersapi;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;
import java.util.Optional;
import org.mcpidp.verifier.AuthInfo;
import org.mcpidp.verifier.BearerChallenge;
import org.mcpidp.verifier.TokenVerificationException;
import org.mcpidp.verifier.TokenVerifier;
import org.mcpidp.verifier.VerificationFailure;

/**
 * The API's own resource-server check (RFC 6750): one bearer token in the Authorization header, verified for this
 * API's audience and scope; otherwise the answer is written here (401 / 403 / 400 / 503 with a challenge) and the
 * request goes no further.
 */
final class BearerCheck {

    private static final String REALM = "orders-api";
    private static final String PREFIX = "Bearer ";

    private final TokenVerifier verifier;
    private final String requiredScope;
    private final Optional<ReceivedTokens> recorder;

    BearerCheck(TokenVerifier verifier, String requiredScope, Optional<ReceivedTokens> recorder) {
        this.verifier = verifier;
        this.requiredScope = requiredScope;
        this.recorder = recorder;
    }

    /** The verified caller, or empty when the answer has been sent. */
    Optional<AuthInfo> authenticate(ServerRequest request, ServerResponse response) {
        List<String> values = request.headers().all(HeaderNames.AUTHORIZATION, List::of);
        if (values.isEmpty()) {
            challenge(response, Status.UNAUTHORIZED_401, challenge().build());
            return Optional.empty();
        }
        String value = values.get(0);
        if (values.size() > 1 || value.length() <= PREFIX.length()
                || !value.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            challenge(response, Status.BAD_REQUEST_400, challenge().error(BearerChallenge.Error.INVALID_REQUEST)
                    .description("one Bearer token expected").build());
            return Optional.empty();
        }
        String token = value.substring(PREFIX.length()).strip();
        try {
            AuthInfo caller = verifier.verify(token);
            recorder.ifPresent(r -> r.add(new ReceivedTokens.Received(ReceivedTokens.sha256(token), true,
                    Optional.of(caller.subject()), caller.audiences(), caller.clientId())));
            return Optional.of(caller);
        } catch (TokenVerificationException e) {
            recorder.ifPresent(r -> r.add(new ReceivedTokens.Received(ReceivedTokens.sha256(token), false,
                    Optional.empty(), java.util.Set.of(), Optional.empty())));
            refuse(response, e.failure());
            return Optional.empty();
        }
    }

    /** The answer to a token the verifier did not accept: decided by the verifier's {@link BearerChallenge}. */
    private void refuse(ServerResponse response, VerificationFailure failure) {
        Status status = Status.create(BearerChallenge.status(failure));
        BearerChallenge.Builder base = challenge();
        if (failure instanceof VerificationFailure.InsufficientScope) {
            base.scopes(List.of(requiredScope));
        }
        Optional<BearerChallenge> challenge = BearerChallenge.forFailure(failure, base);
        if (challenge.isPresent()) {
            challenge(response, status, challenge.get());
            return;
        }
        VerificationFailure.Unavailable unavailable = (VerificationFailure.Unavailable) failure;
        response.header(HeaderNames.RETRY_AFTER, Long.toString(Math.max(1, unavailable.retryAfter().toSeconds())));
        response.status(status)
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .send("{\"error\":\"temporarily_unavailable\",\"error_description\":\""
                        + BearerChallenge.safeDescription(unavailable.description()) + "\"}");
    }

    private static BearerChallenge.Builder challenge() {
        return BearerChallenge.builder().realm(REALM);
    }

    private static void challenge(ServerResponse response, Status status, BearerChallenge challenge) {
        response.status(status).header(HeaderNames.WWW_AUTHENTICATE, challenge.headerValue()).send();
    }
}

package org.mcpidp.ordersapi;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;
import java.util.Optional;
import org.mcpidp.verifier.AuthInfo;
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
            challenge(response, Status.UNAUTHORIZED_401, "Bearer realm=\"" + REALM + "\"");
            return Optional.empty();
        }
        String value = values.get(0);
        if (values.size() > 1 || value.length() <= PREFIX.length()
                || !value.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            challenge(response, Status.BAD_REQUEST_400, error("invalid_request", "one Bearer token expected"));
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
            VerificationFailure failure = e.failure();
            switch (failure) {
                case VerificationFailure.InvalidToken invalid -> challenge(response, Status.UNAUTHORIZED_401,
                        error("invalid_token", invalid.description()));
                case VerificationFailure.InsufficientScope scope -> challenge(response, Status.FORBIDDEN_403,
                        error("insufficient_scope", scope.description()) + ", scope=\"" + requiredScope + "\"");
                case VerificationFailure.Unavailable unavailable -> {
                    response.header(HeaderNames.RETRY_AFTER,
                            Long.toString(Math.max(1, unavailable.retryAfter().toSeconds())));
                    response.status(Status.SERVICE_UNAVAILABLE_503)
                            .header(HeaderNames.CONTENT_TYPE, "application/json")
                            .send("{\"error\":\"temporarily_unavailable\",\"error_description\":\""
                                    + safe(unavailable.description()) + "\"}");
                }
            }
            return Optional.empty();
        }
    }

    private static String error(String code, String description) {
        return "Bearer realm=\"" + REALM + "\", error=\"" + code + "\", error_description=\"" + safe(description) + "\"";
    }

    private static void challenge(ServerResponse response, Status status, String header) {
        response.status(status).header(HeaderNames.WWW_AUTHENTICATE, header).send();
    }

    /** RFC 6750 quoted-string content only: a description can never end the quote or start a header line. */
    static String safe(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), 200));
        for (int i = 0; i < text.length() && out.length() < 200; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c <= 0x7e && c != '"' && c != '\\' ? c : '?');
        }
        return out.toString();
    }
}

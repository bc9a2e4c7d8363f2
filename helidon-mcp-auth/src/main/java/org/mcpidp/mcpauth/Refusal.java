package org.mcpidp.mcpauth;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.mcpidp.verifier.BearerChallenge;

/**
 * A request a stage refused, as a value: the status, the outcome metrics count, the stable reason the audit records,
 * the body (an OAuth-style error, or a JSON-RPC error the client matches by id) and the headers that go with it (a
 * {@code WWW-Authenticate} challenge, {@code Retry-After}, {@code Allow}). {@link Answers} writes it.
 *
 * @param tool the tool of a refused {@code tools/call}, for the audit record
 */
record Refusal(Status status, AuthOutcome outcome, String reason, Body body, Map<HeaderName, String> headers,
               Optional<String> tool) {

    Refusal {
        headers = Map.copyOf(headers);
    }

    /** What the answer's body says. */
    sealed interface Body {
    }

    /** {@code {"error": ..., "error_description": ...}}: OAuth 2.0 / RFC 6750 style. */
    record OAuthError(String error, String description) implements Body {
    }

    /**
     * {@code {"jsonrpc":"2.0","id":...,"error":{"code":...,"message":...,"data":...}}}; {@code id} JSON null when
     * unknown, {@code data} left out when null.
     */
    record JsonRpcError(JsonNode id, int code, String message, JsonNode data) implements Body {
    }

    /** An OAuth-style refusal; its reason is the outcome's. */
    static Refusal of(Status status, AuthOutcome outcome, String error, String description) {
        return new Refusal(status, outcome, reasonOf(outcome, error), new OAuthError(error, description), Map.of(),
                Optional.empty());
    }

    /** A refusal with a {@code WWW-Authenticate} challenge (RFC 6750 section 3); its error is the body's too. */
    static Refusal challenge(Status status, AuthOutcome outcome, BearerChallenge challenge) {
        String error = challenge.error().orElse("unauthorized");
        return new Refusal(status, outcome, reasonOf(outcome, error),
                new OAuthError(error, challenge.description().orElse("a bearer token is required")),
                Map.of(HeaderNames.WWW_AUTHENTICATE, challenge.headerValue()), Optional.empty());
    }

    /** A refusal for now: {@code Retry-After} in whole seconds, at least 1. */
    static Refusal later(Status status, AuthOutcome outcome, Duration retryAfter, String error, String description) {
        return of(status, outcome, error, description).withHeader(HeaderNames.RETRY_AFTER,
                Long.toString(Math.max(1, (retryAfter.toMillis() + 999) / 1000)));
    }

    /** A JSON-RPC error answer with HTTP {@code status}. */
    static Refusal jsonRpc(Status status, AuthOutcome outcome, JsonNode id, int code, String message) {
        return new Refusal(status, outcome, reasonOf(outcome, "invalid_request"),
                new JsonRpcError(id, code, message, null), Map.of(), Optional.empty());
    }

    /** The same JSON-RPC error with {@code data}. */
    Refusal withData(JsonNode data) {
        if (!(body instanceof JsonRpcError error)) {
            throw new IllegalStateException("only a JSON-RPC error has data");
        }
        return new Refusal(status, outcome, reason, new JsonRpcError(error.id(), error.code(), error.message(), data),
                headers, tool);
    }

    Refusal withHeader(HeaderName name, String value) {
        Map<HeaderName, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new Refusal(status, outcome, reason, body, more, tool);
    }

    /** The refusal of a {@code tools/call} of {@code name}, for {@code why} ({@code missing_scope}, ...). */
    Refusal forTool(String name, String why) {
        return new Refusal(status, outcome, why, body, headers, Optional.of(name));
    }

    /** The audit's reason codes (docs/operating.md, "Audit"): the outcome's name, or the OAuth error of a bad request. */
    private static String reasonOf(AuthOutcome outcome, String error) {
        return switch (outcome) {
            case UNAVAILABLE -> "idp_unavailable";
            case INVALID_TOKEN, NO_TOKEN, SESSION_REFUSED, SESSION_LIMIT, DUPLICATE_REQUEST, PAYLOAD_TOO_LARGE,
                 ORIGIN_REFUSED -> outcome.name().toLowerCase(java.util.Locale.ROOT);
            default -> error;
        };
    }
}

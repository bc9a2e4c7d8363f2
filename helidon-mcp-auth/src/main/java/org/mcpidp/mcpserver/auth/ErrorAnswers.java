package org.mcpidp.mcpserver.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.time.Duration;

/**
 * The one way every stage in front of the MCP endpoint (origin guard, CORS, bearer authentication, session guard,
 * JSON-RPC gate) answers a request it refuses: an OAuth-style JSON body {@code {"error":..., "error_description":...}},
 * never cached, and the request's {@link AuthOutcome} told to the {@link AccessListener}. Headers a stage set before
 * (the CORS headers of an allowed origin) stay on the answer.
 */
final class ErrorAnswers {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AccessListener listener;

    ErrorAnswers(AccessListener listener) {
        this.listener = listener;
    }

    AccessListener listener() {
        return listener;
    }

    /** Refuses with an OAuth-style error body. */
    void refuse(ServerResponse res, AuthOutcome outcome, Status status, String error, String description) {
        listener.outcome(outcome);
        RequestTrace.refused(outcome, error);
        send(res, status, error, description);
    }

    /** Refuses with a {@code WWW-Authenticate} challenge (RFC 6750 section 3) and its error in the body. */
    void challenge(ServerResponse res, AuthOutcome outcome, Status status, BearerChallenge challenge) {
        res.header(HeaderNames.WWW_AUTHENTICATE, challenge.headerValue());
        refuse(res, outcome, status, challenge.error().orElse("unauthorized"),
                challenge.description().orElse("a bearer token is required"));
    }

    /** Refuses for now: {@code Retry-After} in whole seconds, at least 1. */
    void later(ServerResponse res, AuthOutcome outcome, Status status, Duration retryAfter, String error,
               String description) {
        res.header(HeaderNames.RETRY_AFTER, Long.toString(Math.max(1, (retryAfter.toMillis() + 999) / 1000)));
        refuse(res, outcome, status, error, description);
    }

    /** Refuses one JSON-RPC request with a JSON-RPC error object (the client matches it by id). */
    void jsonRpcError(ServerResponse res, AuthOutcome outcome, Status status, JsonNode id, int code, String message) {
        listener.outcome(outcome);
        RequestTrace.refused(outcome, "invalid_request");
        ObjectNode body = JSON.createObjectNode().put("jsonrpc", "2.0");
        body.set("id", id);
        body.putObject("error").put("code", code).put("message", message);
        res.status(status);
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.send(body.toString());
    }

    /** For a stage with no outcome to tell (the CORS preflight refusals). */
    static void send(ServerResponse res, Status status, String error, String description) {
        ObjectNode body = JSON.createObjectNode().put("error", error);
        if (!description.isEmpty()) {
            body.put("error_description", description);
        }
        res.status(status);
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.send(body.toString());
    }
}

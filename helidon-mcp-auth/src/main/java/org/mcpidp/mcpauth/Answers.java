package org.mcpidp.mcpauth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.ServerResponse;

/**
 * The one place that writes what the stages in front of the MCP endpoint refuse ({@link Refusal}): the status, the
 * refusal's headers, and its body (an OAuth-style error or a JSON-RPC error), never cached; the outcome is told to the
 * {@link AccessListener} and the refusal recorded on the request's {@link Exchange}, for the audit line. Headers a
 * stage set before (the CORS headers of an allowed origin, the request id) stay on the answer.
 */
final class Answers {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AccessListener listener;

    Answers(AccessListener listener) {
        this.listener = listener;
    }

    AccessListener listener() {
        return listener;
    }

    /** Refuses the request of {@code exchange} (null before one was opened: the origin guard's refusals). */
    void refuse(ServerResponse res, Exchange exchange, Refusal refusal) {
        listener.outcome(refusal.outcome());
        if (exchange != null) {
            exchange.refused(refusal);
        }
        write(res, refusal);
    }

    /** Writes {@code refusal} as the answer, telling no one (the CORS preflight refusals). */
    static void write(ServerResponse res, Refusal refusal) {
        refusal.headers().forEach(res::header);
        res.status(refusal.status());
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.send(body(refusal.body()));
    }

    static String body(Refusal.Body body) {
        ObjectNode json = JSON.createObjectNode();
        switch (body) {
            case Refusal.OAuthError error -> {
                json.put("error", error.error());
                if (!error.description().isEmpty()) {
                    json.put("error_description", error.description());
                }
            }
            case Refusal.JsonRpcError error -> {
                json.put("jsonrpc", "2.0");
                json.set("id", error.id() == null ? NullNode.getInstance() : error.id());
                ObjectNode detail = json.putObject("error").put("code", error.code()).put("message", error.message());
                if (error.data() != null) {
                    detail.set("data", error.data());
                }
            }
        }
        return json.toString();
    }
}

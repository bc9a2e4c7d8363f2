package org.mcpidp.mcpserver.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

/**
 * The one way every stage in front of the MCP endpoint (origin guard, CORS, bearer filter) answers a request it
 * refuses: an OAuth-style JSON body {@code {"error":..., "error_description":...}}, never cached. Headers a stage set
 * before (a challenge, {@code Retry-After}, the CORS headers of an allowed origin) stay on the answer.
 */
final class ErrorAnswers {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ErrorAnswers() {
    }

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

package org.mcpidp.mcpserver.tools;

import io.modelcontextprotocol.modern.McpException;
import io.modelcontextprotocol.modern.McpSchema;
import io.modelcontextprotocol.modern.server.McpRequestContext;
import org.mcpidp.downstream.DownstreamException;
import org.mcpidp.downstream.ExchangeFailure;
import org.mcpidp.mcpauth.ClaimsChallenge;

/**
 * What a tool throws when it could not get a token for a downstream API, so the client hears it in terms it
 * understands: every reason a JSON-RPC error naming it ({@code "downstream token: UNAVAILABLE: ..."}), the server
 * staying up; an Entra Conditional Access claims challenge additionally turns the answer into HTTP 401 with
 * {@code insufficient_claims} ({@link ClaimsChallenge}), so the client can get a new token with those claims.
 */
final class DownstreamFailures {

    private DownstreamFailures() {
    }

    static McpException toolError(McpRequestContext context, DownstreamException exception) {
        return toolError(context, exception.failure());
    }

    static McpException toolError(McpRequestContext context, ExchangeFailure failure) {
        if (failure.reason() == ExchangeFailure.Reason.CLAIMS_CHALLENGE) {
            failure.claims().ifPresent(claims -> ClaimsChallenge.demand(context, claims));
        }
        return new McpException(McpSchema.ErrorCodes.INTERNAL_ERROR, "downstream token: " + failure.reason() + ": "
                + failure.detail());
    }
}

package org.mcpidp.mcpauth;

import io.modelcontextprotocol.modern.McpException;
import io.modelcontextprotocol.modern.McpSchema;
import io.modelcontextprotocol.modern.server.McpRequestContext;
import java.util.Objects;
import org.mcpidp.downstream.DownstreamException;
import org.mcpidp.downstream.ExchangeFailure;

/**
 * What an {@link SdkTool} throws when it could not get a token for a downstream API, so the client hears it in terms
 * it understands (the SDK engine's counterpart of {@link DownstreamErrors}): every reason a JSON-RPC error naming it
 * ({@code "downstream token: UNAVAILABLE: ..."}); an Entra Conditional Access claims challenge an HTTP 401 with
 * {@code WWW-Authenticate: Bearer error="insufficient_claims", claims="<base64>"}, so the client can get a new token
 * with those claims.
 */
public final class SdkErrors {

    private SdkErrors() {
    }

    /** The exception to throw from the tool for {@code failure}. */
    public static McpException downstream(McpRequestContext context, ExchangeFailure failure) {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(failure, "failure");
        if (failure.reason() == ExchangeFailure.Reason.CLAIMS_CHALLENGE && failure.claims().isPresent()) {
            CallerContext.challengeSlot(context.transportContext())
                    .ifPresent(slot -> slot.set(DownstreamErrors.claimsChallenge(failure.claims().get())));
        }
        return new McpException(McpSchema.ErrorCodes.INTERNAL_ERROR, "downstream token: " + failure.reason() + ": "
                + failure.detail());
    }

    /** As {@link #downstream(McpRequestContext, ExchangeFailure)}, for what {@code DownstreamCalls.send} threw. */
    public static McpException downstream(McpRequestContext context, DownstreamException exception) {
        return downstream(context, exception.failure());
    }
}

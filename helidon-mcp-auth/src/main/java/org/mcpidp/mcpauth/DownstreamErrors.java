package org.mcpidp.mcpauth;

import io.helidon.extensions.mcp.server.McpException;
import io.helidon.extensions.mcp.server.McpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import org.mcpidp.downstream.DownstreamException;
import org.mcpidp.downstream.ExchangeFailure;

/**
 * What a tool throws when it could not get a token for a downstream API, so the client hears it in terms it
 * understands:
 * <pre>{@code
 * switch (tokens.tokenFor(caller, ORDERS)) {
 *     case ExchangeOutcome.Issued issued -> ...;
 *     case ExchangeOutcome.Failed failed -> throw DownstreamErrors.toolError(request, failed.failure());
 * }
 * }</pre>
 * Every reason becomes a JSON-RPC error naming it ({@code "downstream token: UNAVAILABLE: ..."}); the server stays
 * up. {@link ExchangeFailure.Reason#CLAIMS_CHALLENGE} (Entra Conditional Access) becomes HTTP 401 with
 * {@code WWW-Authenticate: Bearer error="insufficient_claims", claims="<base64>"}, Microsoft's documented answer of a
 * middle tier, so the client can get a new token with those claims: the tool records the challenge in its request
 * context and the bearer filter turns that call's answer into the 401.
 */
public final class DownstreamErrors {

    private DownstreamErrors() {
    }

    /** The exception to throw from the tool for {@code failure}. */
    public static McpException toolError(McpRequest request, ExchangeFailure failure) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(failure, "failure");
        if (failure.reason() == ExchangeFailure.Reason.CLAIMS_CHALLENGE && failure.claims().isPresent()) {
            request.requestContext().get(PendingChallenge.class)
                    .ifPresent(pending -> pending.set(claimsChallenge(failure.claims().get())));
        }
        return new McpException("downstream token: " + failure.reason() + ": " + failure.detail());
    }

    /** As {@link #toolError(McpRequest, ExchangeFailure)}, for what {@code DownstreamCalls.send} threw. */
    public static McpException toolError(McpRequest request, DownstreamException exception) {
        return toolError(request, exception.failure());
    }

    /**
     * The {@code WWW-Authenticate} value for a claims challenge. A JSON claims value (what Entra returns) is sent
     * base64-encoded, as Microsoft documents; a value that is already base64 is sent as it is. Anything else is
     * refused: it could break out of the quoted header parameter.
     */
    static String claimsChallenge(String claims) {
        String value = claims.strip();
        if (value.startsWith("{")) {
            value = Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
        } else if (!value.matches("[A-Za-z0-9+/=_-]+")) {
            throw new IllegalArgumentException("a claims challenge must be JSON or base64");
        }
        return "Bearer error=\"insufficient_claims\", error_description=\"the downstream API requires more claims\", "
                + "claims=\"" + value + "\"";
    }
}

package org.mcpidp.mcpauth;

import io.helidon.extensions.mcp.server.McpRequest;
import io.modelcontextprotocol.modern.server.McpRequestContext;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import org.mcpidp.verifier.BearerChallenge;

/**
 * Lets a tool answer its call with HTTP 401 and {@code WWW-Authenticate: Bearer error="insufficient_claims",
 * claims="<base64>"}: Microsoft's documented answer of a middle tier whose downstream API (Entra Conditional Access)
 * demands more claims, so the client gets a new token with them. A tool cannot set the HTTP status; it records the
 * claims here and throws its error as usual, and the kit's transport turns that call's answer into the 401:
 * <pre>{@code
 * } catch (DownstreamException e) {
 *     e.failure().claims().ifPresent(claims -> ClaimsChallenge.demand(context, claims));
 *     throw new McpException(McpSchema.ErrorCodes.INTERNAL_ERROR, "downstream token: " + e.failure().reason());
 * }
 * }</pre>
 * Claims that are neither JSON (what Entra returns, sent base64-encoded as Microsoft documents) nor base64 are not
 * put in a header (they could break out of the quoted value): the call then answers the tool's error alone.
 */
public final class ClaimsChallenge {

    private static final System.Logger LOGGER = System.getLogger(ClaimsChallenge.class.getName());

    private ClaimsChallenge() {
    }

    /**
     * Records {@code claims} for the answer of the SDK tool call {@code context} belongs to.
     *
     * @return whether the answer will be the 401 (false: claims unusable, or a context the kit's transport did not
     *         make)
     */
    public static boolean demand(McpRequestContext context, String claims) {
        Objects.requireNonNull(context, "context");
        Optional<String> header = headerValue(claims);
        Optional<CallerContext.ChallengeSlot> slot = CallerContext.challengeSlot(context.transportContext());
        header.ifPresent(value -> slot.ifPresent(s -> s.set(value)));
        return header.isPresent() && slot.isPresent();
    }

    /** As {@link #demand(McpRequestContext, String)}, for a tool of the Helidon MCP extension. */
    public static boolean demand(McpRequest request, String claims) {
        Objects.requireNonNull(request, "request");
        Optional<String> header = headerValue(claims);
        Optional<PendingChallenge> pending = request.requestContext().get(PendingChallenge.class);
        header.ifPresent(value -> pending.ifPresent(p -> p.set(value)));
        return header.isPresent() && pending.isPresent();
    }

    /**
     * The {@code WWW-Authenticate} value for {@code claims}: JSON is base64-encoded, base64 is sent as it is, anything
     * else is refused (logged, without the value: it came from an identity provider's answer).
     */
    static Optional<String> headerValue(String claims) {
        String value = Objects.requireNonNull(claims, "claims").strip();
        if (value.startsWith("{")) {
            value = Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
        }
        try {
            return Optional.of(BearerChallenge.builder().error(BearerChallenge.Error.INSUFFICIENT_CLAIMS)
                    .description("the downstream API requires more claims").claims(value).build().headerValue());
        } catch (IllegalArgumentException e) {
            LOGGER.log(Level.WARNING, "a claims challenge that is neither JSON nor base64 was not sent to the client");
            return Optional.empty();
        }
    }
}

package org.mcpidp.mcpauth;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.modern.server.McpHeaders;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.mcpidp.verifier.AuthInfo;

/**
 * What the kit's transport hands the MCP Java SDK with each request: the verified caller (for tools:
 * {@link SdkTool#caller}), the request's mirrored MCP headers (the SDK checks {@code Mcp-Param-*} against the body
 * with them), and what a {@code requestState} must be bound to (see {@link RequestStateSeal}). A record instead of
 * {@code McpTransportContext.create(Map)}: no map is copied per request.
 *
 * @param binding the caller and the request's arguments, as a digest (made when first asked for): a state sealed for
 *                one is refused for another
 */
record CallerContext(AuthInfo caller, McpHeaders headers, RequestStateSeal.Binding binding, ChallengeSlot challenge)
        implements McpTransportContext {

    CallerContext(AuthInfo caller, McpHeaders headers, RequestStateSeal.Binding binding) {
        this(caller, headers, binding, new ChallengeSlot());
    }

    /**
     * Where a tool leaves a claims challenge for its answer ({@link ClaimsChallenge}): a tool cannot set the HTTP
     * status, so the transport turns the answer into the 401 when one is left here.
     */
    static final class ChallengeSlot {
        private volatile String header;

        void set(String value) {
            header = value;
        }

        Optional<String> header() {
            return Optional.ofNullable(header);
        }
    }

    /** The slot of a context the kit's transport made. */
    static Optional<ChallengeSlot> challengeSlot(McpTransportContext context) {
        return context != null && context.get(CHALLENGE) instanceof ChallengeSlot slot ? Optional.of(slot)
                : Optional.empty();
    }

    static final String CHALLENGE = "org.mcpidp.claims-challenge";

    /** The key under which {@link #get} answers the caller. */
    static final String CALLER = "org.mcpidp.caller";
    /** The key under which {@link #get} answers the binding of a request state. */
    static final String BINDING = "org.mcpidp.request-state-binding";

    @Override
    public Object get(String key) {
        if (CALLER.equals(key)) {
            return caller;
        }
        if (McpHeaders.TRANSPORT_CONTEXT_KEY.equals(key)) {
            return headers;
        }
        if (CHALLENGE.equals(key)) {
            return challenge;
        }
        return BINDING.equals(key) ? binding.value() : null;
    }

    @Override
    public McpTransportContext putAll(Map<String, ?> more) {
        Map<String, Object> added = new HashMap<>(more);
        CallerContext base = this;
        return key -> added.containsKey(key) ? added.get(key) : base.get(key);
    }

    /** The caller a transport context carries, when the kit's transport made it. */
    static Optional<AuthInfo> caller(McpTransportContext context) {
        return context != null && context.get(CALLER) instanceof AuthInfo caller ? Optional.of(caller)
                : Optional.empty();
    }
}

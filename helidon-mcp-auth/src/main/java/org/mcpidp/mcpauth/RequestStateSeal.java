package org.mcpidp.mcpauth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.modelcontextprotocol.json.McpJsonMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import org.mcpidp.verifier.AuthInfo;
import io.modelcontextprotocol.modern.server.HmacRequestStateCodec;
import io.modelcontextprotocol.modern.server.McpRequestContext;
import io.modelcontextprotocol.modern.server.RequestStateCodec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Seals and opens {@code requestState} (MCP 2026-07-28, multi round-trip requests), which comes back from the client
 * and is attacker-controlled: the SDK's HMAC codec, which binds a state to its expiry, the JSON-RPC method and the
 * tool (prompt, resource) it was issued for, here also bound to the caller and the request's arguments through the
 * {@link CallerContext#binding} the kit's transport computes, and keyed by {@link RequestStateKeys} (current key seals,
 * previous keys still open). A state opened under another caller, other arguments, another tool, after its expiry or
 * altered in one bit is refused by the SDK with -32602, and nothing runs.
 */
final class RequestStateSeal implements RequestStateCodec {

    private final RequestStateCodec current;
    private final List<RequestStateCodec> previous;

    RequestStateSeal(RequestStateKeys keys, Duration ttl, Clock clock, McpJsonMapper mapper) {
        this.current = codec(keys.current(), ttl, clock, mapper);
        List<RequestStateCodec> older = new ArrayList<>();
        keys.previous().forEach(key -> older.add(codec(key, ttl, clock, mapper)));
        this.previous = List.copyOf(older);
    }

    @Override
    public String seal(McpRequestContext context, String state) {
        return current.seal(context, state);
    }

    @Override
    public String open(McpRequestContext context, String sealed) {
        String state = current.open(context, sealed);
        for (int i = 0; state == null && i < previous.size(); i++) {
            state = previous.get(i).open(context, sealed);
        }
        return state;
    }

    private static final ObjectMapper SORTED = new ObjectMapper()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    /**
     * What a state issued for one request is bound to ({@link #binding}), computed when the codec first asks for it:
     * only a multi round-trip request seals or opens a state, and the digest (a hash over the sorted arguments) was
     * a tenth of every other request's handoff to the engine.
     */
    static final class Binding {
        private final AuthInfo caller;
        private final JsonRpcCalls.Call call;
        private volatile String value;

        Binding(AuthInfo caller, JsonRpcCalls.Call call) {
            this.caller = caller;
            this.call = call;
        }

        /** The digest; computed at most a few times (a race computes the same value twice, harmlessly). */
        String value() {
            String known = value;
            if (known == null) {
                known = binding(caller, call);
                value = known;
            }
            return known;
        }
    }

    /**
     * What a state issued for {@code call} of {@code caller} is bound to: a digest of the caller (issuer, subject),
     * the method, what it names and its arguments (keys sorted: a client may send them in another order).
     */
    static String binding(AuthInfo caller, JsonRpcCalls.Call call) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {caller.issuer(), caller.subject(), call.method(),
                    call.target().orElse("")}) {
                sha256.update(part.getBytes(StandardCharsets.UTF_8));
                sha256.update((byte) 0);
            }
            JsonNode arguments = call.arguments();
            if (!arguments.isMissingNode() && !arguments.isNull()) {
                sha256.update(SORTED.writeValueAsBytes(SORTED.convertValue(arguments, Object.class)));
            }
            return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256.digest());
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException("cannot bind a request state", e);
        }
    }

    private static RequestStateCodec codec(byte[] key, Duration ttl, Clock clock, McpJsonMapper mapper) {
        // no binding (a context the kit's transport did not make) binds to a value no request has: fail closed
        return HmacRequestStateCodec.builder()
                .key(key)
                .ttl(ttl)
                .clock(clock)
                .jsonMapper(mapper)
                .principalExtractor(context -> context == null || !(context.get(CallerContext.BINDING) instanceof String
                        binding) ? "unbound" : binding)
                .build();
    }
}

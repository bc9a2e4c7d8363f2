package org.mcpidp.mcpauth;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStreamableServerTransport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.mcpidp.verifier.AuthInfo;
import reactor.core.publisher.Mono;

/**
 * The answer stream of one request in a legacy session: the SDK's legacy server sends the request's notifications,
 * its server-to-client requests (a confirmation the tool asks for) and finally its response here, each an event of
 * the POST's stream. A list the legacy server answers unfiltered (prompts, resources) is trimmed to what the caller
 * may see before it is written.
 */
final class LegacyStream implements McpStreamableServerTransport {

    private static final TypeRef<Map<String, Object>> MAP = new TypeRef<>() {
    };

    private final EventStream events;
    private final McpJsonMapper mapper;
    private final Object requestId;
    private final Optional<LegacySessions.Visibility> listFilter;
    private final AuthInfo caller;
    private final CallerContext.ChallengeSlot challenge;
    private volatile boolean challenged;

    LegacyStream(EventStream events, McpJsonMapper mapper, Object requestId,
                 Optional<LegacySessions.Visibility> listFilter, CallerContext context) {
        this.events = events;
        this.mapper = mapper;
        this.requestId = requestId;
        this.listFilter = listFilter;
        this.caller = context.caller();
        this.challenge = context.challenge();
    }

    /**
     * Whether the request's answer is to be a claims challenge (a tool left one, and nothing was written yet): its
     * JSON-RPC response was held back, and the transport answers 401 instead.
     */
    boolean challenged() {
        return challenged;
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message, String messageId) {
        return Mono.fromRunnable(() -> {
            if (message instanceof McpSchema.JSONRPCResponse && challenge.header().isPresent() && !events.started()) {
                challenged = true;
                return;
            }
            try {
                byte[] json = mapper.writeValueAsBytes(filtered(message));
                if (isAnswer(message)) {
                    events.last(json, messageId); // the request's response ends its stream
                } else {
                    events.message(json, messageId);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
        return sendMessage(message, null);
    }

    @Override
    public <T> T unmarshalFrom(Object data, TypeRef<T> type) {
        return mapper.convertValue(data, type);
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Mono.fromRunnable(events::close);
    }

    /** Whether {@code message} is the response to this stream's request (the SDK sends it last). */
    private boolean isAnswer(McpSchema.JSONRPCMessage message) {
        return message instanceof McpSchema.JSONRPCResponse response
                && Objects.equals(String.valueOf(response.id()), String.valueOf(requestId));
    }

    /** The response to this stream's request, with list items the caller may not see removed. */
    private McpSchema.JSONRPCMessage filtered(McpSchema.JSONRPCMessage message) {
        if (listFilter.isEmpty() || !(message instanceof McpSchema.JSONRPCResponse response)
                || response.result() == null || !Objects.equals(String.valueOf(response.id()),
                String.valueOf(requestId))) {
            return message;
        }
        Map<String, Object> result = new LinkedHashMap<>(mapper.convertValue(response.result(), MAP));
        for (String key : List.of("prompts", "resources", "resourceTemplates")) {
            if (result.get(key) instanceof List<?> items) {
                List<Object> kept = new ArrayList<>();
                for (Object item : items) {
                    if (listFilter.get().visible(caller, mapper.convertValue(item, MAP))) {
                        kept.add(item);
                    }
                }
                result.put(key, kept);
            }
        }
        return new McpSchema.JSONRPCResponse(response.jsonrpc(), response.id(), result, null);
    }
}

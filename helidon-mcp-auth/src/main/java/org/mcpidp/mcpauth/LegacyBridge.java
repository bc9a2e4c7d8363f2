package org.mcpidp.mcpauth;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.modern.JsonRpc;
import io.modelcontextprotocol.modern.server.McpServer;
import io.modelcontextprotocol.modern.server.McpTransportResponse;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs a legacy session's request (2025-11-25 and older) on the modern server, where every tool, prompt and resource
 * is defined once: the request becomes a 2026-07-28 request carrying the session's client capabilities and info; an
 * {@code InputRequiredResult} becomes the legacy session's server-to-client requests (elicitation, sampling, roots),
 * answered by the client on the session, then the request is retried with their answers and the sealed
 * {@code requestState} until it completes; progress and log notifications go out on the session; and the modern
 * result, stripped of what only 2026-07-28 knows, becomes the legacy one.
 */
final class LegacyBridge {

    /** More rounds than any real exchange needs: a tool that keeps asking is stopped here. */
    private static final int MAX_ROUNDS = 10;
    private static final TypeRef<Map<String, Object>> MAP = new TypeRef<>() {
    };

    private final McpServer modern;
    private final McpJsonMapper mapper;
    private final AtomicLong ids = new AtomicLong();

    LegacyBridge(McpServer modern, McpJsonMapper mapper) {
        this.modern = modern;
        this.mapper = mapper;
    }

    McpSchema.CallToolResult callTool(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("name", request.name());
        params.put("arguments", request.arguments() == null ? Map.of() : request.arguments());
        return mapper.convertValue(run(exchange, "tools/call", params, request.meta()), McpSchema.CallToolResult.class);
    }

    McpSchema.GetPromptResult getPrompt(McpSyncServerExchange exchange, McpSchema.GetPromptRequest request) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("name", request.name());
        params.put("arguments", request.arguments() == null ? Map.of() : request.arguments());
        return mapper.convertValue(run(exchange, "prompts/get", params, request.meta()),
                McpSchema.GetPromptResult.class);
    }

    McpSchema.ReadResourceResult readResource(McpSyncServerExchange exchange, McpSchema.ReadResourceRequest request) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("uri", request.uri());
        return mapper.convertValue(run(exchange, "resources/read", params, request.meta()),
                McpSchema.ReadResourceResult.class);
    }

    McpSchema.CompleteResult complete(McpSyncServerExchange exchange, McpSchema.CompleteRequest request) {
        Map<String, Object> params = new LinkedHashMap<>(mapper.convertValue(request, MAP));
        params.remove("_meta");
        return mapper.convertValue(run(exchange, "completion/complete", params, request.meta()),
                McpSchema.CompleteResult.class);
    }

    /** The modern result of {@code method}, after every round of input the session's client was asked for. */
    private Map<String, Object> run(McpSyncServerExchange exchange, String method, Map<String, Object> params,
                                    Map<String, Object> legacyMeta) {
        Map<String, Object> current = new LinkedHashMap<>(params);
        current.put("_meta", meta(exchange, legacyMeta));
        McpTransportContext context = exchange.transportContext();
        for (int round = 0; round < MAX_ROUNDS; round++) {
            JsonRpc.JSONRPCRequest request = new JsonRpc.JSONRPCRequest(JsonRpc.JSONRPC_VERSION, method,
                    "legacy-" + ids.incrementAndGet(), current);
            Map<String, Object> result = result(exchange, modern.handleBlocking(context, request).block());
            if (!"input_required".equals(result.get("resultType"))) {
                return legacyShape(result);
            }
            current = new LinkedHashMap<>(current);
            current.put("inputResponses", answers(exchange, result.get("inputRequests")));
            if (result.get("requestState") instanceof String state) {
                current.put("requestState", state);
            } else {
                current.remove("requestState");
            }
        }
        throw new McpError(new McpSchema.JSONRPCResponse.JSONRPCError(McpSchema.ErrorCodes.INTERNAL_ERROR,
                "the request asked for input more than " + MAX_ROUNDS + " times", null));
    }

    /** What a 2026-07-28 request says of its client, from what the legacy session negotiated. */
    private Map<String, Object> meta(McpSyncServerExchange exchange, Map<String, Object> legacyMeta) {
        Map<String, Object> meta = new HashMap<>();
        if (legacyMeta != null && legacyMeta.get("progressToken") != null) {
            meta.put("progressToken", legacyMeta.get("progressToken"));
        }
        meta.put("io.modelcontextprotocol/protocolVersion", SdkEngine.MODERN_VERSION);
        Client client = client(exchange.getClientCapabilities(), exchange.getClientInfo());
        meta.put("io.modelcontextprotocol/clientCapabilities", client.capabilities());
        if (client.info() != null) {
            meta.put("io.modelcontextprotocol/clientInfo", client.info());
        }
        // the session filters log notifications by the level its client set (logging/setLevel)
        meta.put("io.modelcontextprotocol/logLevel", "debug");
        return meta;
    }

    /**
     * A session's client as {@code _meta} describes it, converted once: it is the same for every request of a
     * session, and for most sessions (clients declare the same few capability sets). Read-only, as it is shared.
     */
    private record Client(Object capabilities, Object info) {
    }

    /** Conversions kept at most: beyond it the cache starts over (a client cannot make it grow without bound). */
    private static final int MAX_CLIENTS = 256;
    private final Map<List<Object>, Client> clients = new ConcurrentHashMap<>();

    private Client client(McpSchema.ClientCapabilities capabilities, McpSchema.Implementation info) {
        List<Object> key = Arrays.asList(capabilities, info);
        Client known = clients.get(key);
        if (known != null) {
            return known;
        }
        Client client = new Client(capabilities == null ? Map.of()
                : JsonValues.readOnly(mapper.convertValue(capabilities, MAP)),
                info == null ? null : JsonValues.readOnly(mapper.convertValue(info, MAP)));
        if (clients.size() >= MAX_CLIENTS) {
            clients.clear();
        }
        clients.put(key, client);
        return client;
    }

    /** The result of one modern exchange; its notifications are forwarded to the session on the way. */
    private Map<String, Object> result(McpSyncServerExchange exchange, McpTransportResponse response) {
        JsonRpc.JSONRPCResponse last = switch (response) {
            case McpTransportResponse.Result result -> result.response();
            case McpTransportResponse.Error error -> error.response();
            case McpTransportResponse.Streaming streaming -> {
                JsonRpc.JSONRPCResponse end = null;
                for (JsonRpc.JSONRPCMessage message : streaming.messages().toIterable()) {
                    if (message instanceof JsonRpc.JSONRPCNotification notification) {
                        forward(exchange, notification);
                    } else if (message instanceof JsonRpc.JSONRPCResponse done) {
                        end = done;
                    }
                }
                yield end;
            }
            default -> throw new IllegalStateException("unknown response " + response.getClass().getName());
        };
        if (last == null) {
            throw new McpError(new McpSchema.JSONRPCResponse.JSONRPCError(McpSchema.ErrorCodes.INTERNAL_ERROR,
                    "no result", null));
        }
        if (last.error() != null) {
            throw new McpError(new McpSchema.JSONRPCResponse.JSONRPCError(last.error().code(),
                    last.error().message(), last.error().data()));
        }
        if (last.result() instanceof Map<?, ?> plain) {
            // the modern server answers with the result already as a map (it adds its _meta to one): no round trip
            // through a token buffer for a map that only legacyShape reads and copies
            @SuppressWarnings("unchecked")
            Map<String, Object> result = (Map<String, Object>) plain;
            return result;
        }
        return mapper.convertValue(last.result(), MAP);
    }

    private void forward(McpSyncServerExchange exchange, JsonRpc.JSONRPCNotification notification) {
        switch (notification.method()) {
            case McpSchema.METHOD_NOTIFICATION_PROGRESS -> exchange.progressNotification(
                    mapper.convertValue(notification.params(), McpSchema.ProgressNotification.class));
            case McpSchema.METHOD_NOTIFICATION_MESSAGE -> exchange.loggingNotification(
                    mapper.convertValue(notification.params(), McpSchema.LoggingMessageNotification.class));
            default -> {
                // nothing else has a legacy counterpart on a request's stream
            }
        }
    }

    /** The session client's answers to the input requests, asked for one at a time. */
    private Map<String, Object> answers(McpSyncServerExchange exchange, Object inputRequests) {
        Map<String, Object> answers = new LinkedHashMap<>();
        if (!(inputRequests instanceof Map<?, ?> requests)) {
            return answers;
        }
        requests.forEach((key, value) -> {
            Map<String, Object> input = mapper.convertValue(value, MAP);
            Object params = input.getOrDefault("params", Map.of());
            Object answer = switch (String.valueOf(input.get("method"))) {
                case McpSchema.METHOD_ELICITATION_CREATE -> exchange.createElicitation(
                        mapper.convertValue(params, McpSchema.ElicitFormRequest.class));
                case McpSchema.METHOD_SAMPLING_CREATE_MESSAGE -> exchange.createMessage(
                        mapper.convertValue(params, McpSchema.CreateMessageRequest.class));
                case McpSchema.METHOD_ROOTS_LIST -> exchange.listRoots();
                default -> throw new McpError(new McpSchema.JSONRPCResponse.JSONRPCError(
                        McpSchema.ErrorCodes.INTERNAL_ERROR, "input of kind " + input.get("method")
                        + " cannot be asked in a legacy session", null));
            };
            answers.put(String.valueOf(key), mapper.convertValue(answer, MAP));
        });
        return answers;
    }

    /** A modern result without what only 2026-07-28 defines. */
    private static Map<String, Object> legacyShape(Map<String, Object> result) {
        Map<String, Object> legacy = new LinkedHashMap<>(result);
        legacy.remove("resultType");
        legacy.remove("ttlMs");
        legacy.remove("cacheScope");
        if (legacy.get("_meta") instanceof Map<?, ?> meta) {
            Map<Object, Object> rest = new LinkedHashMap<>(meta);
            rest.remove("io.modelcontextprotocol/serverInfo");
            if (rest.isEmpty()) {
                legacy.remove("_meta");
            } else {
                legacy.put("_meta", rest);
            }
        }
        return legacy;
    }
}

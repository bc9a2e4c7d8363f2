package org.mcpidp.mcpserver.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The JSON-RPC messages of one POST to the MCP endpoint, as far as authorization cares: each message's method and,
 * for {@code tools/call}, the tool name. A body that is not JSON gives no calls (the MCP handler answers it with a
 * parse error); a batch (JSON array, protocol 2025-03-26) gives one entry per message.
 */
record JsonRpcCalls(List<Call> calls) {

    static final String TOOLS_CALL = "tools/call";
    static final String TOOLS_LIST = "tools/list";
    static final String INITIALIZE = "initialize";

    /** One JSON-RPC message: its method (empty for responses) and {@code params.name} when it is a string. */
    record Call(String method, Optional<String> toolName, JsonNode id) {
    }

    static JsonRpcCalls parse(ObjectMapper json, byte[] body) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (IOException e) {
            return new JsonRpcCalls(List.of());
        }
        List<Call> calls = new ArrayList<>();
        if (root != null && root.isArray()) {
            root.forEach(message -> add(calls, message));
        } else if (root != null) {
            add(calls, root);
        }
        return new JsonRpcCalls(List.copyOf(calls));
    }

    private static void add(List<Call> calls, JsonNode message) {
        if (!message.isObject()) {
            return;
        }
        String method = message.path("method").isTextual() ? message.get("method").asText() : "";
        JsonNode name = message.path("params").path("name");
        calls.add(new Call(method, name.isTextual() ? Optional.of(name.asText()) : Optional.empty(), message.get("id")));
    }

    /** Deeper JSON than this is refused before any parser sees it (the MCP handler's parser fails with a 500). */
    static final int MAX_NESTING = 128;

    /** True when {@code body} nests arrays/objects deeper than {@code limit} (brackets inside strings do not count). */
    static boolean nestsDeeperThan(byte[] body, int limit) {
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < body.length; i++) {
            byte b = body[i];
            if (inString) {
                if (b == '\\') {
                    i++;
                } else if (b == '"') {
                    inString = false;
                }
            } else if (b == '"') {
                inString = true;
            } else if (b == '[' || b == '{') {
                if (++depth > limit) {
                    return true;
                }
            } else if (b == ']' || b == '}') {
                depth--;
            }
        }
        return false;
    }

    boolean has(String method) {
        return calls.stream().anyMatch(call -> call.method().equals(method));
    }
}

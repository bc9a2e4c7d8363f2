package org.mcpidp.mcpauth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The JSON-RPC messages of one POST to the MCP endpoint, read completely and strictly, once. Authorization decides on
 * this parse, and the engine executes this parse too: the MCP extension gets its re-serialization ({@link #canonical})
 * instead of the bytes that arrived, so no parser differential can make the gate and the engine see different
 * requests. A body that cannot be read completely is refused ({@link Malformed}), never passed on: not UTF-8, not one
 * JSON value, a duplicate key at any depth, a number or string beyond the limits, a root that is not an object or a
 * non-empty array of objects, a message that is not JSON-RPC 2.0, or a {@code tools/call} or {@code prompts/get} without
 * a string name ({@code resources/read}: uri).
 *
 * @param calls the messages, in body order
 * @param batch whether the body was a JSON array (a batch, protocol 2025-03-26)
 */
record JsonRpcCalls(List<Call> calls, boolean batch) {

    static final String TOOLS_CALL = "tools/call";
    static final String TOOLS_LIST = "tools/list";
    static final String PROMPTS_GET = "prompts/get";
    static final String RESOURCES_READ = "resources/read";
    static final String INITIALIZE = "initialize";
    /** The {@code _meta} key of a 2026-07-28 request's protocol version. */
    static final String META_PROTOCOL_VERSION = "io.modelcontextprotocol/protocolVersion";

    /** JSON-RPC error codes of a refused body. */
    static final int PARSE_ERROR = -32700;
    static final int INVALID_REQUEST = -32600;
    static final int INVALID_PARAMS = -32602;

    /** Deeper JSON than this is refused (no MCP message nests this deep; the extension's parser fails with a 500). */
    static final int MAX_NESTING = 128;

    /**
     * One JSON-RPC message.
     *
     * @param method  the method; empty for a response (a message without {@code method})
     * @param target  what a call names: {@code params.name} of a {@code tools/call} or {@code prompts/get},
     *                {@code params.uri} of a {@code resources/read}
     * @param id      the id; null for a notification
     * @param message the whole message, as parsed
     */
    record Call(String method, Optional<String> target, JsonNode id, ObjectNode message) {

        /** The tool of a {@code tools/call}. */
        Optional<String> toolName() {
            return TOOLS_CALL.equals(method) ? target : Optional.empty();
        }

        /** {@code params.arguments} of a call: an object, or missing. */
        JsonNode arguments() {
            return message.path("params").path("arguments");
        }

        /** {@code params._meta["io.modelcontextprotocol/protocolVersion"]}: set by 2026-07-28 clients only. */
        Optional<String> metaProtocolVersion() {
            JsonNode version = message.path("params").path("_meta").path(META_PROTOCOL_VERSION);
            return version.isTextual() ? Optional.of(version.textValue()) : Optional.empty();
        }
    }

    /** Why a body was refused: a JSON-RPC error code and a description that is safe to echo. */
    static final class Malformed extends Exception {
        private final int code;
        private final JsonNode id;

        Malformed(int code, String description, JsonNode id) {
            super(description, null, false, false);
            this.code = code;
            this.id = id == null ? NullNode.getInstance() : id;
        }

        int code() {
            return code;
        }

        /** The id of the message at fault when it could be read, else JSON null (JSON-RPC's rule for parse errors). */
        JsonNode id() {
            return id;
        }
    }

    /**
     * Reads {@code body} completely.
     *
     * @throws Malformed when the body is not a complete, unambiguous JSON-RPC message or batch
     */
    static JsonRpcCalls parse(byte[] body) throws Malformed {
        JsonNode root = StrictJson.read(body);
        if (root.isObject()) {
            return new JsonRpcCalls(List.of(message((ObjectNode) root)), false);
        }
        if (!root.isArray() || root.isEmpty()) {
            throw new Malformed(INVALID_REQUEST, "the body must be a JSON-RPC message (an object) or a non-empty "
                    + "batch of them (an array)", null);
        }
        List<Call> calls = new ArrayList<>(root.size());
        for (JsonNode element : root) {
            if (!element.isObject()) {
                throw new Malformed(INVALID_REQUEST, "every element of a batch must be a JSON-RPC message (an object)",
                        null);
            }
            calls.add(message((ObjectNode) element));
        }
        return new JsonRpcCalls(List.copyOf(calls), true);
    }

    /**
     * The body as the engine must read it: this parse written out again, as UTF-8 JSON. Whatever the client's bytes
     * looked like (escapes, number spellings, whitespace), the engine sees what was authorized.
     */
    byte[] canonical() {
        try {
            if (!batch) {
                return StrictJson.write(calls.getFirst().message());
            }
            List<ObjectNode> messages = new ArrayList<>(calls.size());
            calls.forEach(call -> messages.add(call.message()));
            return StrictJson.write(messages);
        } catch (JsonProcessingException e) {
            // cannot happen for a tree StrictJson built from valid UTF-8 (it refuses lone surrogates)
            throw new IllegalStateException("re-serializing a parsed JSON-RPC body failed", e);
        }
    }

    boolean has(String method) {
        for (Call call : calls) {
            if (call.method().equals(method)) {
                return true;
            }
        }
        return false;
    }

    private static Call message(ObjectNode message) throws Malformed {
        JsonNode id = message.get("id");
        JsonNode version = message.get("jsonrpc");
        if (version == null || !version.isTextual() || !"2.0".equals(version.textValue())) {
            throw new Malformed(INVALID_REQUEST, "\"jsonrpc\" must be \"2.0\"", safeId(id));
        }
        if (id != null && !(id.isTextual() || id.isIntegralNumber() && id.canConvertToLong())) {
            throw new Malformed(INVALID_REQUEST, "\"id\" must be a string or an integer", null);
        }
        JsonNode methodNode = message.get("method");
        if (methodNode == null) {
            if (id == null || message.has("result") == message.has("error")) {
                throw new Malformed(INVALID_REQUEST, "a message without \"method\" must be a response: an \"id\" and "
                        + "exactly one of \"result\" and \"error\"", id);
            }
            return new Call("", Optional.empty(), id, message);
        }
        if (!methodNode.isTextual() || methodNode.textValue().isEmpty()) {
            throw new Malformed(INVALID_REQUEST, "\"method\" must be a non-empty string", id);
        }
        String method = methodNode.textValue();
        JsonNode params = message.get("params");
        if (params != null && !params.isObject()) {
            throw new Malformed(INVALID_PARAMS, "\"params\" must be an object", id);
        }
        Optional<String> target = Optional.empty();
        String targetField = switch (method) {
            case TOOLS_CALL, PROMPTS_GET -> "name";
            case RESOURCES_READ -> "uri";
            default -> null;
        };
        if (targetField != null) {
            JsonNode name = params == null ? null : params.get(targetField);
            if (name == null || !name.isTextual()) {
                throw new Malformed(INVALID_PARAMS, method + " needs \"params." + targetField + "\", a string", id);
            }
            JsonNode arguments = params.get("arguments");
            if (arguments != null && !arguments.isObject() && !arguments.isNull()) {
                throw new Malformed(INVALID_PARAMS, "\"params.arguments\" must be an object", id);
            }
            target = Optional.of(name.textValue());
        }
        return new Call(method, target, id, message);
    }

    /** An id worth echoing in an error: only one that is itself valid. */
    private static JsonNode safeId(JsonNode id) {
        return id != null && (id.isTextual() || id.isIntegralNumber() && id.canConvertToLong()) ? id : null;
    }
}

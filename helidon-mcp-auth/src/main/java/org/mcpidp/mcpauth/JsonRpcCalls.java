package org.mcpidp.mcpauth;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
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
     * Strict: a duplicate key is an error (parsers disagree on which one wins), a second value after the first is an
     * error, numbers and strings are bounded (Jackson's defaults, with nesting at {@link #MAX_NESTING}), and decimals
     * keep their exact text (BigDecimal), so the re-serialization loses nothing.
     */
    private static final ObjectMapper STRICT = JsonMapper.builder(JsonFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build())
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    /**
     * Reads {@code body} completely.
     *
     * @throws Malformed when the body is not a complete, unambiguous JSON-RPC message or batch
     */
    static JsonRpcCalls parse(byte[] body) throws Malformed {
        JsonNode root = tree(body);
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
                return STRICT.writeValueAsBytes(calls.getFirst().message());
            }
            List<ObjectNode> messages = new ArrayList<>(calls.size());
            calls.forEach(call -> messages.add(call.message()));
            return STRICT.writeValueAsBytes(messages);
        } catch (JsonProcessingException e) {
            // cannot happen for a tree this mapper built from valid UTF-8 (lone surrogates are refused by tree())
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

    private static JsonNode tree(byte[] body) throws Malformed {
        String text;
        try {
            // RFC 8259: JSON between systems is UTF-8. Decoded strictly here (overlong forms, surrogates encoded as
            // UTF-8, truncated sequences are errors), so no parser guesses an encoding or replaces a byte. Most
            // bodies are ASCII, which is valid UTF-8 byte for byte: read as such without a decoder and its buffer.
            text = ascii(body) ? new String(body, StandardCharsets.ISO_8859_1) : StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw new Malformed(PARSE_ERROR, "the body is not valid UTF-8", null);
        }
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            throw new Malformed(PARSE_ERROR, "the body starts with a byte order mark", null);
        }
        JsonNode root;
        try {
            root = STRICT.readTree(text);
        } catch (StreamConstraintsException e) {
            throw new Malformed(PARSE_ERROR, "the body exceeds a JSON limit (nesting deeper than " + MAX_NESTING
                    + " levels, or a number or string too long)", null);
        } catch (JsonProcessingException e) {
            throw new Malformed(PARSE_ERROR, parseError(e), null);
        }
        if (root == null || root.isMissingNode()) {
            throw new Malformed(PARSE_ERROR, "the body holds no JSON value", null);
        }
        if (mayEscapeASurrogate(text) && hasLoneSurrogate(root)) {
            // "\ud800" is valid JSON syntax but no Unicode text: parsers differ on what they make of it
            throw new Malformed(PARSE_ERROR, "the body holds an unpaired UTF-16 surrogate escape", null);
        }
        return root;
    }

    private static boolean ascii(byte[] body) {
        for (byte b : body) {
            if (b < 0) {
                return false;
            }
        }
        return true;
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

    /**
     * Where the body stops being valid JSON; for a duplicate key, which key (parsers disagree on which of two wins, so
     * an ambiguous message is refused). Never an echo of the input beyond a key, made printable.
     */
    private static String parseError(JsonProcessingException e) {
        String location = e.getLocation() == null ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        String message = e.getOriginalMessage();
        if (message != null && message.startsWith(DUPLICATE)) {
            int end = message.indexOf('\'', DUPLICATE.length());
            return "duplicate key \"" + printable(end < 0 ? "?" : message.substring(DUPLICATE.length(), end))
                    + "\" in the JSON-RPC message" + location;
        }
        return "the body is not valid JSON" + location;
    }

    private static final String DUPLICATE = "Duplicate field '";

    private static String printable(String key) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < key.length() && out.length() < 64; i++) {
            char c = key.charAt(i);
            out.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '?');
        }
        return out.toString();
    }

    /** Cheap pre-check on the raw text: a surrogate can only come from an escape {@code \\uD800}-{@code \\uDFFF}. */
    private static boolean mayEscapeASurrogate(String text) {
        for (int i = text.indexOf("\\u"); i >= 0 && i + 2 < text.length(); i = text.indexOf("\\u", i + 2)) {
            char c = text.charAt(i + 2);
            if (c == 'd' || c == 'D') {
                return true;
            }
        }
        return false;
    }

    /** Whether any key or string of the tree holds a surrogate that is not half of a pair. */
    private static boolean hasLoneSurrogate(JsonNode node) {
        if (node.isTextual()) {
            return hasLoneSurrogate(node.textValue());
        }
        if (node.isObject()) {
            for (var field : node.properties()) {
                if (hasLoneSurrogate(field.getKey()) || hasLoneSurrogate(field.getValue())) {
                    return true;
                }
            }
            return false;
        }
        if (node.isArray()) {
            for (JsonNode element : node) {
                if (hasLoneSurrogate(element)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean hasLoneSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }
}

package org.mcpidp.mcpserver.auth;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The JSON-RPC messages of one POST to the MCP endpoint, as far as authorization cares: each message's method and,
 * for {@code tools/call}, the tool name. A body that is not JSON gives no calls (the MCP handler answers it with a
 * parse error); a batch (JSON array, protocol 2025-03-26) gives one entry per message. A key that occurs twice in one
 * object, at any depth, is refused ({@link DuplicateKeyException}): Jackson and the MCP extension's parser would each
 * take the last one today, but which value a parser keeps is not something authorization may depend on.
 */
record JsonRpcCalls(List<Call> calls) {

    static final String TOOLS_CALL = "tools/call";
    static final String TOOLS_LIST = "tools/list";
    static final String INITIALIZE = "initialize";

    /** One JSON-RPC message: its method (empty for responses) and {@code params.name} when it is a string. */
    record Call(String method, Optional<String> toolName, JsonNode id) {
    }

    /** Strict about duplicates; the nesting depth is bounded before this parser runs ({@link #nestsDeeperThan}). */
    private static final ObjectMapper STRICT = new ObjectMapper(JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build());

    /** A JSON object in the body names the same key twice. */
    static final class DuplicateKeyException extends Exception {
        private final String key;

        DuplicateKeyException(String key) {
            super("duplicate key " + key, null, false, false);
            this.key = key;
        }

        /** The key, made safe to echo (printable ASCII, at most 64 characters). */
        String key() {
            return key;
        }
    }

    /**
     * One streaming pass over the body, no tree: the routing fields are picked up on the way, everything else is
     * skipped, but still read to its end, so a duplicate key anywhere is found. Only the first JSON value counts, as
     * with {@code readTree}; any syntax error gives no calls.
     */
    static JsonRpcCalls parse(byte[] body) throws DuplicateKeyException {
        List<Call> calls = new ArrayList<>(1);
        try (JsonParser parser = STRICT.createParser(body)) {
            JsonToken root = parser.nextToken();
            if (root == JsonToken.START_OBJECT) {
                calls.add(message(parser));
            } else if (root == JsonToken.START_ARRAY) {
                for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
                    if (token == null) {
                        return new JsonRpcCalls(List.of()); // unterminated batch
                    }
                    if (token == JsonToken.START_OBJECT) {
                        calls.add(message(parser));
                    } else {
                        parser.skipChildren(); // not a message
                    }
                }
            }
        } catch (StreamReadException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("Duplicate field '")) {
                String message = e.getMessage();
                int end = message.indexOf('\'', "Duplicate field '".length());
                String key = end < 0 ? "?" : message.substring("Duplicate field '".length(), end);
                throw new DuplicateKeyException(printable(key));
            }
            return new JsonRpcCalls(List.of());
        } catch (IOException e) {
            return new JsonRpcCalls(List.of());
        }
        return new JsonRpcCalls(List.copyOf(calls));
    }

    /** One message, the parser on its START_OBJECT; returns with the parser on its END_OBJECT. */
    private static Call message(JsonParser parser) throws IOException {
        String method = "";
        Optional<String> toolName = Optional.empty();
        JsonNode id = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "method" -> method = value == JsonToken.VALUE_STRING ? parser.getText() : skip(parser, "");
                case "id" -> id = idNode(parser, value); // echoed in the 409 answer
                case "params" -> toolName = value == JsonToken.START_OBJECT ? name(parser) : skip(parser, toolName);
                default -> parser.skipChildren();
            }
        }
        return new Call(method, toolName, id);
    }

    /**
     * The id as the node {@code readTree} would give (the audit matches it against one): built directly for the
     * scalars ids are in practice, as building through the mapper was ~1% of a request's CPU.
     */
    private static JsonNode idNode(JsonParser parser, JsonToken value) throws IOException {
        return switch (value) {
            case VALUE_STRING -> TextNode.valueOf(parser.getText());
            case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                case INT -> IntNode.valueOf(parser.getIntValue());
                case LONG -> LongNode.valueOf(parser.getLongValue());
                default -> STRICT.readTree(parser);
            };
            default -> STRICT.readTree(parser);
        };
    }

    /** {@code params.name} when it is a string; returns with the parser on the END_OBJECT of {@code params}. */
    private static Optional<String> name(JsonParser parser) throws IOException {
        Optional<String> name = Optional.empty();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            boolean isName = "name".equals(parser.currentName());
            JsonToken value = parser.nextToken();
            if (isName && value == JsonToken.VALUE_STRING) {
                name = Optional.of(parser.getText());
            } else {
                parser.skipChildren();
            }
        }
        return name;
    }

    private static <T> T skip(JsonParser parser, T result) throws IOException {
        parser.skipChildren();
        return result;
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

    private static String printable(String key) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < key.length() && out.length() < 64; i++) {
            char c = key.charAt(i);
            out.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '?');
        }
        return out.toString();
    }

    boolean has(String method) {
        for (Call call : calls) {
            if (call.method().equals(method)) {
                return true;
            }
        }
        return false;
    }
}

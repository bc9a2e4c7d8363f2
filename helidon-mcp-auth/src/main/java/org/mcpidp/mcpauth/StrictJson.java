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
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The JSON layer under {@link JsonRpcCalls}: a body read as exactly one JSON value with nothing two parsers could
 * read differently (strict UTF-8, no byte order mark, no duplicate key, no unpaired surrogate escape, bounded nesting
 * and sizes), and that tree written out again. What makes the tree a JSON-RPC message is {@link JsonRpcCalls}'s job.
 */
final class StrictJson {

    private StrictJson() {
    }

    /**
     * Strict: a duplicate key is an error (parsers disagree on which one wins), a second value after the first is an
     * error, numbers and strings are bounded (Jackson's defaults, with nesting at {@link JsonRpcCalls#MAX_NESTING}), and decimals
     * keep their exact text (BigDecimal), so the re-serialization loses nothing.
     */
    private static final ObjectMapper STRICT = JsonMapper.builder(JsonFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(JsonRpcCalls.MAX_NESTING).build())
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    /** The tree written out again, as UTF-8 JSON, by the mapper that read it (decimals keep their exact text). */
    static byte[] write(Object tree) throws JsonProcessingException {
        return STRICT.writeValueAsBytes(tree);
    }

    /**
     * Reads {@code body} as exactly one JSON value, strictly.
     *
     * @throws JsonRpcCalls.Malformed (a parse error) when it is not UTF-8, not one complete JSON value, ambiguous
     *                                (a duplicate key, a lone surrogate) or beyond a limit
     */
    static JsonNode read(byte[] body) throws JsonRpcCalls.Malformed {
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
            throw unreadable("the body is not valid UTF-8");
        }
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            throw unreadable("the body starts with a byte order mark");
        }
        JsonNode root;
        try {
            root = STRICT.readTree(text);
        } catch (StreamConstraintsException e) {
            throw unreadable("the body exceeds a JSON limit (nesting deeper than " + JsonRpcCalls.MAX_NESTING
                    + " levels, or a number or string too long)");
        } catch (JsonProcessingException e) {
            throw unreadable(parseError(e));
        }
        if (root == null || root.isMissingNode()) {
            throw unreadable("the body holds no JSON value");
        }
        if (mayEscapeASurrogate(text) && hasLoneSurrogate(root)) {
            // "\ud800" is valid JSON syntax but no Unicode text: parsers differ on what they make of it
            throw unreadable("the body holds an unpaired UTF-16 surrogate escape");
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

    /** A body that is not one unambiguous JSON value: a parse error, with no id (none could be read). */
    private static JsonRpcCalls.Malformed unreadable(String description) {
        return new JsonRpcCalls.Malformed(JsonRpcCalls.PARSE_ERROR, description, null);
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

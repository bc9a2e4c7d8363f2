package org.mcpidp.mcpauth;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * One seeded mutation of a forbidden {@code tools/call} ({@code erase} of an item, which needs {@code mcp:admin}) for
 * the authorization fuzz: the parser-differential triggers of the security review inserted anywhere, random byte
 * edits, batches that put an allowed call ({@code echo}) first, and Content-Type headers that disagree with the body.
 * Used by the gate's own differential test ({@link ParserDifferentialFuzzTest}) and by the fuzz run against a server
 * ({@link MalformedInputFuzzTest}).
 *
 * @param kind              what was done, for the summary table
 * @param body              the bytes to send
 * @param contentType       the Content-Type header to send
 * @param extraContentType  a second Content-Type header, when the mutation sends two
 */
record ForbiddenCallMutation(String kind, byte[] body, String contentType, Optional<String> extraContentType) {

    /** Fragments one JSON parser rejects and another skips (the review's list), and duplicate-key tricks. */
    private static final List<byte[]> TRIGGERS = List.of(
            bytes(",\"x\":01"), bytes(",\"x\":1.2.3"), bytes(",\"x\":\"\\q\""), bytes(",\"x\":\"a\u0001b\""),
            bytes(",\"x\":" + "9".repeat(1200)), bytes(",\"x\":\"\\ud800\""), bytes(",\"x\":-"), bytes(",\"x\":1e"),
            new byte[] {',', '"', 'x', '"', ':', '"', (byte) 0xC3, '"'}, new byte[] {',', '"', 'x', '"', ':', '"',
                    (byte) 0xFF, '"'}, new byte[] {',', '"', 'x', '"', ':', '"', (byte) 0xC0, (byte) 0x80, '"'},
            bytes(",\"method\":\"ping\""), bytes(",\"params\":{\"name\":\"echo\"}"), bytes(",\"name\":\"echo\""),
            bytes(",\"x\":NaN"), bytes(",\"x\":'a'"), bytes(","), bytes("}"), bytes("{"), bytes("]"), bytes("\u0000"));

    private static final List<String> CONTENT_TYPES = List.of("application/json",
            "application/json; charset=utf-8", "application/json; charset=ISO-8859-1", "application/json; charset=\"UTF-8\"",
            "application/json;charset=utf-16", "application/json; charset=us-ascii");

    /** The forbidden call, well-formed. */
    static String eraseCall(int id, String item) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":"
                + "\"erase\",\"arguments\":{\"item\":\"" + item + "\"}}}";
    }

    /** The {@code i}-th mutation of a seeded run. */
    static ForbiddenCallMutation next(Random random, int i) {
        String item = "item-" + (1 + random.nextInt(3));
        byte[] call = bytes(eraseCall(1000 + i, item));
        String contentType = "application/json";
        return switch (random.nextInt(6)) {
            case 0, 1 -> {
                byte[] trigger = TRIGGERS.get(random.nextInt(TRIGGERS.size()));
                yield new ForbiddenCallMutation("trigger inserted", insert(call, random.nextInt(call.length + 1),
                        trigger), contentType, Optional.empty());
            }
            case 2 -> new ForbiddenCallMutation("bytes edited", edit(random, call), contentType, Optional.empty());
            case 3 -> {
                byte[] allowedFirst = bytes("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":"
                        + "{\"name\":\"echo\",\"arguments\":{}}},");
                byte[] inner = random.nextBoolean() ? call : insert(call, call.length - 1,
                        TRIGGERS.get(random.nextInt(TRIGGERS.size())));
                yield new ForbiddenCallMutation("batch, allowed call first", concat(concat(allowedFirst, inner),
                        bytes("]")), contentType, Optional.empty());
            }
            case 4 -> {
                String type = CONTENT_TYPES.get(random.nextInt(CONTENT_TYPES.size()));
                byte[] body = random.nextBoolean() ? call
                        : new String(insert(call, call.length - 3, bytes(",\"x\":\"caf\u00e9\"")),
                        StandardCharsets.UTF_8).getBytes(StandardCharsets.ISO_8859_1);
                yield new ForbiddenCallMutation("content type " + type, body, type, Optional.empty());
            }
            default -> new ForbiddenCallMutation("two content types", call, contentType,
                    Optional.of(CONTENT_TYPES.get(random.nextInt(CONTENT_TYPES.size()))));
        };
    }

    /**
     * True when {@code body} is strictly well-formed JSON-RPC (a message or batch; no duplicate keys) whose every
     * {@code tools/call} names one of {@code allowed}: the only bodies that may be answered with a result.
     */
    static boolean callsOnly(byte[] body, Set<String> allowed) {
        try {
            JsonNode root = STRICT.readTree(body);
            for (JsonNode message : root.isArray() ? root : List.of(root)) {
                if ("tools/call".equals(message.path("method").asText())
                        && !allowed.contains(message.path("params").path("name").asText())) {
                    return false;
                }
            }
            return root.isObject() || root.isArray();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static final ObjectMapper STRICT = JsonMapper.builder(JsonFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    private static byte[] edit(Random random, byte[] call) {
        byte[] body = call;
        for (int edits = 1 + random.nextInt(3); edits > 0; edits--) {
            int at = random.nextInt(body.length);
            body = switch (random.nextInt(4)) {
                case 0 -> insert(body, at, new byte[] {(byte) random.nextInt(256)});
                case 1 -> remove(body, at);
                case 2 -> insert(body, at, new byte[] {body[at]});
                default -> {
                    byte[] copy = body.clone();
                    copy[at] = (byte) (copy[at] ^ (1 << random.nextInt(8)));
                    yield copy;
                }
            };
        }
        return body;
    }

    private static byte[] insert(byte[] body, int at, byte[] fragment) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + fragment.length);
        out.write(body, 0, at);
        out.write(fragment, 0, fragment.length);
        out.write(body, at, body.length - at);
        return out.toByteArray();
    }

    private static byte[] remove(byte[] body, int at) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length);
        out.write(body, 0, at);
        out.write(body, at + 1, body.length - at - 1);
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        return insert(a, a.length, b);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

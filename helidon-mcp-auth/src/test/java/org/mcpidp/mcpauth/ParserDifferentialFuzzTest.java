package org.mcpidp.mcpauth;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.json.JsonArray;
import io.helidon.json.JsonObject;
import io.helidon.json.JsonParser;
import io.helidon.json.JsonValue;
import io.helidon.json.JsonValueType;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The differential check of the two parsers on one request: the gate's ({@link JsonRpcCalls}, Jackson) and the MCP
 * extension's (helidon-json, read the way Helidon's JSON media reader does, honouring the Content-Type charset).
 * For seeded mutations of a forbidden {@code tools/call}, whenever the gate accepts a body, the extension's parser must
 * read the bytes the extension is handed ({@link JsonRpcCalls#canonical}) as the same messages: the same methods,
 * tool names and ids. Bodies the extension would have read but the gate refuses are counted: they are the
 * differential that used to let a forbidden call through, now closed (refused before the extension).
 */
class ParserDifferentialFuzzTest {

    private static final long SEED = 20261207L;
    private static final int BODIES = Integer.getInteger("security.fuzz.differential", 20_000);

    /** One message as a parser sees the fields authorization depends on. */
    private record Routing(String method, String name, String id) {
    }

    @Test
    void whenTheGateAcceptsABodyThenTheExtensionsParserReadsWhatWillExecuteAsTheSameMessages() {
        Random random = new Random(SEED);
        Map<String, AtomicLong> table = new TreeMap<>();
        List<String> disagreements = new ArrayList<>();
        for (int i = 0; i < BODIES; i++) {
            ForbiddenCallMutation mutation = ForbiddenCallMutation.next(random, i);
            List<Routing> extensionRaw = extensionReads(mutation.body(), mutation.contentType());
            List<Routing> gate = gateReads(mutation);
            String row = (gate == null ? "gate refuses" : "gate accepts") + ", extension "
                    + (extensionRaw == null ? "refuses" : "accepts") + " the bytes that arrived";
            table.computeIfAbsent(row, k -> new AtomicLong()).incrementAndGet();
            if (gate == null) {
                continue;
            }
            byte[] executed;
            try {
                executed = JsonRpcCalls.parse(mutation.body()).canonical();
            } catch (JsonRpcCalls.Malformed e) {
                throw new AssertionError(e);
            }
            List<Routing> extension = extensionReads(executed, "application/json");
            if (!gate.equals(extension)) {
                disagreements.add(mutation.kind() + ": gate " + gate + ", extension " + extension + " for "
                        + new String(mutation.body(), StandardCharsets.ISO_8859_1));
            }
        }
        System.out.println("parser differential: " + BODIES + " mutated forbidden erase bodies, seed " + SEED);
        table.forEach((row, count) -> System.out.printf("  %-70s %6d%n", row, count.get()));

        assertThat(disagreements).isEmpty();
        assertThat(table).as("the mutations reach both verdicts of both parsers")
                .containsKeys("gate accepts, extension accepts the bytes that arrived",
                        "gate refuses, extension accepts the bytes that arrived",
                        "gate refuses, extension refuses the bytes that arrived");
    }

    /** What the gate authorizes on: null when it refuses the request (its Content-Type or its body). */
    private static List<Routing> gateReads(ForbiddenCallMutation mutation) {
        if (!PostMediaTypes.charsetIsUtf8(mutation.contentType()) || mutation.extraContentType().isPresent()) {
            return null;
        }
        try {
            List<Routing> messages = new ArrayList<>();
            for (JsonRpcCalls.Call call : JsonRpcCalls.parse(mutation.body()).calls()) {
                messages.add(new Routing(call.method().isEmpty() ? null : call.method(),
                        call.toolName().orElse(null), call.id() == null ? null : call.id().asText()));
            }
            return messages;
        } catch (JsonRpcCalls.Malformed e) {
            return null;
        }
    }

    /**
     * What helidon-json makes of {@code body} under {@code contentType}: null when it cannot parse it, or fails reading
     * the routing fields (it decodes strings lazily, so a bad string can surface only then).
     */
    private static List<Routing> extensionReads(byte[] body, String contentType) {
        try {
            return routing(body, contentType);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static List<Routing> routing(byte[] body, String contentType) {
        JsonValue root;
        try {
            Charset charset = charset(contentType);
            root = charset.equals(StandardCharsets.UTF_8)
                    ? JsonParser.create(new ByteArrayInputStream(body)).readJsonValue()
                    : JsonParser.create(new InputStreamReader(new ByteArrayInputStream(body), charset)).readJsonValue();
        } catch (RuntimeException e) {
            return null;
        }
        List<Routing> messages = new ArrayList<>();
        List<JsonValue> elements = new ArrayList<>();
        if (root.type() == JsonValueType.ARRAY) {
            JsonArray array = root.asArray();
            for (int i = 0; i < array.size(); i++) {
                elements.add(array.get(i).orElseThrow());
            }
        } else {
            elements.add(root);
        }
        for (JsonValue element : elements) {
            if (element.type() != JsonValueType.OBJECT) {
                messages.add(new Routing(null, null, null));
                continue;
            }
            JsonObject message = element.asObject();
            String name = message.value("params").filter(params -> params.type() == JsonValueType.OBJECT)
                    .flatMap(params -> text(params.asObject(), "name")).orElse(null);
            String method = text(message, "method").orElse(null);
            String id = message.value("id").map(ParserDifferentialFuzzTest::idText).orElse(null);
            messages.add(new Routing(method, "tools/call".equals(method) ? name : null, id));
        }
        return messages;
    }

    private static java.util.Optional<String> text(JsonObject object, String key) {
        return object.value(key).filter(value -> value.type() == JsonValueType.STRING)
                .map(value -> value.asString().value());
    }

    private static String idText(JsonValue id) {
        return switch (id.type()) {
            case STRING -> id.asString().value();
            case NUMBER -> id.asNumber().bigDecimalValue().toPlainString();
            default -> id.toString();
        };
    }

    private static Charset charset(String contentType) {
        for (String parameter : contentType.split(";")) {
            String[] pair = parameter.strip().split("=", 2);
            if (pair.length == 2 && pair[0].strip().equalsIgnoreCase("charset")) {
                return Charset.forName(pair[1].strip().replace("\"", ""));
            }
        }
        return StandardCharsets.UTF_8;
    }
}

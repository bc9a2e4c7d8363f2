package org.mcpidp.mcpauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The params the engine is handed are what the SDK's own conversion makes of the gate's parse: equal maps, lists and
 * scalars, of the same classes (a tool that reads an argument as an Integer or a BigDecimal must get one), in the
 * same order.
 */
class JsonValuesTest {

    private static final McpJsonMapper MAPPER = McpJsonDefaults.getMapper();
    private static final TypeRef<Map<String, Object>> MAP = new TypeRef<>() {
    };

    @ParameterizedTest
    @ValueSource(strings = {
        "{}",
        "{\"name\":\"whoami\",\"arguments\":{}}",
        "{\"i\":1,\"neg\":-7,\"l\":12345678901,\"big\":123456789012345678901234567890,\"min\":-9223372036854775809}",
        "{\"d\":1.5,\"e\":1e400,\"z\":-0.0,\"tiny\":4.9e-324,\"trailing\":2.50,\"exp\":1E+2}",
        "{\"s\":\"x\",\"u\":\"\\u00e9\\ud83d\\ude00\",\"t\":true,\"f\":false,\"n\":null,\"empty\":\"\"}",
        "{\"a\":[1,{\"x\":2.25},[[]],null,\"s\",true],\"o\":{\"deep\":{\"deeper\":{\"k\":[{}]}}}}",
        "{\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
                + "\"io.modelcontextprotocol/clientCapabilities\":{\"elicitation\":{}}},\"b\":\"z\",\"a\":\"y\"}"
    })
    void whenTheGateParsedParamsThenTheEngineGetsWhatConvertValueWouldMake(String json) throws Exception {
        assertSameAsConvertValue(json);
    }

    @Test
    void whenParamsAreRandomThenTheEngineGetsWhatConvertValueWouldMake() throws Exception {
        Random random = new Random(20261207L);
        for (int i = 0; i < 500; i++) {
            StringBuilder json = new StringBuilder();
            object(random, json, 0);
            assertSameAsConvertValue(json.toString());
        }
    }

    private static void assertSameAsConvertValue(String params) throws JsonRpcCalls.Malformed {
        ObjectNode tree = (ObjectNode) JsonRpcCalls.parse(("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\",\"params\":"
                + params + "}").getBytes(StandardCharsets.UTF_8)).calls().getFirst().message().get("params");

        Map<String, Object> walked = JsonValues.map(tree, MAPPER);

        Map<String, Object> converted = MAPPER.convertValue(tree, MAP);
        assertThat(walked).isEqualTo(converted);
        assertSameShape(walked, converted, params);
    }

    /** Equal is not enough: Integer 1 and Long 1 differ for a tool, so every value's class must match too. */
    private static void assertSameShape(Object walked, Object converted, String where) {
        assertThat(walked == null ? null : walked.getClass()).as(where)
                .isEqualTo(converted == null ? null : converted.getClass());
        if (walked instanceof Map<?, ?> map) {
            assertThat(List.copyOf(map.keySet())).as(where).isEqualTo(List.copyOf(((Map<?, ?>) converted).keySet()));
            map.forEach((key, value) -> assertSameShape(value, ((Map<?, ?>) converted).get(key), where));
        } else if (walked instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                assertSameShape(list.get(i), ((List<?>) converted).get(i), where);
            }
        }
    }

    private static final String[] SCALARS = {"0", "-1", "2147483647", "2147483648", "-2147483649",
        "9223372036854775807", "9223372036854775808", "1.0", "0.1", "-3.25e-5", "6.02E23", "1e-400", "true", "false",
        "null", "\"\"", "\"text\"", "\"\\u0000\\n\\\"\""};

    private static void value(Random random, StringBuilder json, int depth) {
        int kind = depth > 4 ? 2 : random.nextInt(4);
        if (kind == 0) {
            object(random, json, depth + 1);
        } else if (kind == 1) {
            json.append('[');
            int size = random.nextInt(4);
            for (int i = 0; i < size; i++) {
                json.append(i > 0 ? "," : "");
                value(random, json, depth + 1);
            }
            json.append(']');
        } else {
            json.append(SCALARS[random.nextInt(SCALARS.length)]);
        }
    }

    private static void object(Random random, StringBuilder json, int depth) {
        json.append('{');
        int size = random.nextInt(5);
        for (int i = 0; i < size; i++) {
            json.append(i > 0 ? "," : "").append("\"k").append(i).append(random.nextInt(100)).append("\":");
            value(random, json, depth);
        }
        json.append('}');
    }
}

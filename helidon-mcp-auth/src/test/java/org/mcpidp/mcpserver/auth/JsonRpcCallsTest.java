package org.mcpidp.mcpserver.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The streaming read of a POST body finds the routing fields and refuses ambiguous messages, without a tree. */
class JsonRpcCallsTest {

    private static JsonRpcCalls parse(String body) throws JsonRpcCalls.DuplicateKeyException {
        return JsonRpcCalls.parse(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void whenAToolCallHasItsFieldsInAnyOrderThenMethodNameAndIdAreRead() throws Exception {
        JsonRpcCalls calls = parse("""
                {"params":{"arguments":{"name":"not this","deep":[{"name":1}]},"name":"whoami"},
                 "id":"abc","jsonrpc":"2.0","method":"tools/call"}""");

        assertThat(calls.calls()).hasSize(1);
        JsonRpcCalls.Call call = calls.calls().getFirst();
        assertThat(call.method()).isEqualTo("tools/call");
        assertThat(call.toolName()).contains("whoami");
        assertThat(call.id().asText()).isEqualTo("abc");
    }

    @Test
    void whenABatchMixesMessagesAndOtherValuesThenOnlyTheMessagesCount() throws Exception {
        JsonRpcCalls calls = parse("""
                [{"jsonrpc":"2.0","id":1,"method":"tools/list"}, 7, [{"method":"tools/call"}],
                 {"jsonrpc":"2.0","method":"notifications/initialized"}, {"id":2,"result":{}}]""");

        assertThat(calls.calls()).extracting(JsonRpcCalls.Call::method)
                .containsExactly("tools/list", "notifications/initialized", "");
        assertThat(calls.calls().get(1).id()).isNull();
        assertThat(calls.calls().get(2).id().asInt()).isEqualTo(2);
    }

    @Test
    void whenFieldsHaveTheWrongTypeThenTheyAreNotRoutingFields() throws Exception {
        JsonRpcCalls.Call call = parse("""
                {"method":["tools/call"],"params":["whoami"],"id":null}""").calls().getFirst();

        assertThat(call.method()).isEmpty();
        assertThat(call.toolName()).isEqualTo(Optional.empty());
        assertThat(call.id().isNull()).isTrue();
        assertThat(parse("{\"method\":\"tools/call\",\"params\":{\"name\":{\"x\":1}}}").calls().getFirst().toolName())
                .isEmpty();
    }

    @Test
    void whenAKeyIsDuplicatedAtAnyDepthThenTheMessageIsRefused() {
        assertThatThrownBy(() -> parse("{\"method\":\"ping\",\"method\":\"tools/call\"}"))
                .isInstanceOf(JsonRpcCalls.DuplicateKeyException.class)
                .extracting(e -> ((JsonRpcCalls.DuplicateKeyException) e).key()).isEqualTo("method");
        assertThatThrownBy(() -> parse("{\"params\":{\"name\":\"a\",\"name\":\"b\"}}"))
                .isInstanceOf(JsonRpcCalls.DuplicateKeyException.class);
        // inside a part the gate skips: still read, still refused
        assertThatThrownBy(() -> parse("[{\"params\":{\"arguments\":{\"x\":[{\"k\":1,\"k\":2}]}}}]"))
                .isInstanceOf(JsonRpcCalls.DuplicateKeyException.class);
        assertThatThrownBy(() -> parse("{\"id\":{\"a\":1,\"a\":2}}"))
                .isInstanceOf(JsonRpcCalls.DuplicateKeyException.class);
    }

    @Test
    void whenTheBodyIsNotJsonOrIsCutOffThenThereAreNoCalls() throws Exception {
        assertThat(parse("not json").calls()).isEmpty();
        assertThat(parse("{\"method\":\"tools/call\",\"params\":{\"name\":\"x\"").calls()).isEmpty();
        assertThat(parse("[{\"method\":\"tools/call\"}").calls()).isEmpty();
        assertThat(parse("").calls()).isEmpty();
        assertThat(parse("\"tools/call\"").calls()).isEmpty();
    }

    @Test
    void whenIdsOfEveryJsonTypeAreReadThenEachEqualsWhatATreeParserGives() throws Exception {
        // the audit matches a call's id against a tree of the same body, and the 409 answer echoes it
        ObjectMapper tree = new ObjectMapper();
        for (String id : List.of("\"7\"", "7", "-3", "1099511627776", "123456789012345678901234567890", "1.5",
                "null", "true", "{\"a\":[1]}", "[1,\"x\"]")) {
            String body = "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/list\"}";

            assertThat(parse(body).calls().getFirst().id()).as(id).isEqualTo(tree.readTree(body).get("id"));
        }
    }

    @Test
    void whenTwoIdsDifferOnlyInTypeThenTheirInFlightKeysDiffer() throws Exception {
        JsonRpcCalls calls = parse("""
                [{"id":"1","method":"tools/list"},{"id":1,"method":"tools/list"},{"id":1.0,"method":"tools/list"},
                 {"id":1,"method":"ping"}]""");

        List<String> keys = calls.calls().stream().map(call -> SessionGuard.inFlightKey(call.id())).toList();
        assertThat(keys.subList(0, 3)).doesNotHaveDuplicates();
        assertThat(keys.get(3)).isEqualTo(keys.get(1));
    }
}

package org.mcpidp.mcpserver.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
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
}

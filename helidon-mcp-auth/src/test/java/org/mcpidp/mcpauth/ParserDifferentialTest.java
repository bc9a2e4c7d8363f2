package org.mcpidp.mcpauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mcpidp.testkit.McpHttp;
import org.mcpidp.testkit.SecretValues;

/**
 * The review's finding, attacked over HTTP: the gate and the MCP engine used to parse the body with two JSON parsers,
 * and a body the gate could not read (but the engine could) was waved through, so a reader's token deleted products.
 * Every trigger the review listed, on {@code tools/call}, {@code tools/list}, {@code initialize} and inside a batch,
 * must now be answered 400 with a JSON-RPC error, and the forbidden tool ({@code erase}, mcp:admin) must never have
 * been entered. The tokens are JWTs of a local issuer (nothing here needs Keycloak: the gate's answers come before any
 * tool runs). {@link ParserDifferentialFuzzTest} compares the two parsers themselves.
 */
class ParserDifferentialTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Needs mcp:admin, or the role admin (which counts for an app-only token, never for a person's). */
    private static final String PURGE = "purge";

    private static SdkTestServer server;
    private static McpHttp mcp;
    /** mcp:read only. */
    private static String reader;
    /** A person with the admin role who consented to mcp:read only. */
    private static String consentedReader;
    private static String session;

    @BeforeAll
    static void start() {
        server = SdkTestServer.builder().tool(PURGE, ToolRequirement.scopes("mcp:admin").orAnyRole("admin")).start();
        mcp = server.mcp;
        reader = server.token("alice", "mcp:read", java.time.Duration.ofHours(1));
        Map<String, Object> person = server.claims("bob", "mcp:read");
        person.put("exp", java.time.Instant.now().plusSeconds(3600).getEpochSecond());
        person.put("azp", "self-registered-client");
        person.put("realm_access", Map.of("roles", List.of("admin")));
        consentedReader = server.issuer.sign(person);
        SecretValues.record(reader);
        SecretValues.record(consentedReader);
        session = mcp.openSession(reader);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static final String DELETE = """
            {"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"erase","arguments":{"item":"a"}}""";
    private static final String LIST = "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"tools/list\",\"params\":{}";
    private static final String INITIALIZE = """
            {"jsonrpc":"2.0","id":7,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},\
            "clientInfo":{"name":"t","version":"1"}}""";

    /** What the review listed: a field one JSON parser rejects and the other skips, ending the message. */
    private static List<byte[]> triggers() {
        List<byte[]> tails = new ArrayList<>();
        for (String tail : List.of(",\"x\":01}", ",\"x\":1.2.3}", ",\"x\":\"\\q\"}", ",\"x\":\"a\u0001b\"}",
                ",\"x\":" + "9".repeat(1200) + "}", ",\"x\":\"\\ud800\"}")) {
            tails.add(tail.getBytes(StandardCharsets.UTF_8));
        }
        tails.add(new byte[] {',', '"', 'x', '"', ':', '"', (byte) 0xC3, '"', '}'}); // invalid UTF-8: a cut sequence
        tails.add(new byte[] {',', '"', 'x', '"', ':', '"', (byte) 0xFF, '"', '}'}); // invalid UTF-8: never a byte
        return tails;
    }

    static Stream<Arguments> attacks() {
        List<Arguments> attacks = new ArrayList<>();
        for (byte[] trigger : triggers()) {
            String shown = new String(trigger, StandardCharsets.ISO_8859_1);
            shown = shown.length() > 24 ? shown.substring(0, 24) + "..." : shown;
            attacks.add(Arguments.of("tools/call" + shown, concat(DELETE, trigger, "")));
            attacks.add(Arguments.of("tools/list" + shown, concat(LIST, trigger, "")));
            attacks.add(Arguments.of("initialize" + shown, concat(INITIALIZE, trigger, "")));
            attacks.add(Arguments.of("batch" + shown, concat("[" + DELETE, trigger, "]")));
        }
        return attacks.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void whenTheBodyHoldsWhatOneParserRejectsAndAnotherSkipsThenItIs400AndNothingRuns(String what, byte[] body) {
        McpHttp.Reply reply = post(reader, Optional.of(session), body, "application/json");

        assertThat(reply.status()).as(what + ": " + reply.body()).isEqualTo(400);
        JsonNode error = json(reply.body()).path("error");
        assertThat(error.path("code").asInt()).as(reply.body()).isIn(-32700, -32600, -32602);
        assertThat(server.runs("erase")).as("erase entered after " + what).isZero();
    }

    @Test
    void whenTheCharsetIsNotUtf8ThenItIs400AndNothingRuns() {
        byte[] latin1 = (DELETE + ",\"x\":\"caf\u00e9\"}").getBytes(StandardCharsets.ISO_8859_1);

        McpHttp.Reply reply = post(reader, Optional.of(session), latin1, "application/json; charset=ISO-8859-1");
        McpHttp.Reply quoted = post(reader, Optional.of(session), (DELETE + "}").getBytes(StandardCharsets.UTF_8),
                "application/json; charset=\"utf-16\"");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(json(reply.body()).path("error").path("code").asInt()).isEqualTo(-32700);
        assertThat(quoted.status()).isEqualTo(400);
        assertThat(server.runs("erase")).isZero();
    }

    @Test
    void whenTheReproductionOfTheReviewIsSentThenTheAnswerIs400AndTheProductStays() {
        McpHttp.Reply reply = post(reader, Optional.of(session), (DELETE + ",\"x\":01}").getBytes(
                StandardCharsets.UTF_8), "application/json");
        McpHttp.Reply plain = post(reader, Optional.of(session), (DELETE + "}").getBytes(StandardCharsets.UTF_8),
                "application/json");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(plain.status()).as("the same call, well-formed").isEqualTo(403);
        assertThat(plain.header("WWW-Authenticate")).contains("insufficient_scope");
        assertThat(server.runs("erase")).isZero();
    }

    @Test
    void whenAToolCallNamesNoToolOrAnUnknownOneThenNothingRuns() {
        McpHttp.Reply noName = post(reader, Optional.of(session), """
                {"jsonrpc":"2.0","id":8,"method":"tools/call","params":{"arguments":{"id":"p-1"}}}"""
                .getBytes(StandardCharsets.UTF_8), "application/json");
        McpHttp.Reply unknown = mcp.callTool(reader, session, "erase_everything", "{}");

        assertThat(noName.status()).isEqualTo(400);
        assertThat(json(noName.body()).path("error").path("code").asInt()).isEqualTo(-32602);
        assertThat(unknown.status()).isEqualTo(200);
        assertThat(json(unknown.body()).path("error").path("message").asText()).contains("Unknown tool");
        assertThat(server.runs("erase")).isZero();
    }

    @Test
    void whenAPersonWithTheAdminRoleConsentedToReadingOnlyThenHerTokenCannotPurge() {
        String bobsSession = mcp.openSession(consentedReader);
        int purges = server.runs(PURGE);

        McpHttp.Reply purge = mcp.callTool(consentedReader, bobsSession, PURGE, "{}");
        List<String> tools = toolNames(consentedReader, bobsSession);

        assertThat(purge.status()).isEqualTo(403);
        assertThat(purge.header("WWW-Authenticate")).contains("insufficient_scope").contains("mcp:admin");
        assertThat(tools).doesNotContain(PURGE, "erase");
        assertThat(server.runs(PURGE)).as("purge entered").isEqualTo(purges);
    }

    @Test
    void whenAnApplicationHoldsTheAdminRoleThenItsTokenMayPurge() {
        // the control beside the case above: the same role, in an app-only token (RFC 9068: sub is the client id)
        Map<String, Object> app = server.claims("report-job", "mcp:read");
        app.remove("typ");
        app.put("azp", "report-job");
        app.put("realm_access", Map.of("roles", List.of("admin")));
        String token = server.issuer.sign(app);
        String appSession = mcp.openSession(token);

        assertThat(toolNames(token, appSession)).contains(PURGE).doesNotContain("erase");
        assertThat(mcp.callTool(token, appSession, PURGE, "{}").status()).isEqualTo(200);
    }

    @Test
    void whenTheLegacySseTransportIsAskedForThenItIsNotServed() throws IOException {
        int open = server.sessions().open();
        McpHttp.Reply stream = mcp.send(new Request.Builder().url(server.url + "?sessionId=" + session)
                .header("Accept", "text/event-stream").header("Authorization", "Bearer " + reader).get().build());
        McpHttp.Reply message = mcp.send(new Request.Builder().url(server.baseUrl + "/mcp/message?sessionId=" + session)
                .header("Authorization", "Bearer " + reader)
                .post(RequestBody.create(DELETE + "}", MediaType.get("application/json"))).build());

        assertThat(stream.status()).isEqualTo(405);
        assertThat(stream.header("Allow")).isEqualTo("POST, DELETE");
        assertThat(message.status()).isEqualTo(404);
        assertThat(server.sessions().open()).as("no session was opened by the GET").isEqualTo(open);
        assertThat(server.runs("erase")).isZero();
    }

    private static McpHttp.Reply post(String token, Optional<String> sessionId, byte[] body, String contentType) {
        Request.Builder request = mcp.post(token, sessionId, "{}")
                .post(RequestBody.create(body, MediaType.get(contentType)))
                .header("Content-Type", contentType);
        return mcp.send(request.build());
    }

    private static List<String> toolNames(String token, String sessionId) {
        McpHttp.Reply reply = mcp.rpc(token, Optional.of(sessionId), "tools/list", "{}");
        List<String> names = new ArrayList<>();
        json(reply.body()).path("result").path("tools").forEach(tool -> names.add(tool.path("name").asText()));
        return names;
    }

    private static JsonNode json(String body) {
        try {
            String text = body.startsWith("data:") || body.startsWith("event:") ? body.substring(body.indexOf('{'))
                    : body;
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    private static byte[] concat(String head, byte[] middle, String tail) {
        byte[] start = head.getBytes(StandardCharsets.UTF_8);
        byte[] end = tail.getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[start.length + middle.length + end.length];
        System.arraycopy(start, 0, all, 0, start.length);
        System.arraycopy(middle, 0, all, start.length, middle.length);
        System.arraycopy(end, 0, all, start.length + middle.length, end.length);
        return all;
    }
}

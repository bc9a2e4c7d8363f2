package org.mcpidp.mcpserver.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.logging.common.HelidonMdc;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mcpidp.testkit.McpHttp;
import org.mcpidp.mcpauth.audit.AuditFormatter;
import org.mcpidp.testkit.FreePort;
import org.mcpidp.testkit.KeycloakServer;
import org.mcpidp.testkit.LogHandlers;
import org.mcpidp.testkit.TestRealm;
import org.mcpidp.testkit.SecretValues;

/**
 * The audit trail of the demo server against the real Keycloak: a scripted session (initialize, an allowed call with
 * an allow-listed argument, a refused call, a bad token, the IdP down, DELETE) gives exactly the expected JSON lines
 * on the {@code mcp.audit} logger, in order, with the request ids the answers carried ({@code X-Request-Id}) and the
 * server log wrote (MDC {@code request_id}), and no token or secret; a blocked or throwing audit handler loses events
 * and counts them in {@code /observe/metrics}, while every request is answered as usual.
 */
class AuditTrailTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger AUDIT = Logger.getLogger("mcp.audit");
    private static final Logger SERVER_LOG = Logger.getLogger("org.mcpidp");
    private static final String INITIALIZE = """
            {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},\
            "clientInfo":{"name":"audit-test","version":"1"}}}""";

    private static TestRealm realm;
    private static String serverSecret;
    private static String writerSecret;
    private final List<Handler> handlers = new ArrayList<>();

    @BeforeAll
    static void realm() {
        realm = TestRealm.create(KeycloakServer.shared());
        serverSecret = realm.resourceServerClient("mcp-server");
        SecretValues.record(serverSecret);
    }

    @AfterAll
    static void dropRealm() {
        realm.close();
    }

    @AfterEach
    void removeHandlers() {
        handlers.forEach(handler -> {
            AUDIT.removeHandler(handler);
            SERVER_LOG.removeHandler(handler);
        });
    }

    @Test
    void whenAScriptedSessionRunsThenExactlyTheExpectedAuditLinesAppearWithMatchingRequestIdsAndNoSecret()
            throws Exception {
        int port = FreePort.find();
        String resource = SecurityServer.resource(port);
        for (String scope : List.of("mcp:read", "mcp:write", "mcp:admin")) {
            realm.clientScope(scope, resource, "mcp-server");
        }
        writerSecret = realm.agentClient("writer", "mcp:read", "mcp:write");
        SecretValues.record(writerSecret);
        String token = realm.clientCredentials("writer", writerSecret, "mcp:read mcp:write").accessToken();
        String unseenToken = realm.clientCredentials("writer", writerSecret, "mcp:read").accessToken();
        SecretValues.record(token);
        SecretValues.record(unseenToken);
        try (IntrospectionRelay idp = IntrospectionRelay.to(realm.introspectionEndpoint());
             SecurityServer server = SecurityServer.start(port, Map.of(
                     "mcp.auth.issuers.0.url", realm.issuer(),
                     "mcp.auth.issuers.0.mode", "introspection",
                     "mcp.auth.issuers.0.client-id", "mcp-server",
                     "mcp.auth.issuers.0.client-secret", serverSecret,
                     "mcp.auth.issuers.0.introspection-endpoint", idp.url(),
                     "mcp.auth.connect-timeout", "PT1S",
                     "mcp.audit.arguments.create_product.0", "name"))) {
            // after the start: starting the server re-reads the logging configuration, which removes handlers
            List<String> auditLines = capture(AUDIT);
            List<String[]> serverLog = new CopyOnWriteArrayList<>(); // message, request_id MDC at the time
            Handler logHandler = new Handler() {
                @Override
                public void publish(LogRecord record) {
                    serverLog.add(new String[] {String.valueOf(record.getMessage()), HelidonMdc.get("request_id").orElse("")});
                }

                @Override
                public void flush() {
                }

                @Override
                public void close() {
                }
            };
            SERVER_LOG.addHandler(logHandler);
            handlers.add(logHandler);

            McpHttp mcp = new McpHttp(server.mcpUrl, server.http);
            List<McpHttp.Reply> replies = new ArrayList<>();
            McpHttp.Reply init = mcp.send(mcp.post(token, Optional.empty(), INITIALIZE).build());
            replies.add(init);
            assertThat(init.status()).isEqualTo(200);
            String session = init.header("Mcp-Session-Id");
            Optional<String> in = Optional.of(session);
            replies.add(mcp.send(mcp.post(token, in, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}")
                    .build()));
            replies.add(mcp.send(mcp.post(token, in, """
                    {"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"create_product",\
                    "arguments":{"name":"Audit widget","price":7}}}""").build()));
            replies.add(mcp.send(mcp.post(token, in, """
                    {"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"delete_product",\
                    "arguments":{"id":"p-1"}}}""").build()));
            // a bad token, with a balancer's request id (kept: well-formed)
            replies.add(mcp.send(mcp.post("not-a-valid-token-" + port, Optional.empty(), INITIALIZE)
                    .header("X-Request-Id", "lb-" + port + "-0005").build()));
            idp.stop();
            // a valid token the server never saw (not cached) while the IdP is down; a malformed id is replaced
            replies.add(mcp.send(mcp.post(unseenToken, Optional.empty(), INITIALIZE)
                    .header("X-Request-Id", "two words").build()));
            replies.add(mcp.send(new Request.Builder().url(server.mcpUrl).delete()
                    .header("Authorization", "Bearer " + token).header("Mcp-Session-Id", session)
                    .header("MCP-Protocol-Version", "2025-06-18").build()));

            assertThat(replies).extracting(McpHttp.Reply::status).containsExactly(200, 202, 200, 403, 401, 503, 200);
            List<String> ids = replies.stream().map(reply -> reply.header("X-Request-Id")).toList();
            assertThat(ids).doesNotContainNull().doesNotHaveDuplicates();
            assertThat(ids.get(4)).isEqualTo("lb-" + port + "-0005");
            assertThat(ids.get(5)).matches("[0-9a-f-]{36}");

            List<JsonNode> events = awaitLines(auditLines, ids, session, 8);
            String issuer = realm.issuer();
            String client = "writer";
            expect(events.get(0), ids.get(0), "request", "allowed", "authenticated", 200, "POST", "initialize", null,
                    session, issuer, client);
            expect(events.get(1), ids.get(1), "request", "allowed", "authenticated", 202, "POST",
                    "notifications/initialized", null, session, issuer, client);
            expect(events.get(2), ids.get(2), "request", "allowed", "authenticated", 200, "POST", "tools/call",
                    "create_product", session, issuer, client);
            assertThat(events.get(2).get("arguments").toString()).isEqualTo("{\"name\":\"Audit widget\"}");
            expect(events.get(3), ids.get(3), "request", "denied", "missing_scope_or_role", 403, "POST", "tools/call",
                    "delete_product", session, issuer, client);
            expect(events.get(4), ids.get(4), "request", "denied", "invalid_token", 401, "POST", null, null, null,
                    null, null);
            expect(events.get(5), ids.get(5), "request", "denied", "idp_unavailable", 503, "POST", null, null, null,
                    null, null);
            expect(events.get(6), ids.get(6), "session_end", "ended", "deleted", 0, "DELETE", null, null, session,
                    issuer, client);
            expect(events.get(7), ids.get(6), "request", "allowed", "authenticated", 200, "DELETE", null, null,
                    session, issuer, client);
            for (JsonNode event : events) {
                assertThat(event.get("v").asInt()).isEqualTo(1);
                assertThat(event.get("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
                assertThat(event.get("latency_ms").isNumber()).isTrue();
                if (event.get("subject").isTextual()) {
                    assertThat(event.get("username").asText()).isEqualTo("service-account-" + client);
                }
            }
            // the 503's warning in the server log carries the same request id as its answer and its audit line
            assertThat(serverLog).anySatisfy(line -> {
                assertThat(line[0]).startsWith("token could not be verified, answering 503");
                assertThat(line[1]).isEqualTo(ids.get(5));
            });
            String all = String.join("\n", auditLines);
            for (String secret : List.of(token, unseenToken, serverSecret, writerSecret, "not-a-valid-token-" + port)) {
                assertThat(all).doesNotContain(secret);
            }
            assertThat(all).doesNotContain("\"price\"").doesNotContain("p-1");
            Files.write(events);
        }
    }

    @Test
    void whenTheAuditHandlerBlocksOrThrowsThenEventsAreDroppedAndCountedAndRequestsStillAnswered() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(1);
        Handler blocking = LogHandlers.of(record -> {
            blocked.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        int port = FreePort.find();
        try (SecurityServer server = SecurityServer.start(port, Map.of(
                "mcp.auth.issuers.0.url", realm.issuer(),
                "mcp.auth.issuers.0.mode", "introspection",
                "mcp.auth.issuers.0.client-id", "mcp-server",
                "mcp.auth.issuers.0.client-secret", serverSecret,
                "mcp.audit.queue-size", "2"))) {
            AUDIT.addHandler(blocking);
            handlers.add(blocking);
            int requests = 20;
            for (int i = 0; i < requests; i++) {
                SecurityServer.Reply reply = server.send(server.post(null, INITIALIZE).build());
                assertThat(reply.status()).as("request " + i).isEqualTo(401);
                if (i == 0) {
                    assertThat(blocked.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                }
            }
            String metrics = scrape(server);
            // one event held by the blocked writer, two queued: the other 17 were dropped, none waited
            assertThat(metric(metrics, "mcp_audit_events_dropped_total{reason=\"queue_full\"}"))
                    .isEqualTo(requests - 3);
            assertThat(metric(metrics, "mcp_audit_events_total")).isEqualTo(requests);
            // a broken handler from now on: the two queued events and the next five fail in it
            Handler throwing = LogHandlers.of(record -> {
                throw new IllegalStateException("disk full");
            });
            AUDIT.addHandler(throwing);
            handlers.add(throwing);
            AUDIT.removeHandler(blocking);
            release.countDown();
            // the two queued events fail in it first (waited for: the next offers must find room in the queue)
            awaitMetric(server, "mcp_audit_events_dropped_total{reason=\"sink_error\"}", 2);
            for (int i = 0; i < 5; i++) {
                assertThat(server.send(server.post(null, INITIALIZE).build()).status()).isEqualTo(401);
                // each event reaches the writer before the next request: with a queue of two, a writer that a
                // loaded machine schedules late would otherwise drop (and count) some of the five as queue_full
                awaitMetric(server, "mcp_audit_events_dropped_total{reason=\"sink_error\"}", 3 + i);
            }
            awaitMetric(server, "mcp_audit_events_dropped_total{reason=\"sink_error\"}", 7);
            metrics = scrape(server);
            assertThat(metric(metrics, "mcp_audit_events_dropped_total{reason=\"sink_error\"}")).isEqualTo(7);
            assertThat(metric(metrics, "mcp_audit_events_dropped_total{reason=\"queue_full\"}"))
                    .isEqualTo(requests - 3);
            assertThat(metric(metrics, "mcp_audit_events_total")).isEqualTo(requests + 5);
        } finally {
            release.countDown();
        }
    }

    private List<String> capture(Logger logger) {
        List<String> lines = new CopyOnWriteArrayList<>();
        AuditFormatter formatter = new AuditFormatter();
        Handler handler = LogHandlers.of(record -> lines.add(formatter.format(record).strip()));
        logger.addHandler(handler);
        handlers.add(handler);
        return lines;
    }

    /** The audit lines of this test's requests (other servers of the JVM may log too), once {@code count} arrived. */
    private static List<JsonNode> awaitLines(List<String> lines, List<String> ids, String session, int count)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            List<JsonNode> mine = new ArrayList<>();
            for (String line : lines) {
                JsonNode event = JSON.readTree(line);
                if (ids.contains(event.path("request_id").asText()) || session.equals(event.path("session_id").asText())) {
                    mine.add(event);
                }
            }
            if (mine.size() >= count || System.nanoTime() > deadline) {
                assertThat(mine).as("audit lines " + mine).hasSize(count);
                return mine;
            }
            Thread.sleep(20);
        }
    }

    private static void expect(JsonNode event, String requestId, String kind, String decision, String reason,
                               int status, String httpMethod, String method, String tool, String session,
                               String issuer, String clientId) {
        Map<String, Object> actual = new java.util.LinkedHashMap<>();
        Map<String, Object> expected = new java.util.LinkedHashMap<>();
        String[] keys = {"request_id", "event", "decision", "reason", "status", "http_method", "method", "tool",
            "session_id", "issuer", "client_id"};
        Object[] values = {requestId, kind, decision, reason, status == 0 ? null : status, httpMethod, method, tool,
            session, issuer, clientId};
        for (int i = 0; i < keys.length; i++) {
            JsonNode value = event.get(keys[i]);
            actual.put(keys[i], value == null || value.isNull() ? null : value.isInt() ? value.asInt() : value.asText());
            expected.put(keys[i], values[i]);
        }
        assertThat(actual).as(event.toString()).isEqualTo(expected);
        Set<String> schema = new LinkedHashSet<>(List.of("v", "time", "event", "request_id", "decision", "reason",
                "status", "http_method", "method", "tool", "session_id", "issuer", "subject", "client_id", "username",
                "latency_ms"));
        List<String> names = new ArrayList<>();
        event.fieldNames().forEachRemaining(names::add);
        names.remove("arguments");
        assertThat(names).as("keys, in order").containsExactlyElementsOf(schema);
        assertThat(event.get("subject").isNull()).isEqualTo(issuer == null);
    }

    private static String scrape(SecurityServer server) throws IOException {
        try (okhttp3.Response response = server.http.newCall(new Request.Builder()
                .url(server.baseUrl + "/observe/metrics").build()).execute()) {
            return response.body().string();
        }
    }

    private static void awaitMetric(SecurityServer server, String series, long value) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (metric(scrape(server), series) < value && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    private static long metric(String scrape, String series) {
        // Micrometer's text format may end the label set with a comma
        String pattern = series.endsWith("}") ? Pattern.quote(series.substring(0, series.length() - 1)) + ",?\\}"
                : Pattern.quote(series);
        Matcher m = Pattern.compile("(?m)^" + pattern + " ([0-9.eE+-]+)$").matcher(scrape);
        return m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
    }

    /** The scripted session's audit lines, for docs/operating.md and the lead's note. */
    private static final class Files {
        static void write(List<JsonNode> events) throws IOException {
            java.nio.file.Files.write(java.nio.file.Path.of("target/audit-excerpt.jsonl"),
                    events.stream().map(JsonNode::toString).toList());
        }
    }
}

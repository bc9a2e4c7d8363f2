package org.mcpidp.mcpserver;

import org.mcpidp.testkit.McpHttp;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Request;
import org.junit.jupiter.api.Test;
import org.mcpidp.testkit.FreePort;

/**
 * The observe endpoints of the real server (Main.parts, application.yaml, a local JWT issuer): the Prometheus names
 * docs/operating.md documents, per-tool call counters and latency histograms after an allowed and a refused call, the
 * session gauges, and health and metrics on a port of their own.
 */
class ObserveMetricsTest {

    /** Every metric name docs/operating.md's "Metrics and health" section documents, as Prometheus sample names. */
    private static final List<String> DOCUMENTED = List.of("mcp_auth_requests_total", "mcp_token_cache_hit_ratio",
            "mcp_token_cache_size", "mcp_token_cache_hits_total", "mcp_token_cache_misses_total",
            "mcp_introspection_seconds_count", "mcp_introspection_seconds_sum", "mcp_introspection_errors_total",
            "mcp_idp_rejected_busy_total", "mcp_tool_calls_total", "mcp_tool_call_seconds_bucket",
            "mcp_tool_call_seconds_count", "mcp_tool_call_seconds_sum", "mcp_sessions_open",
            "mcp_sessions_evicted_total", "mcp_sessions_expired_total", "mcp_sessions_refused_total",
            "mcp_duplicate_requests_total");

    @Test
    void whenToolCallsAreAllowedAndRefusedThenEachToolCountsThemAndRecordsTheirLatency() {
        try (LocalIdpServer server = LocalIdpServer.start(Map.of())) {
            McpHttp mcp = new McpHttp(server.mcpUrl);
            String observe = "http://127.0.0.1:" + server.port + "/observe/metrics";
            Scrape before = scrape(mcp, observe);
            assertThat(before.names()).containsAll(DOCUMENTED);
            assertThat(before.value("mcp_tool_calls_total", "tool", "whoami", "decision", "allowed")).hasValue(0);
            assertThat(before.value("mcp_sessions_open")).hasValue(0);

            String full = server.token("alice");
            String readOnly = readOnlyToken(server, "bob");
            String session = mcp.openSession(full);
            String readerSession = mcp.openSession(readOnly);
            McpHttp.Reply allowed = mcp.callTool(full, session, "whoami", "{}");
            McpHttp.Reply refused = mcp.callTool(readOnly, readerSession, "delete_product", "{\"id\":\"p-1\"}");
            mcp.callTool(full, session, "no-such-tool-" + Instant.now().toEpochMilli(), "{}");
            Scrape after = scrape(mcp, observe);

            assertThat(allowed.status()).isEqualTo(200);
            assertThat(refused.status()).isEqualTo(403);
            assertThat(after.value("mcp_tool_calls_total", "tool", "whoami", "decision", "allowed")).hasValue(1);
            assertThat(after.value("mcp_tool_calls_total", "tool", "whoami", "decision", "denied")).hasValue(0);
            assertThat(after.value("mcp_tool_calls_total", "tool", "delete_product", "decision", "denied"))
                    .hasValue(1);
            assertThat(after.value("mcp_tool_calls_total", "tool", "delete_product", "decision", "allowed"))
                    .hasValue(0);
            // a name the caller made up is refused (no requirement is no permission) and counted, but never becomes a
            // label value of its own
            assertThat(after.value("mcp_tool_calls_total", "tool", "other", "decision", "denied")).hasValue(1);
            assertThat(after.value("mcp_tool_calls_total", "tool", "other", "decision", "allowed")).hasValue(0);
            assertThat(after.body()).doesNotContain("no-such-tool");
            // the histogram: one allowed whoami call, in the +Inf bucket and in the count, with a positive sum
            assertThat(after.value("mcp_tool_call_seconds_count", "tool", "whoami", "decision", "allowed"))
                    .hasValue(1);
            assertThat(after.value("mcp_tool_call_seconds_bucket", "tool", "whoami", "decision", "allowed",
                    "le", "+Inf")).hasValue(1);
            assertThat(after.value("mcp_tool_call_seconds_bucket", "tool", "delete_product", "decision", "denied",
                    "le", "+Inf")).hasValue(1);
            assertThat(after.value("mcp_tool_call_seconds_sum", "tool", "whoami", "decision", "allowed")
                    .orElseThrow()).isPositive();
            assertThat(after.samples("mcp_tool_call_seconds_bucket", "tool", "whoami", "decision", "allowed"))
                    .hasSizeGreaterThan(5);
            // the session gauges are the registry's own counts
            assertThat(after.value("mcp_sessions_open")).hasValue(server.sessions().open());
            assertThat(server.sessions().open()).isEqualTo(2);
            assertThat(after.value("mcp_auth_requests_total", "outcome", "insufficient_scope")).hasValue(1);
            // two sessions opened (initialize + notifications/initialized each), whoami; the made-up tool was refused
            assertThat(after.value("mcp_auth_requests_total", "outcome", "authenticated")).hasValue(5);
            assertThat(after.value("mcp_auth_requests_total", "outcome", "bad_request")).hasValue(1);
            assertThat(after.value("mcp_token_cache_hit_ratio").orElseThrow()).isBetween(0.0, 1.0);
        }
    }

    @Test
    void whenObservePortIsSetThenHealthAndMetricsAreServedThereAndNotOnTheMainPort() {
        int observePort = FreePort.find();
        try (LocalIdpServer server = LocalIdpServer.start(Map.of("observe.port", Integer.toString(observePort)))) {
            McpHttp mcp = new McpHttp(server.mcpUrl);
            String main = "http://127.0.0.1:" + server.port + "/observe";
            String own = "http://127.0.0.1:" + observePort + "/observe";

            McpHttp.Reply unauthenticated = mcp.rpc(null, Optional.empty(), "tools/list", "{}");
            McpHttp.Reply ready = get(mcp, own + "/health/ready");
            McpHttp.Reply live = get(mcp, own + "/health/live");
            Scrape metrics = scrape(mcp, own + "/metrics");

            assertThat(unauthenticated.status()).isEqualTo(401);
            assertThat(ready.status()).isEqualTo(200);
            assertThat(ready.body()).contains("\"status\":\"UP\"");
            assertThat(live.status()).isEqualTo(200);
            assertThat(metrics.names()).containsAll(DOCUMENTED);
            assertThat(metrics.value("mcp_auth_requests_total", "outcome", "no_token")).hasValue(1);
            assertThat(get(mcp, main + "/metrics").status()).isEqualTo(404);
            assertThat(get(mcp, main + "/health/ready").status()).isEqualTo(404);
            // MCP itself stays on the main port only (today the auth feature's Host guard refuses it first: 403)
            assertThat(mcp.send(new Request.Builder().url("http://127.0.0.1:" + observePort + "/mcp")
                    .post(okhttp3.RequestBody.create("{}", okhttp3.MediaType.get("application/json"))).build())
                    .status()).isBetween(400, 499);
            assertThat(mcp.openSession(server.token("carol"))).isNotBlank();
        }
    }

    private static String readOnlyToken(LocalIdpServer server, String subject) {
        Map<String, Object> claims = server.idp.claims(server.mcpUrl, "mcp:read");
        claims.put("sub", subject);
        return server.idp.sign(claims);
    }

    private static McpHttp.Reply get(McpHttp mcp, String url) {
        return mcp.send(new Request.Builder().url(url).build());
    }

    private static Scrape scrape(McpHttp mcp, String url) {
        McpHttp.Reply reply = get(mcp, url);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Content-Type")).startsWith("text/plain; version=0.0.4");
        return Scrape.parse(reply.body());
    }

    /** A Prometheus text exposition, parsed into samples (name, labels, value). */
    private record Scrape(String body, List<Sample> all) {
        private static final Pattern LINE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)");
        private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

        record Sample(String name, Map<String, String> labels, double value) {
        }

        static Scrape parse(String body) {
            List<Sample> samples = body.lines().filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .map(line -> {
                        Matcher m = LINE.matcher(line);
                        assertThat(m.matches()).as("a Prometheus sample line: %s", line).isTrue();
                        Map<String, String> labels = new LinkedHashMap<>();
                        if (m.group(2) != null) {
                            Matcher l = LABEL.matcher(m.group(2));
                            while (l.find()) {
                                labels.put(l.group(1), l.group(2));
                            }
                        }
                        return new Sample(m.group(1), labels, Double.parseDouble(m.group(3)));
                    }).toList();
            return new Scrape(body, samples);
        }

        List<String> names() {
            return all.stream().map(Sample::name).distinct().toList();
        }

        /** The samples named {@code name} whose labels include {@code labels} (name, value, name, value...). */
        List<Sample> samples(String name, String... labels) {
            Map<String, String> wanted = new HashMap<>();
            for (int i = 0; i < labels.length; i += 2) {
                wanted.put(labels[i], labels[i + 1]);
            }
            return all.stream().filter(s -> s.name().equals(name))
                    .filter(s -> s.labels().entrySet().containsAll(wanted.entrySet())).toList();
        }

        /** The one sample named {@code name} with exactly {@code labels} (except {@code le} unless asked for). */
        OptionalDouble value(String name, String... labels) {
            List<Sample> found = samples(name, labels).stream()
                    .filter(s -> s.labels().size() == labels.length / 2).toList();
            assertThat(found).as("%s%s in%n%s", name, List.of(labels), body).hasSizeLessThanOrEqualTo(1);
            return found.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(found.getFirst().value());
        }
    }
}

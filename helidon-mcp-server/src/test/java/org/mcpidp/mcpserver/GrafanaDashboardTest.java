package org.mcpidp.mcpserver;

import org.mcpidp.testkit.McpHttp;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import okhttp3.Request;
import org.junit.jupiter.api.Test;

/**
 * deploy/grafana/mcp-auth-dashboard.json against a running demo server: after some traffic (sessions, an allowed and
 * a refused call, a request without a token) every metric named in every panel query is one the server exports.
 * A {@code _bucket} name counts only when its family is a histogram, {@code _sum}/{@code _count} only for a histogram
 * or summary family ({@code # TYPE} lines of the scrape).
 */
class GrafanaDashboardTest {

    static final Path DASHBOARD = Path.of("..", "deploy", "grafana", "mcp-auth-dashboard.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void whenAQueryIsParsedThenOnlyItsMetricNamesRemain() {
        assertThat(PromQlNames.of("histogram_quantile(0.95, sum by (le, tool) (rate("
                + "mcp_tool_call_seconds_bucket{instance=~\"$instance\",decision=\"allowed\"}[$__rate_interval])))"))
                .containsExactly("mcp_tool_call_seconds_bucket");
        assertThat(PromQlNames.of("sum(rate(a_total{x=\"rate(b)\"}[5m])) / clamp_min(sum(rate(c_total[1m:10s])), 1e-9)"
                + " + on (job) group_left (instance) d_info offset 5m"))
                .containsExactly("a_total", "c_total", "d_info");
        assertThat(PromQlNames.of("mcp_token_cache_hit_ratio > bool 0.5 and up")).containsExactly(
                "mcp_token_cache_hit_ratio", "up");
    }

    @Test
    void whenTheServerHadTrafficThenEveryMetricInEveryPanelQueryIsExported() throws IOException {
        JsonNode dashboard = JSON.readTree(Files.readString(DASHBOARD));
        assertThat(dashboard.path("uid").asText()).isNotBlank();
        assertThat(dashboard.path("schemaVersion").asInt()).isPositive();
        Map<String, Set<String>> queried = new LinkedHashMap<>(); // metric -> panels naming it
        List<String> expressions = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                String expression = target.path("expr").asText();
                expressions.add(expression);
                PromQlNames.of(expression).forEach(name ->
                        queried.computeIfAbsent(name, k -> new LinkedHashSet<>()).add(panel.path("title").asText()));
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            String query = variable.path("query").path("query").asText("");
            if (query.startsWith("label_values(")) {
                String metric = query.substring("label_values(".length(), query.indexOf(','));
                queried.computeIfAbsent(metric.strip(), k -> new LinkedHashSet<>()).add("variable " + variable.path("name"));
            }
        }
        assertThat(expressions).hasSizeGreaterThan(15);
        assertThat(queried.keySet()).as("downstream exchange metrics are not in the server yet")
                .noneMatch(name -> name.startsWith("downstream_") || name.contains("_downstream_"));

        String scrape;
        try (LocalIdpServer server = LocalIdpServer.start(Map.of())) {
            McpHttp mcp = new McpHttp(server.mcpUrl);
            String token = server.token("alice");
            String session = mcp.openSession(token);
            assertThat(mcp.callTool(token, session, "whoami", "{}").status()).isEqualTo(200);
            assertThat(mcp.callTool(token, session, "list_products", "{}").status()).isEqualTo(200);
            assertThat(mcp.send(mcp.post(null, java.util.Optional.empty(), "{}").build()).status()).isEqualTo(401);
            McpHttp.Reply reply = mcp.send(new Request.Builder()
                    .url("http://127.0.0.1:" + server.port + "/observe/metrics").build());
            assertThat(reply.status()).isEqualTo(200);
            scrape = reply.body();
        }
        Map<String, String> types = new HashMap<>();
        Set<String> samples = new LinkedHashSet<>();
        for (String line : scrape.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.split(" ");
                types.put(parts[2], parts[3]);
            } else if (!line.isBlank() && !line.startsWith("#")) {
                samples.add(line.split("[{ ]", 2)[0]);
            }
        }
        List<String> missing = new ArrayList<>();
        queried.forEach((name, panels) -> {
            if (!exported(name, samples, types)) {
                missing.add(name + " (panels " + panels + ")");
            }
        });
        assertThat(missing).as("metrics queried by the dashboard but not exported").isEmpty();
        assertThat(queried.keySet()).contains("mcp_auth_requests_total", "mcp_tool_calls_total",
                "mcp_tool_call_seconds_bucket", "mcp_token_cache_hit_ratio", "mcp_introspection_seconds_sum",
                "mcp_introspection_errors_total", "mcp_sessions_open", "mcp_audit_events_dropped_total");
    }

    /** A sample name the scrape has; a histogram/summary part only when the family really is one. */
    private static boolean exported(String name, Set<String> samples, Map<String, String> types) {
        if (!samples.contains(name)) {
            return false;
        }
        for (String suffix : List.of("_bucket", "_sum", "_count")) {
            if (name.endsWith(suffix) && !types.containsKey(name)) {
                String family = types.get(name.substring(0, name.length() - suffix.length()));
                return suffix.equals("_bucket") ? "histogram".equals(family)
                        : "histogram".equals(family) || "summary".equals(family);
            }
        }
        return true;
    }
}

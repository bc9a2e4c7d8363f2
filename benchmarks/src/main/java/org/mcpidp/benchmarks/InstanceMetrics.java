package org.mcpidp.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mcpidp.runtime.McpServerProcess;

/**
 * What the cluster run reads of its instances: their Prometheus text at {@code /observe/metrics} (the metric names
 * docs/operating.md documents), one sample or the auth outcomes summed over instances.
 */
final class InstanceMetrics {

    static final Pattern INTROSPECTIONS = Pattern.compile(
            "^mcp_introspection_seconds_count(?:\\{[^}]*})?\\s+([0-9.eE+]+)", Pattern.MULTILINE);
    static final Pattern SESSIONS_OPEN = Pattern.compile(
            "^mcp_sessions_open(?:\\{[^}]*})?\\s+([0-9.eE+]+)", Pattern.MULTILINE);
    static final Pattern CACHE_HITS = Pattern.compile(
            "^mcp_token_cache_hits_total(?:\\{[^}]*})?\\s+([0-9.eE+]+)", Pattern.MULTILINE);
    static final Pattern CACHE_MISSES = Pattern.compile(
            "^mcp_token_cache_misses_total(?:\\{[^}]*})?\\s+([0-9.eE+]+)", Pattern.MULTILINE);
    static final Pattern OUTCOMES = Pattern.compile(
            "^mcp_auth_requests_total\\{[^}]*outcome=\"([a-z_]+)\"[^}]*}\\s+([0-9.eE+]+)", Pattern.MULTILINE);

    private final HttpClient http = HttpClient.newHttpClient();

    /** Allowed calls of {@code tool} (mcp_tool_calls_total; Prometheus sorts the labels: decision before tool). */
    static Pattern allowedCalls(String tool) {
        return Pattern.compile("^mcp_tool_calls_total\\{decision=\"allowed\",tool=\"" + Pattern.quote(tool)
                + "\"}\\s+([0-9.eE+]+)", Pattern.MULTILINE);
    }

    /** The first sample of {@code pattern} in {@code server}'s metrics; fails the run if there is none. */
    double value(McpServerProcess server, Pattern pattern) throws Exception {
        Matcher matcher = pattern.matcher(scrape(server));
        ClusterRun.require(matcher.find(), "no " + pattern.pattern() + " in " + server.baseUrl() + "/observe/metrics");
        return Double.parseDouble(matcher.group(1));
    }

    /** mcp_auth_requests_total by outcome, summed over {@code servers}. */
    Map<String, Double> outcomes(List<McpServerProcess> servers) throws Exception {
        Map<String, Double> sum = new TreeMap<>();
        for (McpServerProcess server : servers) {
            Matcher matcher = OUTCOMES.matcher(scrape(server));
            while (matcher.find()) {
                sum.merge(matcher.group(1), Double.parseDouble(matcher.group(2)), Double::sum);
            }
        }
        return sum;
    }

    private String scrape(McpServerProcess server) throws Exception {
        HttpResponse<String> scrape = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl()
                + "/observe/metrics")).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        ClusterRun.require(scrape.statusCode() == 200, server.baseUrl() + "/observe/metrics answered "
                + scrape.statusCode());
        return scrape.body();
    }
}

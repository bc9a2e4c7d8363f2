package org.mcpidp.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mcpidp.runtime.McpServerProcess;

/**
 * MCP {@code tools/call list_products} load with wrk (a C load generator, so the client costs little CPU next to the server
 * on a 2-core machine): 16 keep-alive connections over 16 MCP sessions opened beforehand, a unique JSON-RPC id per
 * request, loopback only, bounded by time. The generated Lua script holds the test token: it is written 0600 and
 * deleted after the run. {@code list_products} rather than {@code whoami}: its answer is the same with and without
 * authentication, so the comparison measures the auth layer and not a bigger tool answer.
 */
final class WrkLoad {

    record Result(double rps, long p50Micros, long p99Micros, long requests, long errors, double serverCpuMicrosPerRequest) {
    }

    private static final String PROTOCOL = "2025-06-18";
    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern TOTAL = Pattern.compile("(\\d+) requests in");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern ERRORS = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

    private WrkLoad() {
    }

    static Result run(McpServerProcess server, Optional<String> token, int connections, Duration warmup, Duration measure,
                      Path workDir) throws Exception {
        return run(server.mcpUrl(), server::cpuTime, token, "list_products", connections, warmup, measure, workDir);
    }

    /** The same load calling {@code tool} (no arguments), e.g. list_orders for the downstream section. */
    static Result run(McpServerProcess server, Optional<String> token, String tool, int connections, Duration warmup,
                      Duration measure, Path workDir) throws Exception {
        return run(server.mcpUrl(), server::cpuTime, token, tool, connections, warmup, measure, workDir);
    }

    /**
     * The same load against {@code mcpUrl} (e.g. a balancer in front of several servers); {@code serverCpu} is the CPU
     * time of everything that serves it, read before and after the measured run.
     */
    static Result run(String mcpUrl, Supplier<Duration> serverCpu, Optional<String> token, int connections,
                      Duration warmup, Duration measure, Path workDir) throws Exception {
        return run(mcpUrl, serverCpu, token, "list_products", connections, warmup, measure, workDir);
    }

    private static Result run(String mcpUrl, Supplier<Duration> serverCpu, Optional<String> token, String tool,
                              int connections, Duration warmup, Duration measure, Path workDir) throws Exception {
        List<String> sessions = new ArrayList<>();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (int i = 0; i < connections; i++) {
            sessions.add(openSession(http, mcpUrl, token, tool));
        }
        Path script = workDir.resolve("wrk-mcp.lua");
        Files.deleteIfExists(script);
        Files.createFile(script, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(script, lua(sessions, token, tool), StandardCharsets.UTF_8);
            wrk(mcpUrl, connections, warmup, script);
            Duration cpuBefore = serverCpu.get();
            String output = wrk(mcpUrl, connections, measure, script);
            Duration cpu = serverCpu.get().minus(cpuBefore);
            long errors = count(NON_2XX, output);
            Matcher socket = ERRORS.matcher(output);
            if (socket.find()) {
                for (int g = 1; g <= 4; g++) {
                    errors += Long.parseLong(socket.group(g));
                }
            }
            long requests = count(TOTAL, output);
            return new Result(Double.parseDouble(find(RPS, output)), micros(percentile(output, "50%")),
                    micros(percentile(output, "99%")), requests, errors, cpu.toNanos() / 1e3 / Math.max(1, requests));
        } finally {
            Files.deleteIfExists(script);
        }
    }

    private static String wrk(String url, int connections, Duration duration, Path script)
            throws IOException, InterruptedException {
        Process process = new ProcessBuilder("wrk", "-t2", "-c" + connections, "-d" + duration.toSeconds() + "s",
                "--timeout", "5s", "--latency", "-s", script.toString(), url)
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("wrk failed: " + output);
        }
        return output;
    }

    private static String openSession(HttpClient http, String mcpUrl, Optional<String> token, String tool)
            throws Exception {
        HttpResponse<String> init = http.send(request(mcpUrl, token, Optional.empty(), """
                {"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"%s","capabilities":{},
                 "clientInfo":{"name":"wrk-load","version":"1"}}}""".formatted(PROTOCOL)), HttpResponse.BodyHandlers.ofString());
        String session = init.headers().firstValue("Mcp-Session-Id")
                .orElseThrow(() -> new IllegalStateException("initialize -> HTTP " + init.statusCode() + " without a session"));
        http.send(request(mcpUrl, token, Optional.of(session), "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"),
                HttpResponse.BodyHandlers.discarding());
        HttpResponse<String> probe = http.send(request(mcpUrl, token, Optional.of(session),
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool
                        + "\",\"arguments\":{}}}"),
                HttpResponse.BodyHandlers.ofString());
        if (probe.statusCode() != 200 || !probe.body().contains("\"result\"") || probe.body().contains("\"isError\":true")) {
            throw new IllegalStateException("tools/call " + tool + " -> HTTP " + probe.statusCode() + " without a result");
        }
        return session;
    }

    private static HttpRequest request(String mcpUrl, Optional<String> token, Optional<String> session, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(mcpUrl))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .header("MCP-Protocol-Version", PROTOCOL)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        token.ifPresent(value -> request.header("Authorization", "Bearer " + value));
        session.ifPresent(value -> request.header("Mcp-Session-Id", value));
        return request.build();
    }

    private static String lua(List<String> sessions, Optional<String> token, String tool) {
        StringBuilder lua = new StringBuilder("local sessions = {");
        for (String session : sessions) {
            lua.append('"').append(session).append("\",");
        }
        lua.append("}\n");
        lua.append("local tool = \"").append(tool).append("\"\n");
        lua.append("local auth = ").append(token.map(t -> "\"Bearer " + t + "\"").orElse("nil")).append('\n');
        lua.append("""
                local threads = 0
                function setup(thread)
                  thread:set("tid", threads)
                  threads = threads + 1
                end
                function init(args)
                  n = 0
                end
                function request()
                  n = n + 1
                  local headers = {}
                  headers["Content-Type"] = "application/json"
                  headers["Accept"] = "application/json, text/event-stream"
                  headers["MCP-Protocol-Version"] = "2025-06-18"
                  headers["Mcp-Session-Id"] = sessions[(n % #sessions) + 1]
                  if auth then headers["Authorization"] = auth end
                  local body = '{"jsonrpc":"2.0","id":' .. (n * 64 + tid + 2) ..
                    ',"method":"tools/call","params":{"name":"' .. tool .. '","arguments":{}}}'
                  return wrk.format("POST", nil, headers, body)
                end
                """);
        return lua.toString();
    }

    private static String percentile(String output, String label) {
        Matcher matcher = Pattern.compile("^\\s+" + Pattern.quote(label) + "\\s+([0-9.]+)(us|ms|s)\\s*$", Pattern.MULTILINE)
                .matcher(output);
        if (!matcher.find()) {
            throw new IllegalStateException("no " + label + " latency in wrk output:\n" + output);
        }
        return matcher.group(1) + matcher.group(2);
    }

    private static long micros(String value) {
        if (value.endsWith("us")) {
            return Math.round(Double.parseDouble(value.substring(0, value.length() - 2)));
        }
        if (value.endsWith("ms")) {
            return Math.round(Double.parseDouble(value.substring(0, value.length() - 2)) * 1000);
        }
        return Math.round(Double.parseDouble(value.substring(0, value.length() - 1)) * 1_000_000);
    }

    private static String find(Pattern pattern, String output) {
        Matcher matcher = pattern.matcher(output);
        if (!matcher.find()) {
            throw new IllegalStateException("unexpected wrk output:\n" + output);
        }
        return matcher.group(1);
    }

    private static long count(Pattern pattern, String output) {
        Matcher matcher = pattern.matcher(output);
        return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
    }
}

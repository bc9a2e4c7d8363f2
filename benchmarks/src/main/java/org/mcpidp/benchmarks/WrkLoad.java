package org.mcpidp.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mcpidp.runtime.McpServerProcess;

/**
 * MCP {@code tools/call} load with wrk (a C load generator, so the client costs little CPU next to the server on a
 * 2-core machine) in one {@link ProtocolEra}: 16 keep-alive connections, a unique JSON-RPC id per request, loopback
 * only, bounded by time. 2026-07-28 requests stand alone; legacy requests go round 16 sessions opened beforehand
 * ({@code initialize}, {@code notifications/initialized}, one probe call each). The script
 * ({@code src/main/wrk/mcp-tools-call.lua}) gets the token in its environment, never on a command line or in a file,
 * and checks every answer: a non-200 answer, a JSON-RPC error or a tool error is a failure, and a run with more than
 * 1% failures stops the benchmark (a broken server must not look fast).
 */
final class WrkLoad {

    /**
     * One measured run. {@code errors}: answers that were not a tool result (non-200, JSON-RPC error, tool error) plus
     * wrk's socket errors (connect, read, write, timeout).
     */
    record Result(double rps, long p50Micros, long p99Micros, long requests, long errors,
                  double serverCpuMicrosPerRequest) {
    }

    private static final Path SCRIPT = Path.of("benchmarks", "src", "main", "wrk", "mcp-tools-call.lua");
    /** More failed answers than this share of the requests and the run measured errors, not the server. */
    private static final double MAX_FAILED_SHARE = 0.01;
    private static final Pattern ANSWERS = Pattern.compile("MCP answers: (\\d+) failures: (\\d+)");
    private static final Pattern SOCKET_ERRORS = Pattern.compile(
            "Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

    private WrkLoad() {
    }

    /** {@code tool} (no arguments) against one server, its process's CPU time read around the measured run. */
    static Result run(McpServerProcess server, ProtocolEra era, Optional<String> token, String tool, int connections,
                      Duration warmup, Duration measure) throws Exception {
        return run(server.mcpUrl(), server::cpuTime, era, token, tool, connections, warmup, measure);
    }

    /**
     * The same load against {@code mcpUrl} (e.g. a balancer in front of several servers); {@code serverCpu} is the CPU
     * time of everything that serves it, read before and after the measured run.
     */
    static Result run(String mcpUrl, Supplier<Duration> serverCpu, ProtocolEra era, Optional<String> token,
                      String tool, int connections, Duration warmup, Duration measure) throws Exception {
        Map<String, String> env = prepare(mcpUrl, era, token, tool, connections);
        checked(wrk(mcpUrl, connections, warmup, env), era, tool);
        Duration cpuBefore = serverCpu.get();
        String output = wrk(mcpUrl, connections, measure, env);
        Duration cpu = serverCpu.get().minus(cpuBefore);
        long errors = checked(output, era, tool);
        long requests = Long.parseLong(WrkOutput.find(WrkOutput.TOTAL, output));
        return new Result(Double.parseDouble(WrkOutput.find(WrkOutput.RPS, output)),
                WrkOutput.latencyMicros(output, "50%"), WrkOutput.latencyMicros(output, "99%"), requests, errors,
                cpu.toNanos() / 1e3 / Math.max(1, requests));
    }

    /**
     * The same load for {@code duration}, nothing measured: brings the server's JIT up to speed for this era's code
     * before a measured run. Fails like a run when too many answers failed.
     */
    static void warm(String mcpUrl, ProtocolEra era, Optional<String> token, String tool, int connections,
                     Duration duration) throws Exception {
        checked(wrk(mcpUrl, connections, duration, prepare(mcpUrl, era, token, tool, connections)), era, tool);
    }

    /** The wrk script's environment; legacy sessions opened, or one 2026-07-28 call probed, on the way. */
    private static Map<String, String> prepare(String mcpUrl, ProtocolEra era, Optional<String> token, String tool,
                                               int connections) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Map<String, String> env = new HashMap<>(Map.of("MCP_ERA", era.label(), "MCP_TOOL", tool));
        token.ifPresent(value -> env.put("MCP_AUTHORIZATION", "Bearer " + value));
        if (era == ProtocolEra.LEGACY) {
            List<String> sessions = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                sessions.add(openSession(http, mcpUrl, token, tool));
            }
            env.put("MCP_SESSIONS", String.join(",", sessions));
        } else {
            probe(http, mcpUrl, token, tool);
        }
        return env;
    }

    /** The run's errors (failed answers + socket errors); fails when there were no answers or too many failed. */
    private static long checked(String output, ProtocolEra era, String tool) {
        Matcher answers = ANSWERS.matcher(output);
        if (!answers.find()) {
            throw new IllegalStateException("the wrk script reported no answers:\n" + output);
        }
        long answered = Long.parseLong(answers.group(1));
        long failed = Long.parseLong(answers.group(2));
        long errors = failed;
        Matcher socket = SOCKET_ERRORS.matcher(output);
        if (socket.find()) {
            for (int g = 1; g <= 4; g++) {
                errors += Long.parseLong(socket.group(g));
            }
        }
        if (answered == 0 || errors > MAX_FAILED_SHARE * answered) {
            throw new IllegalStateException(era.label() + " tools/call " + tool + ": " + errors + " of " + answered
                    + " requests failed (non-200, JSON-RPC or tool error, socket error): the run measured errors\n"
                    + output);
        }
        return errors;
    }

    private static String wrk(String url, int connections, Duration duration, Map<String, String> env)
            throws IOException, InterruptedException {
        Path script = SCRIPT.toAbsolutePath();
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException("no wrk script at " + script + ": run from the repository root");
        }
        ProcessBuilder builder = new ProcessBuilder("wrk", "-t2", "-c" + connections, "-d" + duration.toSeconds() + "s",
                "--timeout", "5s", "--latency", "-s", script.toString(), url).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("wrk failed: " + output);
        }
        return output;
    }

    /** A legacy session for the load: initialize, initialized, and one call that must answer a result. */
    private static String openSession(HttpClient http, String mcpUrl, Optional<String> token, String tool)
            throws Exception {
        String version = ProtocolEra.LEGACY.version();
        HttpResponse<String> init = http.send(legacy(mcpUrl, token, Optional.empty(), """
                {"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"%s","capabilities":{},
                 "clientInfo":{"name":"wrk-load","version":"1"}}}""".formatted(version)),
                HttpResponse.BodyHandlers.ofString());
        String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow(() -> new IllegalStateException(
                "initialize -> HTTP " + init.statusCode() + " without a session: " + init.body()));
        http.send(legacy(mcpUrl, token, Optional.of(session),
                        "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"),
                HttpResponse.BodyHandlers.discarding());
        HttpResponse<String> probe = http.send(legacy(mcpUrl, token, Optional.of(session),
                        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool
                                + "\",\"arguments\":{}}}"), HttpResponse.BodyHandlers.ofString());
        requireResult("legacy", tool, probe);
        return session;
    }

    /** One 2026-07-28 call before the load: it must answer a result, as JSON. */
    private static void probe(HttpClient http, String mcpUrl, Optional<String> token, String tool) throws Exception {
        String version = ProtocolEra.MODERN.version();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(mcpUrl))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .header("MCP-Protocol-Version", version)
                .header("Mcp-Method", "tools/call")
                .header("Mcp-Name", tool)
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\","
                        + "\"params\":{\"name\":\"" + tool + "\",\"arguments\":{},\"_meta\":{"
                        + "\"io.modelcontextprotocol/protocolVersion\":\"" + version + "\","
                        + "\"io.modelcontextprotocol/clientCapabilities\":{}}}}"));
        token.ifPresent(value -> request.header("Authorization", "Bearer " + value));
        HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        requireResult("modern", tool, answer);
        if (!answer.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
            throw new IllegalStateException("modern tools/call " + tool + " was not answered as JSON: "
                    + answer.headers().firstValue("Content-Type").orElse("no Content-Type"));
        }
    }

    private static void requireResult(String era, String tool, HttpResponse<String> answer) {
        if (answer.statusCode() != 200 || !answer.body().contains("\"result\":")
                || answer.body().contains("\"isError\":true")) {
            throw new IllegalStateException(era + " tools/call " + tool + " -> HTTP " + answer.statusCode()
                    + " without a result: " + answer.body());
        }
    }

    /** A 2025-11-25 POST: the headers a session's request carries, with the token and session when given. */
    static HttpRequest legacy(String mcpUrl, Optional<String> token, Optional<String> session, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(mcpUrl))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .header("MCP-Protocol-Version", ProtocolEra.LEGACY.version())
                .POST(HttpRequest.BodyPublishers.ofString(body));
        token.ifPresent(value -> request.header("Authorization", "Bearer " + value));
        session.ifPresent(value -> request.header("Mcp-Session-Id", value));
        return request.build();
    }
}

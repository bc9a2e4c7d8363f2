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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code tools/call whoami} load with wrk for one protocol era, on loopback and bounded by time: the 2026-07-28 era
 * (stateless: each POST carries {@code MCP-Protocol-Version}, {@code Mcp-Method}, {@code Mcp-Name} and the body's
 * {@code _meta} with the protocol version and client capabilities) or the 2025-11-25 era (one session per connection,
 * opened with {@code initialize} before the load, each POST names it in {@code Mcp-Session-Id}). Every request has a
 * unique JSON-RPC id. The generated Lua script holds the test token: written 0600, deleted after the run.
 */
final class EraLoad {

    /** The protocol era a load speaks. */
    enum Era {
        MODERN("2026-07-28"), LEGACY("2025-11-25");

        final String version;

        Era(String version) {
            this.version = version;
        }

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** One run, as wrk reports it (errors: non-2xx answers and socket errors). */
    record Result(double rps, long requests, long errors, long p50Micros, long p99Micros) {
    }

    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern SOCKET = Pattern.compile(
            "Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

    private final String mcpUrl;
    private final Optional<String> token;
    private final Era era;
    private final int connections;
    private final Path script;

    private EraLoad(String mcpUrl, Optional<String> token, Era era, int connections, Path script) {
        this.mcpUrl = mcpUrl;
        this.token = token;
        this.era = era;
        this.connections = connections;
        this.script = script;
    }

    /**
     * Prepares the load: checks that one call answers the caller (a JSON-RPC result, not an error), opens the legacy
     * sessions, writes the script into {@code workDir}.
     */
    static EraLoad prepare(String mcpUrl, Optional<String> token, Era era, int connections, Path workDir)
            throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<String> sessions = new ArrayList<>();
        if (era == Era.LEGACY) {
            for (int i = 0; i < connections; i++) {
                sessions.add(openSession(http, mcpUrl, token));
            }
        }
        HttpResponse<String> probe = http.send(call(mcpUrl, token, era, sessions.isEmpty() ? Optional.empty()
                : Optional.of(sessions.getFirst()), 1), HttpResponse.BodyHandlers.ofString());
        if (probe.statusCode() != 200 || !probe.body().contains("\"result\"") || !probe.body().contains("subject")) {
            throw new IllegalStateException(era.label() + " tools/call whoami -> HTTP " + probe.statusCode()
                    + ": " + probe.body());
        }
        Path script = workDir.resolve("wrk-" + era.label() + ".lua");
        Files.createDirectories(workDir);
        Files.deleteIfExists(script);
        Files.createFile(script, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(script, lua(era, sessions, token), StandardCharsets.UTF_8);
        return new EraLoad(mcpUrl, token, era, connections, script);
    }

    /** Runs wrk for {@code duration}. */
    Result run(Duration duration) throws IOException, InterruptedException {
        String output = wrk(duration);
        long errors = WrkOutput.count(NON_2XX, output);
        Matcher socket = SOCKET.matcher(output);
        if (socket.find()) {
            for (int g = 1; g <= 4; g++) {
                errors += Long.parseLong(socket.group(g));
            }
        }
        return new Result(Double.parseDouble(WrkOutput.find(WrkOutput.RPS, output)),
                WrkOutput.count(WrkOutput.TOTAL, output), errors, WrkOutput.latencyMicros(output, "50%"),
                WrkOutput.latencyMicros(output, "99%"));
    }

    /** Deletes the script (it holds the token). */
    void close() throws IOException {
        Files.deleteIfExists(script);
    }

    Era era() {
        return era;
    }

    private String wrk(Duration duration) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("wrk", "-t2", "-c" + connections, "-d" + duration.toSeconds() + "s",
                "--timeout", "5s", "--latency", "-s", script.toString(), mcpUrl)
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("wrk failed: " + output);
        }
        return output;
    }

    private static String openSession(HttpClient http, String mcpUrl, Optional<String> token) throws Exception {
        HttpResponse<String> init = http.send(post(mcpUrl, token, Era.LEGACY.version, Optional.empty(), """
                {"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"%s","capabilities":{},
                 "clientInfo":{"name":"wrk-load","version":"1"}}}""".formatted(Era.LEGACY.version)).build(),
                HttpResponse.BodyHandlers.ofString());
        String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow(() -> new IllegalStateException(
                "initialize -> HTTP " + init.statusCode() + " without a session: " + init.body()));
        http.send(post(mcpUrl, token, Era.LEGACY.version, Optional.of(session),
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}").build(),
                HttpResponse.BodyHandlers.discarding());
        return session;
    }

    private static HttpRequest call(String mcpUrl, Optional<String> token, Era era, Optional<String> session, int id) {
        HttpRequest.Builder request = post(mcpUrl, token, era.version, session, body(era, Integer.toString(id)));
        if (era == Era.MODERN) {
            request.header("Mcp-Method", "tools/call").header("Mcp-Name", "whoami");
        }
        return request.build();
    }

    private static HttpRequest.Builder post(String mcpUrl, Optional<String> token, String version,
                                            Optional<String> session, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(mcpUrl))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .header("MCP-Protocol-Version", version)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        token.ifPresent(value -> request.header("Authorization", "Bearer " + value));
        session.ifPresent(value -> request.header("Mcp-Session-Id", value));
        return request;
    }

    /** The body of a call, with {@code id} a Lua expression (in the script) or a number (the probe). */
    private static String body(Era era, String id) {
        String meta = era == Era.MODERN ? ",\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\""
                + Era.MODERN.version + "\",\"io.modelcontextprotocol/clientCapabilities\":{}}" : "";
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"whoami\","
                + "\"arguments\":{}" + meta + "}}";
    }

    private static String lua(Era era, List<String> sessions, Optional<String> token) {
        StringBuilder lua = new StringBuilder("local sessions = {");
        sessions.forEach(session -> lua.append('"').append(session).append("\","));
        lua.append("}\n");
        lua.append("local auth = ").append(token.map(t -> "\"Bearer " + t + "\"").orElse("nil")).append('\n');
        String[] body = body(era, "\u0000").split("\u0000");
        lua.append("local head = '").append(body[0]).append("'\n");
        lua.append("local tail = '").append(body[1]).append("'\n");
        lua.append("local version = \"").append(era.version).append("\"\n");
        lua.append("local modern = ").append(era == Era.MODERN).append('\n');
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
                  headers["MCP-Protocol-Version"] = version
                  if modern then
                    headers["Mcp-Method"] = "tools/call"
                    headers["Mcp-Name"] = "whoami"
                  else
                    headers["Mcp-Session-Id"] = sessions[(n % #sessions) + 1]
                  end
                  if auth then headers["Authorization"] = auth end
                  return wrk.format("POST", nil, headers, head .. (n * 64 + tid + 2) .. tail)
                end
                """);
        return lua.toString();
    }
}

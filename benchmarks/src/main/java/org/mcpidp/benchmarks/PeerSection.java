package org.mcpidp.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.mcpidp.runtime.McpServerProcess;
import org.mcpidp.testkit.FreePort;

/**
 * The "peer" section: the kit's demo server in JWT mode against the peer its users would otherwise write
 * ({@link PeerServer}: MCP Auth for Node in JWT mode on the MCP TypeScript SDK's Streamable HTTP transport and
 * express), both checking tokens of the same real Keycloak realm for the same audience and scope, under the same wrk
 * load: {@code tools/call whoami} in 2025-11-25 sessions (the TypeScript SDK 1.32.2 speaks that revision; the peer is
 * stateful, so 16 sessions are opened on each server first, as {@link WrkLoad} does for the legacy era), 16
 * connections, 2 threads. Both servers run side by side, are probed (no token: 401; the token: a whoami answer naming
 * the token's subject) and warmed, then measured in turn, the order reversed in full mode's second round; each keeps
 * its faster run. CPU per request: each server process's CPU time ({@code /proc/<pid>/stat}, via
 * {@link ProcessHandle}) over the measured run, divided by the requests served.
 */
record PeerSection(boolean quick) {

    private static final String TOOL = "whoami";
    private static final int CONNECTIONS = 16;

    /** One of the two servers under load. */
    private record Side(String name, String mcpUrl, Supplier<Duration> cpu) {
    }

    Map<String, String> run(BenchmarkEnvironment env) throws Exception {
        Path work = Path.of("benchmarks", "target", "peer");
        Files.createDirectories(work);
        Path jar = Path.of(System.getProperty("bench.serverJar", "helidon-mcp-server/target/helidon-mcp-server.jar"));
        // quick mode (CI) still warms each server 5 s: with 2 s the kit's JVM was measured half-compiled (231 us of CPU
        // per request against 30 us warm) and the ratio said nothing
        Duration warm = Duration.ofSeconds(5);
        Duration warmup = Duration.ofSeconds(quick ? 2 : 5);
        Duration measure = Duration.ofSeconds(quick ? 5 : 20);
        // the kit exactly as in the e2e section's jwt mode: the token checked against the realm's JWKS
        Map<String, String> kitEnv = Map.of("MCP_RESOURCE", BenchmarkEnvironment.RESOURCE,
                "MCP_AUTH_ISSUERS_0_URL", env.realm().issuer(), "MCP_AUTH_ISSUERS_0_MODE", "jwt",
                "MCP_AUTH_AUDIENCES_0", BenchmarkEnvironment.RESOURCE);
        Path kitLog = work.resolve("kit-jwt.log");
        Files.deleteIfExists(kitLog);
        try (PeerServer peer = PeerServer.start(work, env.realm().issuer(), BenchmarkEnvironment.RESOURCE);
             McpServerProcess kit = McpServerProcess.start(jar, List.of("-Xmx512m"), kitEnv, FreePort.find(), kitLog,
                     Duration.ofSeconds(60), waited -> { })) {
            List<Side> sides = List.of(
                    new Side("peer", peer.mcpUrl(), peer::cpuTime),
                    new Side("kit", kit.mcpUrl(), kit::cpuTime));
            String token = env.token();
            String subject = subject(token);
            // the same agent without asking for mcp:read: no scope, and so no resource URL in aud either
            String unscoped = env.realm().clientCredentials(BenchmarkEnvironment.AGENT, env.agentSecret(), "")
                    .accessToken();
            for (Side side : sides) {
                probe(side, token, subject, unscoped);
                WrkLoad.warm(side.mcpUrl(), ProtocolEra.LEGACY, Optional.of(token), TOOL, CONNECTIONS, warm);
            }
            Map<String, WrkLoad.Result> best = new LinkedHashMap<>();
            Map<String, Long> errors = new LinkedHashMap<>();
            int rounds = quick ? 1 : 2;
            for (int round = 1; round <= rounds; round++) {
                // one fresh token per round (the realm's tokens live 5 minutes), the same for both servers
                Optional<String> roundToken = Optional.of(env.token());
                List<Side> order = round % 2 == 1 ? sides : sides.reversed();
                for (Side side : order) {
                    WrkLoad.Result result = WrkLoad.run(side.mcpUrl(), side.cpu(), ProtocolEra.LEGACY, roundToken,
                            TOOL, CONNECTIONS, warmup, measure);
                    System.out.printf(Locale.ROOT, "peer %-4s legacy jwt %8.0f req/s  p50 %6d us  p99 %7d us"
                                    + "  server CPU %7.1f us/request  requests %d  errors %d  (round %d)  load %s%n",
                            side.name(), result.rps(), result.p50Micros(), result.p99Micros(),
                            result.serverCpuMicrosPerRequest(), result.requests(), result.errors(), round, load());
                    best.merge(side.name(), result, (kept, now) -> now.rps() > kept.rps() ? now : kept);
                    errors.merge(side.name(), result.errors(), Long::sum);
                }
            }
            return results(best, errors);
        }
    }

    private static Map<String, String> results(Map<String, WrkLoad.Result> best, Map<String, Long> errors) {
        WrkLoad.Result peer = best.get("peer");
        WrkLoad.Result kit = best.get("kit");
        Map<String, String> results = new LinkedHashMap<>();
        results.put("peer_rps", format("%.0f", peer.rps()));
        results.put("kit_rps_jwt_legacy", format("%.0f", kit.rps()));
        results.put("kit_over_peer", format("%.1f", kit.rps() / peer.rps()));
        results.put("peer_p50_us", Long.toString(peer.p50Micros()));
        results.put("kit_p50_us_jwt_legacy", Long.toString(kit.p50Micros()));
        results.put("peer_p99_us", Long.toString(peer.p99Micros()));
        results.put("kit_p99_us_jwt_legacy", Long.toString(kit.p99Micros()));
        results.put("peer_errors", Long.toString(errors.get("peer")));
        results.put("kit_errors_jwt_legacy", Long.toString(errors.get("kit")));
        results.put("peer_cpu_us_per_request", format("%.1f", peer.serverCpuMicrosPerRequest()));
        results.put("kit_cpu_us_per_request_jwt_legacy", format("%.1f", kit.serverCpuMicrosPerRequest()));
        results.put("peer_cpu_over_kit", format("%.1f", peer.serverCpuMicrosPerRequest()
                / kit.serverCpuMicrosPerRequest()));
        results.put("peer_load_average", load());
        return results;
    }

    /**
     * Before any load: without a token the server refuses (401), a token of the realm without {@code mcp:read} and the
     * audience is refused too (401 or 403), and with the token a session's {@code whoami} answers a result naming the
     * token's subject, so both servers check the same things and hand the caller to the tool.
     */
    private static void probe(Side side, String token, String subject, String unscoped) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String url = side.mcpUrl();
        String initialize = """
                {"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"%s","capabilities":{},
                 "clientInfo":{"name":"peer-probe","version":"1"}}}""".formatted(ProtocolEra.LEGACY.version());
        HttpResponse<String> anonymous = http.send(WrkLoad.legacy(url, Optional.empty(), Optional.empty(), initialize),
                HttpResponse.BodyHandlers.ofString());
        require(anonymous.statusCode() == 401, side.name() + " answered initialize without a token with HTTP "
                + anonymous.statusCode() + ", not 401");
        HttpResponse<String> withoutScope = http.send(
                WrkLoad.legacy(url, Optional.of(unscoped), Optional.empty(), initialize),
                HttpResponse.BodyHandlers.ofString());
        require(withoutScope.statusCode() == 401 || withoutScope.statusCode() == 403, side.name() + " answered"
                + " initialize with a token lacking mcp:read and the audience with HTTP " + withoutScope.statusCode());
        HttpResponse<String> init = http.send(WrkLoad.legacy(url, Optional.of(token), Optional.empty(), initialize),
                HttpResponse.BodyHandlers.ofString());
        Optional<String> session = init.headers().firstValue("Mcp-Session-Id");
        require(init.statusCode() == 200 && session.isPresent(), side.name() + " initialize -> HTTP "
                + init.statusCode() + " without a session: " + init.body());
        String initialized = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}";
        http.send(WrkLoad.legacy(url, Optional.of(token), session, initialized),
                HttpResponse.BodyHandlers.discarding());
        String call = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"" + TOOL
                + "\",\"arguments\":{}}}";
        HttpResponse<String> whoami = http.send(WrkLoad.legacy(url, Optional.of(token), session, call),
                HttpResponse.BodyHandlers.ofString());
        require(whoami.statusCode() == 200 && whoami.body().contains("\"result\":")
                        && !whoami.body().contains("\"isError\":true") && whoami.body().contains(subject),
                side.name() + " whoami did not answer the caller's subject " + subject + ": HTTP "
                        + whoami.statusCode() + " " + whoami.body());
        System.out.println("peer: " + side.name() + " at " + side.mcpUrl() + " refuses a call without a token (401)"
                + ", one without mcp:read and the audience (" + withoutScope.statusCode() + "), and answers whoami"
                + " with the token's subject " + subject);
    }

    /** The token's {@code sub}, read (not verified: the servers verify) from its payload. */
    private static String subject(String token) throws Exception {
        String[] parts = token.split("\\.");
        require(parts.length == 3, "the token is not a JWS");
        String sub = new ObjectMapper().readTree(Base64.getUrlDecoder().decode(parts[1])).path("sub").asText("");
        require(!sub.isEmpty(), "the token has no sub claim");
        return sub;
    }

    /** The 1-minute load average (/proc/loadavg): the machine is shared, so every figure says how busy it was. */
    static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return "?";
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException("peer: " + message);
        }
    }

    private static String format(String pattern, double value) {
        return String.format(Locale.ROOT, pattern, value);
    }
}

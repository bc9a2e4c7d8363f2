package org.mcpidp.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.mcpidp.runtime.McpServerProcess;
import org.mcpidp.testkit.FreePort;

/**
 * The "e2e" section: the real server jar under wrk, {@code tools/call whoami} at concurrency 16, in both protocol eras
 * ({@link ProtocolEra}: 2026-07-28 stateless requests, and 2025-11-25 requests in sessions) and five modes:
 * <ul>
 * <li>"introspect": auth on, the token introspected (then answered from the cache);</li>
 * <li>"introspect_lightweight": the same server called with Keycloak lightweight access tokens (a few claims, the
 * rest in the introspection answer): what a smaller token on the wire is worth;</li>
 * <li>"jwt": auth on, the token checked as a JWT;</li>
 * <li>"noauth": auth off (the same engine with {@code mcp.auth.enabled=false}), no {@code Authorization} header;</li>
 * <li>"noauth_header": auth off, the auth modes' {@code Authorization} header sent and ignored. The same request on the
 * wire: ratios against it leave out what the HTTP server pays to read a ~1 KB header before any auth code runs, so
 * they show the kit's own cost. The {@code *_over_noauth} lines against the token-less baseline stay the headline
 * figures.</li>
 * </ul>
 * {@code whoami} because its answer is about the same size with and without auth (the anonymous caller of auth off has
 * a subject, issuer and scopes too), so the ratios measure the auth layer.
 */
record EndToEndSection(boolean quick) {

    private static final String TOOL = "whoami";
    private static final List<String> MODES = List.of("introspect", "introspect_lightweight", "jwt", "noauth",
            "noauth_header");

    /** One measured (mode, era) cell: its best run and the errors of all its runs. */
    private record Cell(WrkLoad.Result best, long errors) {
    }

    Map<String, String> run(BenchmarkEnvironment env) throws Exception {
        Path jar = Path.of(System.getProperty("bench.serverJar", "helidon-mcp-server/target/helidon-mcp-server.jar"));
        // before anything is measured, each server is loaded in both eras (warm): else the era measured first in a
        // JVM pays for compiling the code the eras share, which in quick mode swamped its figures
        Duration warm = Duration.ofSeconds(quick ? 2 : 5);
        Duration warmup = Duration.ofSeconds(quick ? 1 : 5);
        Duration measure = Duration.ofSeconds(quick ? 3 : 20);
        Map<String, String> common = Map.of(
                "MCP_RESOURCE", BenchmarkEnvironment.RESOURCE,
                "MCP_AUTH_ISSUERS_0_URL", env.realm().issuer());
        Map<String, String> introspection = Map.of("MCP_AUTH_ISSUERS_0_MODE", "introspection",
                "MCP_AUTH_ISSUERS_0_CLIENT_ID", BenchmarkEnvironment.SERVER_CLIENT,
                "MCP_AUTH_ISSUERS_0_CLIENT_SECRET", env.serverSecret());
        // FeatureConfig accepts mcp.auth.enabled=false only with this acknowledgement in the environment
        Map<String, String> authOff = Map.of("MCP_AUTH_ISSUERS_0_MODE", "jwt",
                "MCP_AUTH_ENABLED", "false", "MCP_AUTH_DISABLED_I_KNOW", "true");
        Map<String, Map<String, String>> modes = Map.of(
                "introspect", introspection,
                "introspect_lightweight", introspection,
                "jwt", Map.of("MCP_AUTH_ISSUERS_0_MODE", "jwt",
                        "MCP_AUTH_AUDIENCES_0", BenchmarkEnvironment.RESOURCE),
                "noauth", authOff,
                "noauth_header", authOff);
        // Full mode runs every mode twice, the second round in reverse order (modes, and the eras within a server), and
        // keeps each cell's faster run: one server JVM under this load lands 20-30% slower than another in all of its
        // code alike (JIT and scheduling luck, seen in JFR profiles), which one run per mode turns into a ratio of
        // luck. One server per mode and round serves both eras (one endpoint), so each era is measured once first and
        // once second in its JVM. Errors add up over rounds.
        // a fresh token per server (a full run outlasts an access token); noauth_header sends the token to a server
        // that ignores it: the same bytes as the auth modes
        Map<String, Supplier<Optional<String>>> tokens = Map.of("introspect", () -> Optional.of(env.token()),
                "introspect_lightweight", () -> Optional.of(env.lightweightToken()),
                "jwt", () -> Optional.of(env.token()), "noauth", Optional::empty,
                "noauth_header", () -> Optional.of(env.token()));
        int rounds = quick ? 1 : 2;
        Map<ProtocolEra, Map<String, Cell>> cells = new EnumMap<>(ProtocolEra.class);
        for (int round = 1; round <= rounds; round++) {
            List<String> modeOrder = new ArrayList<>(MODES);
            List<ProtocolEra> eraOrder = new ArrayList<>(List.of(ProtocolEra.MODERN, ProtocolEra.LEGACY));
            if (round % 2 == 0) {
                Collections.reverse(modeOrder);
                Collections.reverse(eraOrder);
            }
            for (String mode : modeOrder) {
                Map<String, String> serverEnv = new HashMap<>(common);
                serverEnv.putAll(modes.get(mode));
                Map<ProtocolEra, WrkLoad.Result> measured = runServer(jar, mode, serverEnv, tokens.get(mode).get(),
                        eraOrder, warm, warmup, measure);
                for (ProtocolEra era : eraOrder) {
                    WrkLoad.Result result = measured.get(era);
                    System.out.printf(Locale.ROOT, "e2e %-6s %-22s %8.0f req/s  p50 %6d us  p99 %7d us"
                                    + "  server CPU %6.1f us/request  requests %d  errors %d%s%n", era.label(), mode,
                            result.rps(), result.p50Micros(), result.p99Micros(), result.serverCpuMicrosPerRequest(),
                            result.requests(), result.errors(), rounds > 1 ? "  (round " + round + ")" : "");
                    cells.computeIfAbsent(era, e -> new LinkedHashMap<>()).merge(mode, new Cell(result,
                            result.errors()), (kept, now) -> new Cell(now.best().rps() > kept.best().rps()
                            ? now.best() : kept.best(), kept.errors() + now.errors()));
                }
            }
        }
        return results(cells, env.token(), env.lightweightToken());
    }

    private static Map<String, String> results(Map<ProtocolEra, Map<String, Cell>> cells, String token,
                                               String lightweight) {
        Map<String, String> results = new LinkedHashMap<>();
        results.put("e2e_token_bytes", Integer.toString(token.length()));
        results.put("e2e_lightweight_token_bytes", Integer.toString(lightweight.length()));
        for (ProtocolEra era : List.of(ProtocolEra.MODERN, ProtocolEra.LEGACY)) {
            Map<String, Cell> byMode = cells.get(era);
            for (String mode : MODES) {
                Cell cell = byMode.get(mode);
                String key = era.label() + "_" + mode;
                results.put("e2e_rps_" + key, format("%.0f", cell.best().rps()));
                results.put("e2e_p50_us_" + key, Long.toString(cell.best().p50Micros()));
                results.put("e2e_p99_us_" + key, Long.toString(cell.best().p99Micros()));
                results.put("e2e_errors_" + key, Long.toString(cell.errors()));
                results.put("server_cpu_us_per_request_" + key,
                        format("%.1f", cell.best().serverCpuMicrosPerRequest()));
            }
            WrkLoad.Result introspect = byMode.get("introspect").best();
            WrkLoad.Result jwt = byMode.get("jwt").best();
            WrkLoad.Result noauth = byMode.get("noauth").best();
            // "auth" is the server's default mode (introspection); the JWT mode has its own line
            results.put("e2e_" + era.label() + "_auth_over_noauth", format("%.2f", introspect.rps() / noauth.rps()));
            results.put("e2e_" + era.label() + "_jwt_over_noauth", format("%.2f", jwt.rps() / noauth.rps()));
            results.put("e2e_cpu_" + era.label() + "_auth_over_noauth", format("%.2f",
                    introspect.serverCpuMicrosPerRequest() / noauth.serverCpuMicrosPerRequest()));
            results.put("e2e_cpu_" + era.label() + "_jwt_over_noauth", format("%.2f",
                    jwt.serverCpuMicrosPerRequest() / noauth.serverCpuMicrosPerRequest()));
            WrkLoad.Result lightweightIntrospect = byMode.get("introspect_lightweight").best();
            results.put("e2e_" + era.label() + "_lightweight_over_noauth", format("%.2f",
                    lightweightIntrospect.rps() / noauth.rps()));
            results.put("e2e_cpu_" + era.label() + "_lightweight_over_noauth", format("%.2f",
                    lightweightIntrospect.serverCpuMicrosPerRequest() / noauth.serverCpuMicrosPerRequest()));
            WrkLoad.Result sameRequest = byMode.get("noauth_header").best();
            results.put("e2e_" + era.label() + "_auth_over_noauth_header", format("%.2f",
                    introspect.rps() / sameRequest.rps()));
            results.put("e2e_" + era.label() + "_jwt_over_noauth_header", format("%.2f",
                    jwt.rps() / sameRequest.rps()));
            results.put("e2e_cpu_" + era.label() + "_auth_over_noauth_header", format("%.2f",
                    introspect.serverCpuMicrosPerRequest() / sameRequest.serverCpuMicrosPerRequest()));
            results.put("e2e_cpu_" + era.label() + "_jwt_over_noauth_header", format("%.2f",
                    jwt.serverCpuMicrosPerRequest() / sameRequest.serverCpuMicrosPerRequest()));
        }
        return results;
    }

    /** One server in {@code mode}: warmed in both eras, then measured in each era in turn. */
    private static Map<ProtocolEra, WrkLoad.Result> runServer(Path jar, String mode, Map<String, String> serverEnv,
                                                              Optional<String> token, List<ProtocolEra> eras,
                                                              Duration warm, Duration warmup, Duration measure)
            throws Exception {
        Path log = Path.of("benchmarks", "target", "server-" + mode + ".log");
        Files.deleteIfExists(log);
        // e.g. -Dbench.serverJvmArgs=-XX:StartFlightRecording=filename=server.jfr to profile the server under load
        List<String> jvmArgs = new ArrayList<>(List.of("-Xmx512m"));
        String extra = System.getProperty("bench.serverJvmArgs", "").strip();
        if (!extra.isEmpty()) {
            jvmArgs.addAll(List.of(extra.split("\\s+")));
        }
        Map<ProtocolEra, WrkLoad.Result> measured = new EnumMap<>(ProtocolEra.class);
        try (McpServerProcess server = McpServerProcess.start(jar, jvmArgs, serverEnv, FreePort.find(), log,
                Duration.ofSeconds(60), waited -> { })) {
            for (ProtocolEra era : eras) {
                WrkLoad.warm(server.mcpUrl(), era, token, TOOL, 16, warm);
            }
            for (ProtocolEra era : eras) {
                measured.put(era, WrkLoad.run(server, era, token, TOOL, 16, warmup, measure));
            }
        }
        return measured;
    }

    private static String format(String pattern, double value) {
        return String.format(Locale.ROOT, pattern, value);
    }
}

package org.mcpidp.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mcpidp.runtime.McpServerProcess;
import org.mcpidp.testkit.FreePort;

/**
 * The "e2e" section: the real server jar under wrk per auth mode (introspection, JWT, auth off), in full mode twice.
 */
record EndToEndSection(boolean quick) {

    /** tools/call list_products at concurrency 16 against the real server: introspection, JWT, and auth off. */
    Map<String, String> run(BenchmarkEnvironment env) throws Exception {
        Path jar = Path.of(System.getProperty("bench.serverJar", "helidon-mcp-server/target/helidon-mcp-server.jar"));
        Duration warmup = Duration.ofSeconds(quick ? 2 : 5);
        Duration measure = Duration.ofSeconds(quick ? 4 : 20);
        Map<String, String> common = Map.of(
                "MCP_RESOURCE", BenchmarkEnvironment.RESOURCE,
                "MCP_AUTH_ISSUERS_0_URL", env.realm().issuer());
        Map<String, String> introspection = Map.of(
                "MCP_AUTH_ISSUERS_0_MODE", "introspection",
                "MCP_AUTH_ISSUERS_0_CLIENT_ID", BenchmarkEnvironment.SERVER_CLIENT,
                "MCP_AUTH_ISSUERS_0_CLIENT_SECRET", env.serverSecret());
        Map<String, Map<String, String>> modes = new LinkedHashMap<>();
        modes.put("auth_introspect", introspection);
        modes.put("auth_jwt", Map.of("MCP_AUTH_ISSUERS_0_MODE", "jwt",
                "MCP_AUTH_AUDIENCES_0", BenchmarkEnvironment.RESOURCE));
        modes.put("noauth", Map.of("MCP_AUTH_ISSUERS_0_MODE", "jwt",
                "MCP_AUTH_ENABLED", "false", "MCP_AUTH_DISABLED_I_KNOW", "true"));
        // Full mode runs every mode twice, the second round in reverse order, and keeps each mode's faster run: one
        // server JVM under this load lands 20-30% slower than another in all of its code alike (JIT and scheduling
        // luck, seen in JFR profiles), which one run per mode turns into a ratio of luck. Errors add up over rounds.
        int rounds = quick ? 1 : 2;
        Map<String, WrkLoad.Result> measured = new LinkedHashMap<>();
        Map<String, Long> errors = new HashMap<>();
        modes.keySet().forEach(mode -> measured.put(mode, null));
        for (int round = 1; round <= rounds; round++) {
            List<String> order = new ArrayList<>(modes.keySet());
            if (round % 2 == 0) {
                java.util.Collections.reverse(order);
            }
            for (String mode : order) {
                Map<String, String> serverEnv = new HashMap<>(common);
                serverEnv.putAll(modes.get(mode));
                WrkLoad.Result result = runOnce(jar, env, mode, serverEnv, warmup, measure);
                System.out.printf("e2e %-16s %8.0f req/s  p50 %6d us  p99 %7d us  server CPU %5.1f us/request  requests %d  errors %d%s%n",
                        mode, result.rps(), result.p50Micros(), result.p99Micros(),
                        result.serverCpuMicrosPerRequest(), result.requests(), result.errors(),
                        rounds > 1 ? "  (round " + round + ")" : "");
                errors.merge(mode, result.errors(), Long::sum);
                if (measured.get(mode) == null || result.rps() > measured.get(mode).rps()) {
                    measured.put(mode, result);
                }
            }
        }
        Map<String, String> results = new LinkedHashMap<>();
        for (Map.Entry<String, WrkLoad.Result> entry : measured.entrySet()) {
            results.put("e2e_rps_" + entry.getKey(), String.format("%.0f", entry.getValue().rps()));
        }
        for (Map.Entry<String, WrkLoad.Result> entry : measured.entrySet()) {
            results.put("e2e_p50_us_" + entry.getKey(), Long.toString(entry.getValue().p50Micros()));
            results.put("e2e_p99_us_" + entry.getKey(), Long.toString(entry.getValue().p99Micros()));
            results.put("e2e_errors_" + entry.getKey(), Long.toString(errors.get(entry.getKey())));
            results.put("e2e_server_cpu_us_per_req_" + entry.getKey(),
                    String.format("%.1f", entry.getValue().serverCpuMicrosPerRequest()));
        }
        results.put("e2e_auth_over_noauth", String.format("%.2f",
                measured.get("auth_introspect").rps() / measured.get("noauth").rps()));
        results.put("e2e_jwt_over_noauth", String.format("%.2f",
                measured.get("auth_jwt").rps() / measured.get("noauth").rps()));
        // the second goal: server CPU per request with auth within 1.1x of without
        results.put("e2e_cpu_auth_over_noauth", String.format("%.2f",
                measured.get("auth_introspect").serverCpuMicrosPerRequest()
                        / measured.get("noauth").serverCpuMicrosPerRequest()));
        return results;
    }

    private static WrkLoad.Result runOnce(Path jar, BenchmarkEnvironment env, String mode, Map<String, String> serverEnv,
                                          Duration warmup, Duration measure) throws Exception {
        Path log = Path.of("benchmarks", "target", "server-" + mode + ".log");
        Files.deleteIfExists(log);
        // e.g. -Dbench.serverJvmArgs=-XX:StartFlightRecording=filename=server.jfr to profile the server under load
        List<String> jvmArgs = new ArrayList<>(List.of("-Xmx512m"));
        String extra = System.getProperty("bench.serverJvmArgs", "").strip();
        if (!extra.isEmpty()) {
            jvmArgs.addAll(List.of(extra.split("\\s+")));
        }
        try (McpServerProcess server = McpServerProcess.start(jar, jvmArgs, serverEnv, FreePort.find(), log,
                Duration.ofSeconds(60), waited -> { })) {
            Optional<String> token = mode.equals("noauth") ? Optional.empty() : Optional.of(env.token());
            return WrkLoad.run(server, token, 16, warmup, measure, Path.of("benchmarks", "target"));
        }
    }
}

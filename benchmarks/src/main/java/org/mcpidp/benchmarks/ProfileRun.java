package org.mcpidp.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.mcpidp.runtime.McpServerProcess;
import org.mcpidp.testkit.FreePort;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Where a request's time goes: the demo server jar, against a real Keycloak, with authentication (introspection,
 * then JWT) and without, each under wrk load ({@code tools/call whoami}) in both protocol eras. Every mode runs
 * {@code --rounds} times, every other round in reverse order (modes and eras), and prints req/s and the server's
 * CPU per request; with {@code --jfr} each server records JFR (CPU-time and allocation samples) and the samples of
 * each era's measured window are grouped by stage ({@link JfrStages}) into a Markdown table. {@code benchmarks/profile/run.sh}
 * builds and runs it.
 */
@Command(name = "benchmarks/profile/run.sh", mixinStandardHelpOptions = true,
        description = "Profiles the demo server with and without auth, per protocol era, under wrk load.")
public final class ProfileRun implements Callable<Integer> {

    static final List<String> MODES = List.of("auth_introspect", "auth_jwt", "noauth");

    @Option(names = "--seconds", description = "measured seconds per era and mode (default ${DEFAULT-VALUE})")
    int seconds = 30;

    @Option(names = "--warmup", description = "warm-up seconds per era and mode (default ${DEFAULT-VALUE})")
    int warmup = 10;

    @Option(names = "--rounds", description = "rounds; even rounds run in reverse order (default ${DEFAULT-VALUE})")
    int rounds = 2;

    @Option(names = "--connections", description = "wrk connections (default ${DEFAULT-VALUE})")
    int connections = 16;

    @Option(names = "--modes", split = ",", description = "auth_introspect, auth_jwt, noauth (default: all)")
    List<String> modes = MODES;

    @Option(names = "--eras", split = ",", description = "modern, legacy (default: both)")
    List<EraLoad.Era> eras = List.of(EraLoad.Era.MODERN, EraLoad.Era.LEGACY);

    @Option(names = "--reverse", description = "run the first round in reverse order (to alternate across runs)")
    boolean reverse;

    @Option(names = "--jfr", description = "record JFR in every server and print the stage tables")
    boolean jfr;

    @Option(names = "--label", description = "names the output files (default ${DEFAULT-VALUE})")
    String label = "run";

    @Option(names = "--server-jar", description = "default ${DEFAULT-VALUE}")
    Path serverJar = Path.of("helidon-mcp-server", "target", "helidon-mcp-server.jar");

    @Option(names = "--out", description = "where recordings, logs and tables go (default ${DEFAULT-VALUE})")
    Path out = Path.of("benchmarks", "target", "profile");

    /** One measured window: a mode, an era, a round. */
    record Measured(String mode, EraLoad.Era era, int round, EraLoad.Result load, Duration serverCpu,
                    Instant from, Instant to) {
        double cpuMicrosPerRequest() {
            return serverCpu.toNanos() / 1e3 / Math.max(1, load.requests());
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ProfileRun()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (!MODES.containsAll(modes)) {
            throw new IllegalArgumentException("unknown mode in " + modes + "; choose from " + MODES);
        }
        Files.createDirectories(out);
        System.out.println("load before the run: " + Files.readString(Path.of("/proc/loadavg")).strip());
        BenchmarkEnvironment env = BenchmarkEnvironment.create();
        List<Measured> measured = new ArrayList<>();
        Map<String, Path> recordings = new HashMap<>();
        for (int round = 1; round <= rounds; round++) {
            List<String> modeOrder = new ArrayList<>(modes);
            List<EraLoad.Era> eraOrder = new ArrayList<>(eras);
            if ((round + (reverse ? 1 : 0)) % 2 == 0) {
                java.util.Collections.reverse(modeOrder);
                java.util.Collections.reverse(eraOrder);
            }
            for (String mode : modeOrder) {
                Path recording = out.resolve(label + "-" + mode + "-r" + round + ".jfr");
                recordings.put(mode + "/" + round, recording);
                measured.addAll(runMode(env, mode, round, eraOrder, recording));
            }
        }
        env.realm().close();
        System.out.println("load after the run: " + Files.readString(Path.of("/proc/loadavg")).strip());
        report(measured, recordings);
        return 0;
    }

    private List<Measured> runMode(BenchmarkEnvironment env, String mode, int round, List<EraLoad.Era> eraOrder,
                                   Path recording) throws Exception {
        Map<String, String> serverEnv = new HashMap<>(Map.of(
                "MCP_RESOURCE", BenchmarkEnvironment.RESOURCE,
                "MCP_AUTH_ISSUERS_0_URL", env.realm().issuer()));
        serverEnv.putAll(switch (mode) {
            case "auth_introspect" -> Map.of("MCP_AUTH_ISSUERS_0_MODE", "introspection",
                    "MCP_AUTH_ISSUERS_0_CLIENT_ID", BenchmarkEnvironment.SERVER_CLIENT,
                    "MCP_AUTH_ISSUERS_0_CLIENT_SECRET", env.serverSecret());
            case "auth_jwt" -> Map.of("MCP_AUTH_ISSUERS_0_MODE", "jwt",
                    "MCP_AUTH_AUDIENCES_0", BenchmarkEnvironment.RESOURCE);
            default -> Map.of("MCP_AUTH_ISSUERS_0_MODE", "jwt",
                    "MCP_AUTH_ENABLED", "false", "MCP_AUTH_DISABLED_I_KNOW", "true");
        });
        List<String> jvmArgs = new ArrayList<>(List.of("-Xmx512m"));
        if (jfr) {
            Files.deleteIfExists(recording);
            jvmArgs.add("-XX:FlightRecorderOptions:stackdepth=256");
            jvmArgs.add("-XX:StartFlightRecording:filename=" + recording.toAbsolutePath() + ",dumponexit=true,settings=profile,"
                    + "jdk.CPUTimeSample#enabled=true,jdk.CPUTimeSample#throttle=2ms");
        }
        Path log = out.resolve(label + "-server-" + mode + "-r" + round + ".log");
        Files.deleteIfExists(log);
        List<Measured> results = new ArrayList<>();
        try (McpServerProcess server = McpServerProcess.start(serverJar, jvmArgs, serverEnv, FreePort.find(), log,
                Duration.ofSeconds(90), waited -> { })) {
            Optional<String> token = mode.equals("noauth") ? Optional.empty() : Optional.of(env.token());
            List<EraLoad> loads = new ArrayList<>();
            try {
                for (EraLoad.Era era : eraOrder) {
                    loads.add(EraLoad.prepare(server.mcpUrl(), token, era, connections, out));
                }
                // every era warms up before any is measured: the JIT compiles both paths, so neither era measures a
                // colder JVM than the other (measured first without this, an era ran up to 2x slower)
                for (EraLoad load : loads) {
                    load.run(Duration.ofSeconds(warmup));
                }
                for (EraLoad load : loads) {
                    Duration cpuBefore = server.cpuTime();
                    Instant from = Instant.now();
                    EraLoad.Result result = load.run(Duration.ofSeconds(seconds));
                    Instant to = Instant.now();
                    Measured one = new Measured(mode, load.era(), round, result, server.cpuTime().minus(cpuBefore),
                            from, to);
                    results.add(one);
                    System.out.printf(Locale.ROOT, "%-16s %-6s round %d  %8.0f req/s  server CPU %6.1f us/request  "
                                    + "p50 %5d us  p99 %6d us  requests %d  errors %d  (load %s)%n", mode,
                            load.era().label(), round, result.rps(), one.cpuMicrosPerRequest(), result.p50Micros(),
                            result.p99Micros(), result.requests(), result.errors(),
                            Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
                }
            } finally {
                for (EraLoad load : loads) {
                    load.close();
                }
            }
        }
        return results;
    }

    private void report(List<Measured> measured, Map<String, Path> recordings) throws Exception {
        Map<String, String> results = new LinkedHashMap<>();
        Map<String, Measured> best = new LinkedHashMap<>();
        for (Measured one : measured) {
            best.merge(one.era().label() + "_" + one.mode(), one, (a, b) -> a.load().rps() >= b.load().rps() ? a : b);
        }
        best.forEach((key, one) -> {
            results.put("profile_rps_" + key, String.format(Locale.ROOT, "%.0f", one.load().rps()));
            results.put("profile_cpu_us_" + key, String.format(Locale.ROOT, "%.1f", one.cpuMicrosPerRequest()));
            results.put("profile_errors_" + key, Long.toString(measured.stream()
                    .filter(m -> (m.era().label() + "_" + m.mode()).equals(key))
                    .mapToLong(m -> m.load().errors()).sum()));
        });
        for (EraLoad.Era era : eras) {
            Measured noauth = best.get(era.label() + "_noauth");
            for (String mode : List.of("auth_introspect", "auth_jwt")) {
                Measured auth = best.get(era.label() + "_" + mode);
                if (noauth != null && auth != null) {
                    String kind = mode.equals("auth_jwt") ? "jwt" : "introspect";
                    results.put("profile_" + era.label() + "_" + kind + "_over_noauth", String.format(Locale.ROOT,
                            "%.2f", auth.load().rps() / noauth.load().rps()));
                    results.put("profile_" + era.label() + "_" + kind + "_cpu_over_noauth", String.format(
                            Locale.ROOT, "%.2f", auth.cpuMicrosPerRequest() / noauth.cpuMicrosPerRequest()));
                }
            }
        }
        if (jfr) {
            StringBuilder markdown = new StringBuilder();
            for (EraLoad.Era era : eras) {
                Map<String, StageTable.Column> columns = new LinkedHashMap<>();
                for (String mode : modes) {
                    // the first round's window of this mode and era (the profile run is usually one round)
                    Measured one = measured.stream().filter(m -> m.mode().equals(mode) && m.era() == era)
                            .findFirst().orElseThrow();
                    JfrStages.Profile profile = JfrStages.read(recordings.get(mode + "/" + one.round()),
                            one.from(), one.to());
                    columns.put(mode, new StageTable.Column(profile, one));
                }
                markdown.append(StageTable.markdown(era, columns)).append('\n');
            }
            Path table = out.resolve(label + "-stages.md");
            Files.writeString(table, markdown);
            System.out.println();
            System.out.println(markdown);
            System.out.println("stage tables written to " + table);
        }
        System.out.println();
        results.forEach((name, value) -> System.out.println("RESULT " + name + "=" + value));
    }
}

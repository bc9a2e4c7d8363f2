package org.mcpidp.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import okhttp3.OkHttpClient;
import org.mcpidp.runtime.McpServerProcess;
import org.mcpidp.testkit.FreePort;
import org.mcpidp.testkit.IntrospectionCounter;
import org.mcpidp.verifier.AccessPolicy;
import org.mcpidp.verifier.TokenVerifier;
import org.mcpidp.verifier.TrustedIssuer;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Runs every benchmark against one real Keycloak and prints {@code RESULT name=value} lines at the end. Targets are
 * ratios of measurements taken in this run (absolute numbers on a 2-core machine are noisy). {@code --quick} is for
 * CI (the benchmarks must not rot), the default full mode for measurements.
 */
public final class RunBenchmarks {

    private static final List<String> SECTIONS = List.of("jmh", "stampede", "offload", "e2e", "downstream",
            "cluster", "provisioning");

    private final boolean quick;
    private final List<String> sections;
    private final Map<String, String> results = new LinkedHashMap<>();

    private RunBenchmarks(boolean quick, List<String> sections) {
        this.quick = quick;
        this.sections = sections;
    }

    /** The command line: {@code [--quick] [--only=jmh,stampede,offload,e2e,downstream,cluster,provisioning]}. */
    @Command(name = "run.sh",
            description = "Runs every benchmark against one real Keycloak and prints RESULT lines at the end.")
    static final class Options implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
        boolean help;

        @Option(names = "--quick", description = "quick mode (CI: proves the benchmarks still run)")
        boolean quick;

        @Option(names = "--only", split = ",", paramLabel = "SECTION",
                description = "only these sections: jmh, stampede, offload, e2e, downstream, cluster, provisioning")
        List<String> only = SECTIONS;

        @Override
        public Integer call() throws Exception {
            if (!SECTIONS.containsAll(only)) {
                throw new ParameterException(spec.commandLine(),
                        "unknown section in --only=" + String.join(",", only) + "; choose from " + SECTIONS);
            }
            new RunBenchmarks(quick, List.copyOf(only)).run();
            return 0;
        }
    }

    public static void main(String[] args) {
        // exit code 2 on bad arguments (picocli's usage code), as before; System.exit also ends JMH's helper threads
        System.exit(new CommandLine(new Options()).execute(args));
    }

    private void run() throws Exception {
        BenchmarkEnvironment env = BenchmarkEnvironment.create();
        System.out.println("Keycloak " + env.realm().issuer() + (quick ? " (quick mode)" : " (full mode)"));
        if (sections.contains("jmh")) {
            verifierBenchmarks(env);
        }
        if (sections.contains("stampede")) {
            stampede(env);
        }
        if (sections.contains("offload")) {
            offload(env);
        }
        if (sections.contains("e2e")) {
            endToEnd(env);
        }
        if (sections.contains("downstream")) {
            results.putAll(DownstreamBenchmark.run(env, quick));
        }
        if (sections.contains("cluster")) {
            // three instances behind HAProxy, sessionful then stateless (ClusterRun); fails on a broken invariant
            results.putAll(new ClusterRun(quick, Path.of(System.getProperty("bench.serverJar",
                    "helidon-mcp-server/target/helidon-mcp-server.jar"))).run(env.realm(), env.serverSecret()));
        }
        if (sections.contains("provisioning")) {
            provisioning();
        }
        env.realm().close();
        System.out.println();
        results.forEach((name, value) -> System.out.println("RESULT " + name + "=" + value));
    }

    private void verifierBenchmarks(BenchmarkEnvironment env) throws Exception {
        Path secrets = Path.of("benchmarks", "target", "bench-secrets.properties").toAbsolutePath();
        java.nio.file.Files.deleteIfExists(secrets);
        java.nio.file.Files.createFile(secrets, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        java.util.Properties values = new java.util.Properties();
        values.setProperty("serverSecret", env.serverSecret());
        values.setProperty("token", env.token());
        try (var out = java.nio.file.Files.newOutputStream(secrets)) {
            values.store(out, null);
        }
        try {
            runJmh(env, secrets);
        } finally {
            java.nio.file.Files.deleteIfExists(secrets);
        }
    }

    private void runJmh(BenchmarkEnvironment env, Path secrets) throws Exception {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(VerifierBenchmarks.class.getName())
                .forks(1)
                .threads(1)
                // JMH prints the forked JVM's options: the token and the secret travel in a 0600 file instead.
                .jvmArgsAppend("-Dbench.issuer=" + env.realm().issuer(),
                        "-Dbench.secrets=" + secrets,
                        "-Xmx512m")
                .warmupIterations(quick ? 1 : 3)
                .warmupTime(TimeValue.seconds(quick ? 1 : 3))
                .measurementIterations(quick ? 2 : 5)
                .measurementTime(TimeValue.seconds(quick ? 1 : 3));
        Collection<RunResult> runs = new Runner(options.build()).run();
        Map<String, Double> p50 = new LinkedHashMap<>();
        for (RunResult run : runs) {
            String name = run.getParams().getBenchmark();
            p50.put(name.substring(name.lastIndexOf('.') + 1), run.getPrimaryResult().getStatistics().getPercentile(50));
        }
        double cached = p50.get("a_cachedIntrospection");
        double roundTrip = p50.get("b_introspectionRoundTrip");
        results.put("cached_verify_ns", Long.toString(Math.round(cached)));
        results.put("introspection_roundtrip_ns", Long.toString(Math.round(roundTrip)));
        results.put("cached_over_introspection", String.format("%.0f", roundTrip / cached));
        results.put("jwt_uncached_ns", Long.toString(Math.round(p50.get("c_jwtUncached"))));
        results.put("jwt_cached_ns", Long.toString(Math.round(p50.get("d_jwtCached"))));
        results.put("raw_nimbus_ns", Long.toString(Math.round(p50.get("e_rawNimbusJwt"))));
        results.put("jwt_policy_overhead", String.format("%.2f", p50.get("c_jwtUncached") / p50.get("e_rawNimbusJwt")));
    }

    /** tools/call list_products at concurrency 16 against the real server: introspection, JWT, and auth off. */
    private void endToEnd(BenchmarkEnvironment env) throws Exception {
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
        Map<String, WrkLoad.Result> measured = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, String>> mode : modes.entrySet()) {
            Map<String, String> serverEnv = new java.util.HashMap<>(common);
            serverEnv.putAll(mode.getValue());
            Path log = Path.of("benchmarks", "target", "server-" + mode.getKey() + ".log");
            java.nio.file.Files.deleteIfExists(log);
            // e.g. -Dbench.serverJvmArgs=-XX:StartFlightRecording=filename=server.jfr to profile the server under load
            List<String> jvmArgs = new ArrayList<>(List.of("-Xmx512m"));
            String extra = System.getProperty("bench.serverJvmArgs", "").strip();
            if (!extra.isEmpty()) {
                jvmArgs.addAll(List.of(extra.split("\\s+")));
            }
            try (McpServerProcess server = McpServerProcess.start(jar, jvmArgs, serverEnv, FreePort.find(), log,
                    Duration.ofSeconds(60), waited -> { })) {
                Optional<String> token = mode.getKey().equals("noauth") ? Optional.empty() : Optional.of(env.token());
                WrkLoad.Result result = WrkLoad.run(server, token, 16, warmup, measure,
                        Path.of("benchmarks", "target"));
                measured.put(mode.getKey(), result);
                System.out.printf("e2e %-16s %8.0f req/s  p50 %6d us  p99 %7d us  server CPU %5.1f us/request  requests %d  errors %d%n",
                        mode.getKey(), result.rps(), result.p50Micros(), result.p99Micros(),
                        result.serverCpuMicrosPerRequest(), result.requests(), result.errors());
            }
        }
        for (Map.Entry<String, WrkLoad.Result> entry : measured.entrySet()) {
            results.put("e2e_rps_" + entry.getKey(), String.format("%.0f", entry.getValue().rps()));
        }
        for (Map.Entry<String, WrkLoad.Result> entry : measured.entrySet()) {
            results.put("e2e_p50_us_" + entry.getKey(), Long.toString(entry.getValue().p50Micros()));
            results.put("e2e_p99_us_" + entry.getKey(), Long.toString(entry.getValue().p99Micros()));
            results.put("e2e_errors_" + entry.getKey(), Long.toString(entry.getValue().errors()));
            results.put("e2e_server_cpu_us_per_req_" + entry.getKey(),
                    String.format("%.1f", entry.getValue().serverCpuMicrosPerRequest()));
        }
        results.put("e2e_auth_over_noauth", String.format("%.2f",
                measured.get("auth_introspect").rps() / measured.get("noauth").rps()));
        results.put("e2e_jwt_over_noauth", String.format("%.2f",
                measured.get("auth_jwt").rps() / measured.get("noauth").rps()));
    }

    private void provisioning() throws Exception {
        ProvisioningRun.Result result = ProvisioningRun.run(Path.of("realm-exports", "demo-tenant.yaml"));
        results.put("provision_apply_ms", Long.toString(result.applyMillis()));
        results.put("provision_reapply_ms", Long.toString(result.reapplyMillis()));
        results.put("provision_reapply_writes", Long.toString(result.reapplyWrites()));
        results.put("provision_10_tenants_ms", Long.toString(result.tenTenantsMillis()));
    }

    /** 500 concurrent verifications of one cold token: how many introspections reach Keycloak. */
    private void stampede(BenchmarkEnvironment env) throws Exception {
        IntrospectionCounter introspections = new IntrospectionCounter();
        TokenVerifier verifier = countingVerifier(env, introspections);
        String token = env.token();
        int callers = 500;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < callers; i++) {
                done.add(pool.submit(() -> {
                    go.await();
                    return verifier.verify(token);
                }));
            }
            go.countDown();
            for (Future<?> future : done) {
                future.get(60, TimeUnit.SECONDS);
            }
        }
        results.put("stampede_introspections", Integer.toString(introspections.count()));
    }

    /** 16 clients, 10 distinct tokens, a fixed time: IdP calls versus requests served. */
    private void offload(BenchmarkEnvironment env) throws Exception {
        IntrospectionCounter introspections = new IntrospectionCounter();
        TokenVerifier verifier = countingVerifier(env, introspections);
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            tokens.add(env.token());
        }
        Duration duration = Duration.ofSeconds(quick ? 5 : 30);
        LongAdder served = new LongAdder();
        LongAdder failed = new LongAdder();
        long end = System.nanoTime() + duration.toNanos();
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            for (int client = 0; client < 16; client++) {
                int offset = client;
                pool.submit(() -> {
                    int i = offset;
                    while (System.nanoTime() < end) {
                        try {
                            verifier.verify(tokens.get(i++ % tokens.size()));
                            served.increment();
                        } catch (Exception e) {
                            failed.increment();
                        }
                    }
                });
            }
        }
        results.put("offload_introspections", Integer.toString(introspections.count()));
        results.put("offload_requests", Long.toString(served.sum()));
        results.put("offload_failed", Long.toString(failed.sum()));
    }

    private static TokenVerifier countingVerifier(BenchmarkEnvironment env, IntrospectionCounter introspections) {
        OkHttpClient counting = introspections.client();
        TokenVerifier verifier = TokenVerifier.builder()
                .policy(AccessPolicy.builder().audiences(BenchmarkEnvironment.RESOURCE, BenchmarkEnvironment.SERVER_CLIENT).build())
                .issuer(TrustedIssuer.introspection(env.realm().issuer(), BenchmarkEnvironment.SERVER_CLIENT, env.serverSecret()).build())
                .httpClient(counting)
                .build();
        if (!verifier.ready()) {
            throw new IllegalStateException("verifier not ready: Keycloak metadata not loaded");
        }
        return verifier;
    }
}

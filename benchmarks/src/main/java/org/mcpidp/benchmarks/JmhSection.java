package org.mcpidp.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The "jmh" section: the verifier's cached and uncached paths and raw Nimbus in JMH ({@link VerifierBenchmarks}),
 * the token and the server secret handed to the forked JVM in a 0600 file, never on its command line.
 */
record JmhSection(boolean quick) {

    /** The RESULT values by name, in the order printed. */
    Map<String, String> run(BenchmarkEnvironment env) throws Exception {
        Path secrets = Path.of("benchmarks", "target", "bench-secrets.properties").toAbsolutePath();
        Files.deleteIfExists(secrets);
        Files.createFile(secrets, PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------")));
        Properties values = new Properties();
        values.setProperty("serverSecret", env.serverSecret());
        values.setProperty("token", env.token());
        try (var out = Files.newOutputStream(secrets)) {
            values.store(out, null);
        }
        try {
            return runJmh(env, secrets);
        } finally {
            Files.deleteIfExists(secrets);
        }
    }

    private Map<String, String> runJmh(BenchmarkEnvironment env, Path secrets) throws Exception {
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
        Map<String, String> results = new LinkedHashMap<>();
        double cached = p50.get("a_cachedIntrospection");
        double roundTrip = p50.get("e_introspectionRoundTrip");
        results.put("cached_verify_ns", Long.toString(Math.round(cached)));
        results.put("introspection_roundtrip_ns", Long.toString(Math.round(roundTrip)));
        results.put("cached_over_introspection", String.format("%.0f", roundTrip / cached));
        results.put("jwt_uncached_ns", Long.toString(Math.round(p50.get("b_jwtUncached"))));
        results.put("jwt_cached_ns", Long.toString(Math.round(p50.get("d_jwtCached"))));
        results.put("raw_nimbus_ns", Long.toString(Math.round(p50.get("c_rawNimbusJwt"))));
        results.put("jwt_policy_overhead", String.format("%.2f", p50.get("b_jwtUncached") / p50.get("c_rawNimbusJwt")));
        return results;
    }
}

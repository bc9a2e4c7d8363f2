package org.mcpidp.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import okhttp3.OkHttpClient;
import org.mcpidp.verifier.AccessPolicy;
import org.mcpidp.verifier.TokenVerifier;
import org.mcpidp.verifier.TrustedIssuer;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every benchmark against one real Keycloak and prints {@code RESULT name=value} lines at the end. Targets are
 * ratios of measurements taken in this run (absolute numbers on a 2-core machine are noisy). {@code --quick} is for
 * CI (the benchmarks must not rot), the default full mode for measurements.
 */
public final class RunBenchmarks {

    private final boolean quick;
    private final Map<String, String> results = new LinkedHashMap<>();

    private RunBenchmarks(boolean quick) {
        this.quick = quick;
    }

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        new RunBenchmarks(quick).run();
        System.exit(0);
    }

    private void run() throws Exception {
        BenchmarkEnvironment env = BenchmarkEnvironment.create();
        System.out.println("Keycloak " + env.realm().issuer() + (quick ? " (quick mode)" : " (full mode)"));
        verifierBenchmarks(env);
        stampede(env);
        offload(env);
        System.out.println();
        results.forEach((name, value) -> System.out.println("RESULT " + name + "=" + value));
    }

    private void verifierBenchmarks(BenchmarkEnvironment env) throws Exception {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(VerifierBenchmarks.class.getName())
                .forks(1)
                .threads(1)
                .jvmArgsAppend("-Dbench.issuer=" + env.realm().issuer(),
                        "-Dbench.serverSecret=" + env.serverSecret(),
                        "-Dbench.token=" + env.token(),
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

    /** 500 concurrent verifications of one cold token: how many introspections reach Keycloak. */
    private void stampede(BenchmarkEnvironment env) throws Exception {
        AtomicInteger introspections = new AtomicInteger();
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
        results.put("stampede_introspections", Integer.toString(introspections.get()));
    }

    /** 16 clients, 10 distinct tokens, a fixed time: IdP calls versus requests served. */
    private void offload(BenchmarkEnvironment env) throws Exception {
        AtomicInteger introspections = new AtomicInteger();
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
        results.put("offload_introspections", Integer.toString(introspections.get()));
        results.put("offload_requests", Long.toString(served.sum()));
        results.put("offload_failed", Long.toString(failed.sum()));
    }

    private static TokenVerifier countingVerifier(BenchmarkEnvironment env, AtomicInteger introspections) {
        OkHttpClient counting = new OkHttpClient.Builder()
                .addNetworkInterceptor(chain -> {
                    if (chain.request().url().encodedPath().endsWith("/token/introspect")) {
                        introspections.incrementAndGet();
                    }
                    return chain.proceed(chain.request());
                })
                .build();
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

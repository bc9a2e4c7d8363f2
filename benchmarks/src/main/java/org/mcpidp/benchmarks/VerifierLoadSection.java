package org.mcpidp.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import okhttp3.OkHttpClient;
import org.mcpidp.testkit.IntrospectionCounter;
import org.mcpidp.testkit.Stampede;
import org.mcpidp.verifier.AccessPolicy;
import org.mcpidp.verifier.TokenVerifier;
import org.mcpidp.verifier.TrustedIssuer;

/**
 * The "stampede" and "offload" sections: the verifier in-process against the real Keycloak, its introspections
 * counted on the wire ({@link IntrospectionCounter}).
 */
record VerifierLoadSection(boolean quick) {

    /** 500 concurrent verifications of one cold token: how many introspections reach Keycloak. */
    Map<String, String> stampede(BenchmarkEnvironment env) throws Exception {
        IntrospectionCounter introspections = new IntrospectionCounter();
        TokenVerifier verifier = countingVerifier(env, introspections);
        String token = env.token();
        int callers = 500;
        Stampede.run(callers, () -> verifier.verify(token), Duration.ofSeconds(60));
        return Map.of("stampede_introspections", Integer.toString(introspections.count()));
    }

    /** 16 clients, 10 distinct tokens, a fixed time: IdP calls versus requests served. */
    Map<String, String> offload(BenchmarkEnvironment env) throws Exception {
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
        Map<String, String> results = new LinkedHashMap<>();
        results.put("offload_introspections", Integer.toString(introspections.count()));
        results.put("offload_requests", Long.toString(served.sum()));
        results.put("offload_failed", Long.toString(failed.sum()));
        return results;
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

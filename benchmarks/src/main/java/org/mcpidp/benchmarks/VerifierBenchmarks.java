package org.mcpidp.benchmarks;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.mcpidp.verifier.AccessPolicy;
import org.mcpidp.verifier.AuthInfo;
import org.mcpidp.verifier.CacheSettings;
import org.mcpidp.verifier.TokenVerifier;
import org.mcpidp.verifier.TrustedIssuer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * (a) cached verification of an introspected token, (b) uncached JWT verification, (c) raw Nimbus
 * DefaultJWTProcessor on the same token, (d) cached JWT outcome, (e) one uncached introspection round trip to
 * Keycloak.
 * The issuer comes in as a system property, the token and the server's secret in a 0600 file (JMH prints the forked
 * JVM's options, so nothing secret may be an option), both set up by {@link RunBenchmarks}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class VerifierBenchmarks {

    private String token;
    private TokenVerifier introspectCached;
    private TokenVerifier introspectUncached;
    private TokenVerifier jwtUncached;
    private TokenVerifier jwtCached;
    private DefaultJWTProcessor<SecurityContext> rawNimbus;

    @Setup
    public void setUp() throws Exception {
        String issuer = System.getProperty("bench.issuer");
        java.util.Properties secrets = new java.util.Properties();
        try (var in = java.nio.file.Files.newInputStream(java.nio.file.Path.of(System.getProperty("bench.secrets")))) {
            secrets.load(in);
        }
        String secret = secrets.getProperty("serverSecret");
        token = secrets.getProperty("token");
        AccessPolicy policy = AccessPolicy.builder()
                .audiences(BenchmarkEnvironment.RESOURCE, BenchmarkEnvironment.SERVER_CLIENT).build();
        TrustedIssuer introspection = TrustedIssuer.introspection(issuer, BenchmarkEnvironment.SERVER_CLIENT, secret).build();
        TrustedIssuer jwt = TrustedIssuer.jwt(issuer).build();
        introspectCached = TokenVerifier.builder().policy(policy).issuer(introspection).build();
        introspectUncached = TokenVerifier.builder().policy(policy).issuer(introspection).cache(CacheSettings.disabled()).build();
        jwtCached = TokenVerifier.builder().policy(policy).issuer(jwt).build();
        jwtUncached = TokenVerifier.builder().policy(policy).issuer(jwt).cache(CacheSettings.disabled()).build();
        for (TokenVerifier verifier : new TokenVerifier[] {introspectCached, introspectUncached, jwtCached, jwtUncached}) {
            verifier.verify(token); // metadata, JWKS and connections warm; cached ones hold the outcome
        }
        JWKSource<SecurityContext> keys = JWKSourceBuilder.<SecurityContext>create(
                URI.create(issuer + "/protocol/openid-connect/certs").toURL()).build();
        rawNimbus = new DefaultJWTProcessor<>();
        rawNimbus.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256), keys));
        rawNimbus.process(token, null);
    }

    @Benchmark
    public AuthInfo a_cachedIntrospection() throws Exception {
        return introspectCached.verify(token);
    }

    // JMH runs benchmarks in name order. The two compared for jwt_policy_overhead run back to back, and before the
    // introspection round trips, which leave Keycloak busy on the same two cores for a while: the ratio compares the
    // two paths, not what happened to run before one of them.

    @Benchmark
    public AuthInfo b_jwtUncached() throws Exception {
        return jwtUncached.verify(token);
    }

    @Benchmark
    public JWTClaimsSet c_rawNimbusJwt() throws Exception {
        return rawNimbus.process(token, null);
    }

    @Benchmark
    public AuthInfo d_jwtCached() throws Exception {
        return jwtCached.verify(token);
    }

    @Benchmark
    public AuthInfo e_introspectionRoundTrip() throws Exception {
        return introspectUncached.verify(token);
    }
}

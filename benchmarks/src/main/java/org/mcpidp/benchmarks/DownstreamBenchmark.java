package org.mcpidp.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.mcpidp.downstream.DownstreamTarget;
import org.mcpidp.downstream.DownstreamTokens;
import org.mcpidp.downstream.ExchangeOutcome;
import org.mcpidp.downstream.KeycloakTokenExchange;
import org.mcpidp.runtime.McpServerProcess;
import org.mcpidp.runtime.OrdersApiProcess;
import org.mcpidp.testkit.FreePort;
import org.mcpidp.testkit.TestRealm;
import org.mcpidp.verifier.AccessPolicy;
import org.mcpidp.verifier.AuthInfo;
import org.mcpidp.verifier.TokenVerifier;
import org.mcpidp.verifier.TrustedIssuer;

/**
 * The {@code downstream} section: what a tool's call to a company API costs. A cached {@code tokenFor} hit (ns)
 * against a real RFC 8693 exchange at Keycloak (ms), and end to end {@code list_orders} (exchange cached + an HTTP call
 * to the orders API) against {@code list_products} (in memory) on the same server in the same run, with wrk.
 */
final class DownstreamBenchmark {

    private static final DownstreamTarget ORDERS = new DownstreamTarget("orders-api", java.util.Set.of("orders:read"));

    private DownstreamBenchmark() {
    }

    static Map<String, String> run(BenchmarkEnvironment env, boolean quick) throws Exception {
        TestRealm realm = env.realm();
        enableExchange(realm);
        Map<String, String> results = new LinkedHashMap<>();
        AuthInfo caller = verifier(realm).verify(env.token());

        DownstreamTokens cached = tokens(env, true);
        require(cached.tokenFor(caller, ORDERS));
        int iterations = quick ? 200_000 : 2_000_000;
        long[] rounds = new long[quick ? 3 : 7];
        for (int r = 0; r < rounds.length; r++) {
            long start = System.nanoTime();
            for (int i = 0; i < iterations; i++) {
                if (!(cached.tokenFor(caller, ORDERS) instanceof ExchangeOutcome.Issued)) {
                    throw new IllegalStateException("a cached exchange failed");
                }
            }
            rounds[r] = (System.nanoTime() - start) / iterations;
        }
        results.put("downstream_cached_exchange_ns", Long.toString(median(rounds)));

        DownstreamTokens uncached = tokens(env, false);
        long[] trips = new long[quick ? 20 : 200];
        for (int i = 0; i < trips.length; i++) {
            long start = System.nanoTime();
            require(uncached.tokenFor(caller, ORDERS));
            trips[i] = System.nanoTime() - start;
        }
        long tripNanos = median(trips);
        results.put("downstream_exchange_roundtrip_ms", String.format(Locale.ROOT, "%.2f", tripNanos / 1e6));
        results.put("downstream_roundtrip_over_cached",
                String.format(Locale.ROOT, "%.0f", tripNanos / (double) Math.max(1, median(rounds))));

        results.putAll(endToEnd(env, quick));
        return results;
    }

    /** The Keycloak side, as the issue describes it: the API client, its audience scope, exchange on mcp-server. */
    private static void enableExchange(TestRealm realm) {
        realm.resourceServerClient("orders-api");
        String scope = realm.clientScope("orders:read", "orders-api");
        String server = realm.clientUuid(BenchmarkEnvironment.SERVER_CLIENT);
        realm.server().admin().put(realm.path("clients/" + server + "/optional-client-scopes/" + scope), Map.of());
        realm.setClientAttribute(BenchmarkEnvironment.SERVER_CLIENT, "standard.token.exchange.enabled", "true");
    }

    private static TokenVerifier verifier(TestRealm realm) {
        return TokenVerifier.builder()
                .policy(AccessPolicy.builder().audiences(BenchmarkEnvironment.RESOURCE).build())
                .issuer(TrustedIssuer.jwt(realm.issuer()).build())
                .build();
    }

    private static DownstreamTokens tokens(BenchmarkEnvironment env, boolean cache) {
        return DownstreamTokens.builder().cache(cache).exchanger(KeycloakTokenExchange.builder()
                .issuer(env.realm().issuer())
                .clientId(BenchmarkEnvironment.SERVER_CLIENT)
                .clientSecret(env.serverSecret())
                .build()).build();
    }

    private static Map<String, String> endToEnd(BenchmarkEnvironment env, boolean quick) throws Exception {
        Path target = Path.of("benchmarks", "target");
        Path ordersJar = Path.of(System.getProperty("bench.ordersJar", "orders-api/target/orders-api.jar"));
        Path serverJar = Path.of(System.getProperty("bench.serverJar", "helidon-mcp-server/target/helidon-mcp-server.jar"));
        Duration warmup = Duration.ofSeconds(quick ? 1 : 5);
        Duration measure = Duration.ofSeconds(quick ? 3 : 20);
        Path ordersLog = target.resolve("orders-api.log");
        Path serverLog = target.resolve("server-downstream.log");
        Files.deleteIfExists(ordersLog);
        Files.deleteIfExists(serverLog);
        Map<String, String> results = new LinkedHashMap<>();
        try (OrdersApiProcess orders = OrdersApiProcess.start(ordersJar, env.realm().issuer(), FreePort.find(),
                ordersLog, Duration.ofSeconds(60), waited -> { })) {
            Map<String, String> serverEnv = Map.of(
                    "MCP_RESOURCE", BenchmarkEnvironment.RESOURCE,
                    "MCP_AUTH_ISSUERS_0_URL", env.realm().issuer(),
                    "MCP_AUTH_ISSUERS_0_MODE", "introspection",
                    "MCP_AUTH_ISSUERS_0_CLIENT_ID", BenchmarkEnvironment.SERVER_CLIENT,
                    "MCP_AUTH_ISSUERS_0_CLIENT_SECRET", env.serverSecret(),
                    "MCP_DOWNSTREAM_ORDERS_API_URL", orders.baseUrl());
            try (McpServerProcess server = McpServerProcess.start(serverJar, List.of("-Xmx512m"), serverEnv,
                    FreePort.find(), serverLog, Duration.ofSeconds(60), waited -> { })) {
                Optional<String> token = Optional.of(env.token());
                for (String tool : List.of("list_products", "list_orders")) {
                    // 2026-07-28 requests: no session to open, the tool's cost is what differs
                    WrkLoad.Result result = WrkLoad.run(server, ProtocolEra.MODERN, token, tool, 16, warmup,
                            measure);
                    System.out.printf("downstream %-14s %8.0f req/s  p50 %6d us  p99 %7d us  requests %d  errors %d%n",
                            tool, result.rps(), result.p50Micros(), result.p99Micros(), result.requests(),
                            result.errors());
                    results.put("downstream_rps_" + tool, String.format(Locale.ROOT, "%.0f", result.rps()));
                    results.put("downstream_p50_us_" + tool, Long.toString(result.p50Micros()));
                    results.put("downstream_errors_" + tool, Long.toString(result.errors()));
                }
            }
        }
        results.put("downstream_orders_over_products", String.format(Locale.ROOT, "%.2f",
                Double.parseDouble(results.get("downstream_rps_list_orders"))
                        / Double.parseDouble(results.get("downstream_rps_list_products"))));
        return results;
    }

    private static void require(ExchangeOutcome outcome) {
        if (outcome instanceof ExchangeOutcome.Failed failed) {
            throw new IllegalStateException("the exchange failed: " + failed.failure().reason() + " "
                    + failed.failure().detail());
        }
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}

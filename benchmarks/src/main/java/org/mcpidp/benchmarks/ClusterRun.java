package org.mcpidp.benchmarks;

import static org.mcpidp.benchmarks.InstanceMetrics.CACHE_HITS;
import static org.mcpidp.benchmarks.InstanceMetrics.CACHE_MISSES;
import static org.mcpidp.benchmarks.InstanceMetrics.INTROSPECTIONS;
import static org.mcpidp.benchmarks.InstanceMetrics.SESSIONS_OPEN;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.mcpidp.runtime.McpServerProcess;
import org.mcpidp.testkit.FreePort;
import org.mcpidp.testkit.TestRealm;

/**
 * Several instances behind a real HAProxy ({@code deploy/haproxy/*.cfg}, verbatim) against the real Keycloak, each
 * instance verifying tokens itself (introspection, its own cache):
 * <ol>
 *     <li>sessionful mode: wrk through the balancer with one instance behind it, then three (req/s, and not one session refused:
 *     every session's requests reached the instance that holds it); then MCP TypeScript SDK clients through the
 *     balancer while one instance is stopped: its sessions' clients get 404, start a new session and go on, no
 *     call fails; the IdP calls stay within instances x distinct tokens per cache lifetime;</li>
 *     <li>stateless mode: three new instances with {@code MCP_STATELESS=true} behind the round-robin configuration,
 *     wrk and the SDK clients again (no error), and what the verifier cache saves there.</li>
 * </ol>
 * A broken invariant fails the run (IllegalStateException); speed never does.
 */
final class ClusterRun {

    private static final String SERVER_CLIENT = "mcp-server";
    private static final String AUDIENCE_SCOPE = "cluster-audience";
    static final String SCOPES = "mcp:read " + AUDIENCE_SCOPE;
    /** The server's default mcp.auth.cache.max-lifetime: a token is introspected at most once per instance per it. */
    private static final Duration CACHE_LIFETIME = Duration.ofSeconds(60);

    private final boolean quick;
    private final Path jar;
    private final Path work = Path.of("benchmarks", "target", "cluster").toAbsolutePath();
    private final Map<String, String> results = new LinkedHashMap<>();
    private final InstanceMetrics metrics = new InstanceMetrics();

    ClusterRun(boolean quick, Path jar) {
        this.quick = quick;
        this.jar = jar;
    }

    /** Runs both modes in {@code realm}, whose resource server client {@code mcp-server} has {@code serverSecret}. */
    Map<String, String> run(TestRealm realm, String serverSecret) throws Exception {
        Files.createDirectories(work);
        Path node = NodeClients.install(work);
        int port = FreePort.find();
        String resource = "http://127.0.0.1:" + port + "/mcp";
        // The balancer's URL is the resource every instance announces: a scope puts it in the tokens' audience.
        realm.clientScope(AUDIENCE_SCOPE, resource, SERVER_CLIENT);
        String wrkSecret = realm.agentClient("agent-cluster-wrk", "mcp:read", AUDIENCE_SCOPE);
        String sdkSecret = realm.agentClient("agent-cluster-sdk", "mcp:read", AUDIENCE_SCOPE);
        String token = realm.clientCredentials("agent-cluster-wrk", wrkSecret, SCOPES).accessToken();
        NodeClients sdk = new NodeClients(node, realm.issuer(), "agent-cluster-sdk", sdkSecret);
        Map<String, String> env = Map.of("MCP_RESOURCE", resource,
                "MCP_AUTH_ISSUERS_0_URL", realm.issuer(),
                "MCP_AUTH_ISSUERS_0_MODE", "introspection",
                "MCP_AUTH_ISSUERS_0_CLIENT_ID", SERVER_CLIENT,
                "MCP_AUTH_ISSUERS_0_CLIENT_SECRET", serverSecret);
        sessionful(env, port, token, sdk);
        stateless(env, port, token, sdk);
        return results;
    }

    private void sessionful(Map<String, String> env, int port, String token, NodeClients sdk) throws Exception {
        Path config = Path.of("deploy", "haproxy", "haproxy.cfg");
        long started = System.nanoTime();
        List<McpServerProcess> servers = startInstances(env, "sessionful");
        try {
            McpServerProcess first = servers.get(0);
            WrkLoad.Result one;
            // one instance behind the balancer: the same configuration, its three server lines on that instance
            try (HaproxyProcess lb = HaproxyProcess.start(config, port, List.of(address(first), address(first),
                    address(first)), work.resolve("haproxy-one.log"))) {
                one = wrk(lb, List.of(first), token);
            }
            try (HaproxyProcess lb = HaproxyProcess.start(config, port, addresses(servers),
                    work.resolve("haproxy-three.log"))) {
                WrkLoad.Result three = wrk(lb, servers, token);
                print("sessionful 1 instance ", one);
                print("sessionful 3 instances", three);
                Map<String, Double> outcomes = metrics.outcomes(servers);
                System.out.println("cluster sessionful auth outcomes (all instances): " + outcomes);
                // affinity: not one request of a session reached an instance that did not hold it (that is a 404)
                require(outcomes.getOrDefault("session_refused", 0.0) == 0, "a session's request reached another"
                        + " instance (session_refused " + outcomes.get("session_refused") + ")");
                results.put("cluster_wrk_errors_1_instance", Long.toString(one.errors()));
                results.put("cluster_wrk_errors_3_instances", Long.toString(three.errors()));
                results.put("cluster_rps_1_instance", String.format("%.0f", one.rps()));
                results.put("cluster_rps_3_instances", String.format("%.0f", three.rps()));
                results.put("cluster_3_over_1", String.format("%.2f", three.rps() / one.rps()));

                McpServerProcess victim = servers.get(2);
                double victimSessionsBefore = metrics.value(victim, SESSIONS_OPEN);
                Future<JsonNode> clients = sdk.start(lb.mcpUrl(), 6, Duration.ofSeconds(quick ? 12 : 30),
                        work.resolve("sdk-sessionful.ready"));
                NodeClients.awaitReady(clients, work.resolve("sdk-sessionful.ready"), Duration.ofSeconds(90));
                int sdkSessionsOnVictim = (int) (metrics.value(victim, SESSIONS_OPEN) - victimSessionsBefore);
                double victimIntrospections = metrics.value(victim, INTROSPECTIONS);
                victim.close(); // mid-run: its sessions are gone with it
                JsonNode report = clients.get(3, TimeUnit.MINUTES);
                System.out.println("cluster sdk (instance 3 stopped mid-run): " + report
                        + ", its SDK sessions " + sdkSessionsOnVictim);
                require(report.path("failures").isEmpty(), "SDK calls failed through the balancer: "
                        + report.path("failures"));
                require(sdkSessionsOnVictim >= 1, "no SDK session was on the stopped instance: the kill proved nothing");
                require(report.path("reinitialized").asInt() >= sdkSessionsOnVictim, "only "
                        + report.path("reinitialized") + " clients started a new session, "
                        + sdkSessionsOnVictim + " had theirs on the stopped instance");
                results.put("cluster_sdk_calls", report.path("calls").asText());
                results.put("cluster_sdk_reinitialized", report.path("reinitialized").asText());
                results.put("cluster_sdk_failures", "0");
                double introspections = victimIntrospections + metrics.value(servers.get(0), INTROSPECTIONS)
                        + metrics.value(servers.get(1), INTROSPECTIONS);
                idpBound("cluster", introspections, 1 + report.path("tokenRequests").asInt(), started);
            }
        } finally {
            servers.forEach(McpServerProcess::close);
        }
    }

    private void stateless(Map<String, String> base, int port, String token, NodeClients sdk) throws Exception {
        Map<String, String> env = new HashMap<>(base);
        env.put("MCP_STATELESS", "true");
        long started = System.nanoTime();
        List<McpServerProcess> servers = startInstances(env, "stateless");
        try (HaproxyProcess lb = HaproxyProcess.start(Path.of("deploy", "haproxy", "haproxy-stateless.cfg"), port,
                addresses(servers), work.resolve("haproxy-stateless.log"))) {
            WrkLoad.Result three = wrk(lb, servers, token);
            print("stateless 3 instances ", three);
            Map<String, Double> outcomes = metrics.outcomes(servers);
            System.out.println("cluster stateless auth outcomes (all instances): " + outcomes);
            require(outcomes.getOrDefault("session_refused", 0.0) == 0, "stateless mode refused a session ("
                    + outcomes.get("session_refused") + ")");
            results.put("stateless_wrk_errors", Long.toString(three.errors()));
            JsonNode report = sdk.start(lb.mcpUrl(), 6, Duration.ofSeconds(quick ? 5 : 15),
                    work.resolve("sdk-stateless.ready")).get(3, TimeUnit.MINUTES);
            System.out.println("cluster sdk (stateless, round robin): " + report);
            require(report.path("failures").isEmpty(), "SDK calls failed in stateless mode: " + report.path("failures"));
            require(report.path("reinitialized").asInt() == 0, "an SDK client got 404 in stateless mode");
            double introspections = 0;
            double verifications = 0;
            for (McpServerProcess server : servers) {
                introspections += metrics.value(server, INTROSPECTIONS);
                verifications += metrics.value(server, CACHE_HITS) + metrics.value(server, CACHE_MISSES);
            }
            // every request through the balancer is verified on its own: what the caches answered, the IdP did not
            results.put("stateless_rps_3_instances", String.format("%.0f", three.rps()));
            results.put("stateless_sdk_calls", report.path("calls").asText());
            results.put("stateless_verifications", String.format("%.0f", verifications));
            results.put("stateless_cache_saved_pct", String.format("%.2f", 100.0 * (1 - introspections / verifications)));
            idpBound("stateless", introspections, 1 + report.path("tokenRequests").asInt(), started);
        } finally {
            servers.forEach(McpServerProcess::close);
        }
    }

    /** IdP calls against instances x distinct tokens x cache lifetimes the phase spanned; fails above it. */
    private void idpBound(String phase, double introspections, int tokens, long startedNanos) {
        long lifetimes = Duration.ofNanos(System.nanoTime() - startedNanos).toSeconds() / CACHE_LIFETIME.toSeconds() + 1;
        long bound = 3L * tokens * lifetimes;
        System.out.printf("%s: %.0f introspections for %d distinct tokens on 3 instances over %d cache lifetime(s)"
                + " (bound %d)%n", phase, introspections, tokens, lifetimes, bound);
        require(introspections <= bound, phase + ": " + introspections + " IdP calls exceed instances x tokens x"
                + " lifetimes = " + bound);
        results.put(phase + "_idp_calls", String.format("%.0f", introspections));
        results.put(phase + "_idp_bound", Long.toString(bound));
    }

    private List<McpServerProcess> startInstances(Map<String, String> env, String mode) throws Exception {
        List<Future<McpServerProcess>> starting = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(3)) {
            for (int i = 1; i <= 3; i++) {
                Path log = work.resolve("server-" + mode + "-" + i + ".log");
                Files.deleteIfExists(log);
                starting.add(pool.submit(() -> McpServerProcess.start(jar, List.of("-Xmx256m"), env, FreePort.find(),
                        log, Duration.ofSeconds(180), waited -> { })));
            }
        }
        List<McpServerProcess> servers = new ArrayList<>();
        RuntimeException failure = null;
        for (Future<McpServerProcess> future : starting) {
            try {
                servers.add(future.get());
            } catch (java.util.concurrent.ExecutionException e) {
                failure = new IllegalStateException("an instance did not start: " + e.getCause().getMessage());
            }
        }
        if (failure != null) {
            servers.forEach(McpServerProcess::close);
            throw failure;
        }
        return servers;
    }

    private WrkLoad.Result wrk(HaproxyProcess lb, List<McpServerProcess> servers, String token) throws Exception {
        return WrkLoad.run(lb.mcpUrl(), () -> servers.stream().map(McpServerProcess::cpuTime)
                        .reduce(Duration.ZERO, Duration::plus), ProtocolEra.LEGACY, Optional.of(token), "list_products",
                16, Duration.ofSeconds(quick ? 1 : 5), Duration.ofSeconds(quick ? 4 : 20));
    }

    private static List<String> addresses(List<McpServerProcess> servers) {
        return servers.stream().map(ClusterRun::address).toList();
    }

    private static String address(McpServerProcess server) {
        return "127.0.0.1:" + server.port();
    }

    private static void print(String label, WrkLoad.Result result) {
        // no CPU figure here: a child's CPU time is not always readable, and a sum over three would hide which
        System.out.printf("cluster %s %8.0f req/s  p50 %6d us  p99 %7d us  requests %d  errors %d%n", label,
                result.rps(), result.p50Micros(), result.p99Micros(), result.requests(), result.errors());
    }

    static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException("cluster: " + message);
        }
    }
}

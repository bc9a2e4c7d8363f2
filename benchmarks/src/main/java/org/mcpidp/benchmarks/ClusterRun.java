package org.mcpidp.benchmarks;

import static org.mcpidp.benchmarks.InstanceMetrics.CACHE_HITS;
import static org.mcpidp.benchmarks.InstanceMetrics.CACHE_MISSES;
import static org.mcpidp.benchmarks.InstanceMetrics.INTROSPECTIONS;
import static org.mcpidp.benchmarks.InstanceMetrics.SESSIONS_OPEN;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.mcpidp.runtime.McpServerProcess;
import org.mcpidp.testkit.FreePort;
import org.mcpidp.testkit.TestRealm;

/**
 * Three instances behind a real HAProxy ({@code deploy/haproxy/haproxy.cfg}, verbatim: sticky on
 * {@code Mcp-Session-Id} when a request names a session, round robin otherwise) against the real Keycloak, each
 * instance verifying tokens itself (introspection, its own cache), all sharing one {@code MCP_REQUEST_STATE_KEY}:
 * <ol>
 *     <li>after an unmeasured warm-up of all three, wrk through the balancer with one instance behind it, then three,
 *     in each era: legacy requests in sessions (not one may be refused: every session's requests reached the
 *     instance that holds it) and 2026-07-28 requests (spread over all three instances: no affinity);</li>
 *     <li>2026-07-28 round trips that cross instances: a confirmed {@code delete_product} whose second request,
 *     carrying the {@code requestState} one instance sealed, is opened by the next one;</li>
 *     <li>both eras' SDK clients at once (the MCP TypeScript SDK for legacy sessions, the MCP Java SDK for
 *     2026-07-28) while one instance is stopped: legacy clients whose session it held get 404, start a new session
 *     and go on; 2026-07-28 clients see no failure at all. The IdP calls stay within instances x distinct tokens per
 *     cache lifetime, and the verifier caches answer the rest.</li>
 * </ol>
 * A broken invariant fails the run (IllegalStateException); speed never does.
 */
final class ClusterRun {

    private static final String SERVER_CLIENT = "mcp-server";
    private static final String AUDIENCE_SCOPE = "cluster-audience";
    /** delete_product needs mcp:admin (the modern clients' confirmed deletes). */
    private static final String ADMIN_SCOPE = "mcp:admin";
    static final String SCOPES = "mcp:read " + AUDIENCE_SCOPE;
    private static final String MODERN_SCOPES = "mcp:read " + ADMIN_SCOPE + " " + AUDIENCE_SCOPE;
    private static final String TOOL = "whoami";
    /** The server's default mcp.auth.cache.max-lifetime: a token is introspected at most once per instance per it. */
    private static final Duration CACHE_LIFETIME = Duration.ofSeconds(60);
    /** Round robin over three: each instance should get a third of the 2026-07-28 load; below this share it did not. */
    private static final double MIN_SHARE = 0.2;

    private final boolean quick;
    private final Path jar;
    private final Path work = Path.of("benchmarks", "target", "cluster").toAbsolutePath();
    private final Map<String, String> results = new LinkedHashMap<>();
    private final InstanceMetrics metrics = new InstanceMetrics();

    ClusterRun(boolean quick, Path jar) {
        this.quick = quick;
        this.jar = jar;
    }

    /** Runs it in {@code realm}, whose resource server client {@code mcp-server} has {@code serverSecret}. */
    Map<String, String> run(TestRealm realm, String serverSecret) throws Exception {
        Files.createDirectories(work);
        Path node = NodeClients.install(work);
        int port = FreePort.find();
        String resource = "http://127.0.0.1:" + port + "/mcp";
        // The balancer's URL is the resource every instance announces: a scope puts it in the tokens' audience.
        realm.clientScope(AUDIENCE_SCOPE, resource, SERVER_CLIENT);
        realm.clientScope(ADMIN_SCOPE);
        String wrkSecret = realm.agentClient("agent-cluster-wrk", "mcp:read", AUDIENCE_SCOPE);
        String legacySecret = realm.agentClient("agent-cluster-sdk", "mcp:read", AUDIENCE_SCOPE);
        String modernSecret = realm.agentClient("agent-cluster-modern", "mcp:read", ADMIN_SCOPE, AUDIENCE_SCOPE);
        String token = realm.clientCredentials("agent-cluster-wrk", wrkSecret, SCOPES).accessToken();
        NodeClients legacyClients = new NodeClients(node, realm.issuer(), "agent-cluster-sdk", legacySecret);
        ModernClients modernClients = new ModernClients(realm, "agent-cluster-modern", modernSecret, MODERN_SCOPES);
        // One request state key for every instance: a state one seals, another opens (from a Secret in production).
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Map<String, String> env = Map.of("MCP_RESOURCE", resource,
                "MCP_AUTH_ISSUERS_0_URL", realm.issuer(),
                "MCP_AUTH_ISSUERS_0_MODE", "introspection",
                "MCP_AUTH_ISSUERS_0_CLIENT_ID", SERVER_CLIENT,
                "MCP_AUTH_ISSUERS_0_CLIENT_SECRET", serverSecret,
                "MCP_REQUEST_STATE_KEY", Base64.getEncoder().encodeToString(key));
        Path config = Path.of("deploy", "haproxy", "haproxy.cfg");
        long started = System.nanoTime();
        List<McpServerProcess> servers = ClusterInstances.start(jar, work, env);
        try {
            McpServerProcess first = servers.get(0);
            // every instance JIT-warm before anything is measured: else the 3-instance runs measure two cold JVMs
            // against the one warmed by the 1-instance runs
            try (HaproxyProcess lb = HaproxyProcess.start(config, port, ClusterInstances.addresses(servers),
                    work.resolve("haproxy-warm.log"))) {
                for (ProtocolEra era : ProtocolEra.values()) {
                    WrkLoad.warm(lb.mcpUrl(), era, Optional.of(token), TOOL, 16, Duration.ofSeconds(quick ? 3 : 10));
                }
            }
            Map<ProtocolEra, WrkLoad.Result> one = new LinkedHashMap<>();
            // one instance behind the balancer: the same configuration, its three server lines on that instance
            String only = ClusterInstances.address(first);
            try (HaproxyProcess lb = HaproxyProcess.start(config, port, List.of(only, only, only),
                    work.resolve("haproxy-one.log"))) {
                for (ProtocolEra era : ProtocolEra.values()) {
                    one.put(era, wrk(lb, List.of(first), era, token));
                }
            }
            try (HaproxyProcess lb = HaproxyProcess.start(config, port, ClusterInstances.addresses(servers),
                    work.resolve("haproxy-three.log"))) {
                wrkThree(lb, servers, token, one);
                confirmAcrossInstances(lb, servers, modernClients);
                stopOneUnderLoad(lb, servers, legacyClients, modernClients, started);
            }
        } finally {
            servers.forEach(McpServerProcess::close);
        }
        return results;
    }

    /** wrk with three instances in each era, against the one-instance runs; the invariants of each era. */
    private void wrkThree(HaproxyProcess lb, List<McpServerProcess> servers, String token,
                          Map<ProtocolEra, WrkLoad.Result> one) throws Exception {
        WrkLoad.Result legacy = wrk(lb, servers, ProtocolEra.LEGACY, token);
        Map<String, Double> outcomes = metrics.outcomes(servers);
        System.out.println("cluster legacy auth outcomes (all instances): " + outcomes);
        // affinity: not one request of a session reached an instance that did not hold it (that is a 404)
        require(outcomes.getOrDefault("session_refused", 0.0) == 0, "a session's request reached another"
                + " instance (session_refused " + outcomes.get("session_refused") + ")");
        List<Double> before = allowedCalls(servers, TOOL);
        WrkLoad.Result modern = wrk(lb, servers, ProtocolEra.MODERN, token);
        List<Double> after = allowedCalls(servers, TOOL);
        double total = 0;
        double least = Double.MAX_VALUE;
        for (int i = 0; i < servers.size(); i++) {
            double served = after.get(i) - before.get(i);
            total += served;
            least = Math.min(least, served);
        }
        double leastShare = least / Math.max(1, total);
        System.out.printf(Locale.ROOT, "cluster modern: the least loaded instance served %.1f%% of %.0f calls%n",
                100 * leastShare, total);
        // no affinity: round robin gives every instance about a third of the stateless requests
        require(leastShare >= MIN_SHARE, "2026-07-28 requests were not spread over the instances (least share "
                + leastShare + ")");
        for (ProtocolEra era : ProtocolEra.values()) {
            WrkLoad.Result three = era == ProtocolEra.LEGACY ? legacy : modern;
            print(era.label() + " 1 instance ", one.get(era));
            print(era.label() + " 3 instances", three);
            String prefix = "cluster_" + era.label() + "_";
            results.put(prefix + "rps_1_instance", format("%.0f", one.get(era).rps()));
            results.put(prefix + "rps_3_instances", format("%.0f", three.rps()));
            results.put(prefix + "3_over_1", format("%.2f", three.rps() / one.get(era).rps()));
            results.put(prefix + "wrk_errors", Long.toString(one.get(era).errors() + three.errors()));
        }
        results.put("cluster_modern_least_share_pct", format("%.1f", 100 * leastShare));
    }

    /**
     * Three confirmed deletes from one 2026-07-28 client through the idle balancer: the client's tools/list and six
     * rounds, each request on the next instance (round robin), so every state is opened by an instance that did not
     * seal it. Every instance must have served rounds.
     */
    private void confirmAcrossInstances(HaproxyProcess lb, List<McpServerProcess> servers,
                                        ModernClients modernClients) throws Exception {
        List<Double> before = allowedCalls(servers, "delete_product");
        modernClients.confirmAcrossInstances(lb.mcpUrl(), 3);
        List<Double> after = allowedCalls(servers, "delete_product");
        List<Long> rounds = new ArrayList<>();
        for (int i = 0; i < servers.size(); i++) {
            rounds.add(Math.round(after.get(i) - before.get(i)));
        }
        // round robin: each request on the next instance, so each state is opened by another instance than its sealer
        System.out.println("cluster: 3 confirmed 2026-07-28 deletes through the balancer, requests per instance "
                + rounds + ", no failure");
        require(rounds.stream().allMatch(served -> served >= 1), "the round trips' requests were not spread over"
                + " the instances: " + rounds);
        results.put("cluster_modern_state_requests_per_instance",
                String.join("/", rounds.stream().map(String::valueOf).toList()));
    }

    /** Both eras' SDK clients through the balancer while instance 3 is stopped mid-run. */
    private void stopOneUnderLoad(HaproxyProcess lb, List<McpServerProcess> servers, NodeClients legacyClients,
                                  ModernClients modernClients, long started) throws Exception {
        McpServerProcess victim = servers.get(2);
        double victimSessionsBefore = metrics.value(victim, SESSIONS_OPEN);
        Duration duration = Duration.ofSeconds(quick ? 12 : 30);
        Path ready = work.resolve("sdk-legacy.ready");
        Future<JsonNode> legacy = legacyClients.start(lb.mcpUrl(), 6, TOOL, duration, ready);
        ModernClients.Run modern = modernClients.start(lb.mcpUrl(), 6, duration);
        NodeClients.awaitReady(legacy, ready, Duration.ofSeconds(90));
        modern.awaitReady(Duration.ofSeconds(90));
        int sessionsOnVictim = (int) (metrics.value(victim, SESSIONS_OPEN) - victimSessionsBefore);
        double victimIntrospections = metrics.value(victim, INTROSPECTIONS);
        double victimVerifications = metrics.value(victim, CACHE_HITS) + metrics.value(victim, CACHE_MISSES);
        victim.close(); // mid-run: its sessions are gone with it; a stateless request has nothing there to lose
        JsonNode legacyReport = legacy.get(3, TimeUnit.MINUTES);
        ModernClients.Report modernReport = modern.report().get(3, TimeUnit.MINUTES);
        System.out.println("cluster legacy SDK clients (instance 3 stopped mid-run): " + legacyReport
                + ", their sessions on it " + sessionsOnVictim);
        System.out.println("cluster modern SDK clients (instance 3 stopped mid-run): " + modernReport);
        require(legacyReport.path("failures").isEmpty(), "legacy SDK calls failed through the balancer: "
                + legacyReport.path("failures"));
        require(sessionsOnVictim >= 1, "no legacy SDK session was on the stopped instance: the kill proved nothing");
        require(legacyReport.path("reinitialized").asInt() >= sessionsOnVictim, "only "
                + legacyReport.path("reinitialized") + " legacy clients started a new session, "
                + sessionsOnVictim + " had theirs on the stopped instance");
        require(modernReport.failures().isEmpty(), "2026-07-28 calls failed through the balancer: "
                + modernReport.failures());
        require(modernReport.roundTrips() >= 1, "no 2026-07-28 client completed a confirmed delete");
        results.put("cluster_legacy_sdk_calls", legacyReport.path("calls").asText());
        results.put("cluster_legacy_sdk_reinitialized", legacyReport.path("reinitialized").asText());
        results.put("cluster_legacy_sdk_failures", "0");
        results.put("cluster_modern_sdk_calls", Long.toString(modernReport.calls()));
        results.put("cluster_modern_sdk_round_trips", Long.toString(modernReport.roundTrips()));
        results.put("cluster_modern_sdk_failures", "0");
        double introspections = victimIntrospections;
        double verifications = victimVerifications;
        for (McpServerProcess server : servers.subList(0, 2)) {
            introspections += metrics.value(server, INTROSPECTIONS);
            verifications += metrics.value(server, CACHE_HITS) + metrics.value(server, CACHE_MISSES);
        }
        // the wrk token, each legacy client's tokens, each modern client's tokens (the round-trip probe's included)
        int tokens = 1 + legacyReport.path("tokenRequests").asInt() + modernClients.tokenRequests();
        idpBound(introspections, tokens, started);
        // every request through the balancer is verified on its own: what the caches answered, the IdP did not
        results.put("cluster_verifications", format("%.0f", verifications));
        results.put("cluster_cache_saved_pct", format("%.2f", 100.0 * (1 - introspections / verifications)));
    }

    /** IdP calls against instances x distinct tokens x cache lifetimes the run spanned; fails above it. */
    private void idpBound(double introspections, int tokens, long startedNanos) {
        long seconds = Duration.ofNanos(System.nanoTime() - startedNanos).toSeconds();
        long lifetimes = seconds / CACHE_LIFETIME.toSeconds() + 1;
        long bound = 3L * tokens * lifetimes;
        System.out.printf("cluster: %.0f introspections for %d distinct tokens on 3 instances over %d cache"
                + " lifetime(s) (bound %d)%n", introspections, tokens, lifetimes, bound);
        require(introspections <= bound, introspections + " IdP calls exceed instances x tokens x lifetimes = "
                + bound);
        results.put("cluster_idp_calls", format("%.0f", introspections));
        results.put("cluster_idp_bound", Long.toString(bound));
    }

    private List<Double> allowedCalls(List<McpServerProcess> servers, String tool) throws Exception {
        List<Double> calls = new ArrayList<>();
        for (McpServerProcess server : servers) {
            calls.add(metrics.value(server, InstanceMetrics.allowedCalls(tool)));
        }
        return calls;
    }

    private WrkLoad.Result wrk(HaproxyProcess lb, List<McpServerProcess> servers, ProtocolEra era, String token)
            throws Exception {
        return WrkLoad.run(lb.mcpUrl(), () -> servers.stream().map(McpServerProcess::cpuTime)
                        .reduce(Duration.ZERO, Duration::plus), era, Optional.of(token), TOOL, 16,
                Duration.ofSeconds(quick ? 2 : 5), Duration.ofSeconds(quick ? 4 : 20));
    }

    private static void print(String label, WrkLoad.Result result) {
        // no CPU figure here: a child's CPU time is not always readable, and a sum over three would hide which
        System.out.printf(Locale.ROOT, "cluster %s %8.0f req/s  p50 %6d us  p99 %7d us  requests %d  errors %d%n",
                label, result.rps(), result.p50Micros(), result.p99Micros(), result.requests(), result.errors());
    }

    private static String format(String pattern, double value) {
        return String.format(Locale.ROOT, pattern, value);
    }

    static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException("cluster: " + message);
        }
    }
}

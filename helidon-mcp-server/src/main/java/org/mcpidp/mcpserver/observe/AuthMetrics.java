package org.mcpidp.mcpserver.observe;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.mcpidp.mcpserver.auth.AuthOutcome;
import org.mcpidp.verifier.TokenVerifier;
import org.mcpidp.verifier.VerifierStats;

/**
 * The server's metrics in the Prometheus text format (version 0.0.4): requests to the MCP endpoint by authentication
 * outcome, and the verifier's cache and introspection figures. Counting is a {@link LongAdder} increment.
 */
public final class AuthMetrics implements Consumer<AuthOutcome> {

    private final Map<AuthOutcome, LongAdder> outcomes = new EnumMap<>(AuthOutcome.class);
    private final TokenVerifier verifier;

    /** {@code verifier} may be null when authentication is disabled. */
    public AuthMetrics(TokenVerifier verifier) {
        this.verifier = verifier;
        for (AuthOutcome outcome : AuthOutcome.values()) {
            outcomes.put(outcome, new LongAdder());
        }
    }

    @Override
    public void accept(AuthOutcome outcome) {
        outcomes.get(outcome).increment();
    }

    public long count(AuthOutcome outcome) {
        return outcomes.get(outcome).sum();
    }

    /** Every metric, Prometheus text format. */
    public String prometheus() {
        StringBuilder out = new StringBuilder(2048);
        out.append("# HELP mcp_auth_requests_total Requests to the MCP endpoint by authentication outcome.\n");
        out.append("# TYPE mcp_auth_requests_total counter\n");
        for (AuthOutcome outcome : AuthOutcome.values()) {
            out.append("mcp_auth_requests_total{outcome=\"").append(outcome.name().toLowerCase(Locale.ROOT))
                    .append("\"} ").append(count(outcome)).append('\n');
        }
        if (verifier == null) {
            return out.toString();
        }
        VerifierStats stats = verifier.stats();
        gauge(out, "mcp_token_cache_hit_ratio", "Share of token verifications answered from the cache.",
                Double.toString(stats.hitRatio()));
        gauge(out, "mcp_token_cache_size", "Verification outcomes currently cached.", Long.toString(stats.cacheSize()));
        counter(out, "mcp_token_cache_hits_total", "Verifications answered from the cache.", stats.cacheHits());
        counter(out, "mcp_token_cache_misses_total", "Verifications that were not in the cache.", stats.cacheMisses());
        counter(out, "mcp_introspection_errors_total",
                "Introspection calls that ended in 'unavailable' (IdP down, slow or 5xx).", stats.introspectionErrors());
        counter(out, "mcp_idp_rejected_busy_total",
                "Verifications refused because too many IdP calls were in flight.", stats.rejectedBusy());
        out.append("# HELP mcp_introspection_seconds Time spent in introspection calls.\n");
        out.append("# TYPE mcp_introspection_seconds summary\n");
        out.append("mcp_introspection_seconds_count ").append(stats.introspectionCalls()).append('\n');
        out.append("mcp_introspection_seconds_sum ").append(stats.introspectionNanos() / 1e9).append('\n');
        return out.toString();
    }

    private static void gauge(StringBuilder out, String name, String help, String value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" gauge\n");
        out.append(name).append(' ').append(value).append('\n');
    }

    private static void counter(StringBuilder out, String name, String help, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" counter\n");
        out.append(name).append(' ').append(value).append('\n');
    }
}

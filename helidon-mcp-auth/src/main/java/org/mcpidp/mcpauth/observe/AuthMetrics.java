package org.mcpidp.mcpauth.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.mcpidp.mcpauth.AccessListener;
import org.mcpidp.mcpauth.AuthOutcome;

/**
 * What the bearer layer decided, as Micrometer meters: {@code mcp_auth_requests_total{outcome}} for every request to
 * the MCP endpoint, and per tool {@code mcp_tool_calls_total{tool,decision}} and the latency histogram
 * {@code mcp_tool_call_seconds{tool,decision}}. Every meter is registered up front, so recording is a lookup and an
 * add, and a scrape shows each series from the start (at 0).
 */
public final class AuthMetrics implements AccessListener {

    /** The {@code tool} label of a name that is not a registered tool: the name comes from the caller, unbounded. */
    static final String OTHER_TOOL = "other";
    /** Histogram buckets: a refused call takes microseconds, a tool call a few milliseconds, a slow IdP seconds. */
    private static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
        Duration.ofSeconds(10)};

    private final Map<AuthOutcome, Counter> outcomes = new EnumMap<>(AuthOutcome.class);
    private final Map<String, ToolMeters> tools = new HashMap<>();

    /** {@code toolNames}: the registered tools, each its own label value; any other name counts as "other". */
    public AuthMetrics(MeterRegistry registry, Set<String> toolNames) {
        for (AuthOutcome outcome : AuthOutcome.values()) {
            outcomes.put(outcome, Counter.builder("mcp.auth.requests")
                    .description("Requests to the MCP endpoint by authentication outcome.")
                    .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                    .register(registry));
        }
        for (String tool : toolNames) {
            tools.put(tool, new ToolMeters(registry, tool));
        }
        tools.putIfAbsent(OTHER_TOOL, new ToolMeters(registry, OTHER_TOOL));
    }

    @Override
    public void outcome(AuthOutcome outcome) {
        outcomes.get(outcome).increment();
    }

    @Override
    public void toolCall(String tool, boolean allowed, Duration latency) {
        tools.getOrDefault(tool, tools.get(OTHER_TOOL)).record(allowed, latency);
    }

    /** Requests counted with {@code outcome} since start. */
    public long count(AuthOutcome outcome) {
        return (long) outcomes.get(outcome).count();
    }

    /** One tool's meters: a call counter and a latency histogram per decision (allowed or denied). */
    private static final class ToolMeters {
        private final Counter allowedCalls;
        private final Counter deniedCalls;
        private final Timer allowedLatency;
        private final Timer deniedLatency;

        ToolMeters(MeterRegistry registry, String tool) {
            this.allowedCalls = counter(registry, tool, "allowed");
            this.deniedCalls = counter(registry, tool, "denied");
            this.allowedLatency = timer(registry, tool, "allowed");
            this.deniedLatency = timer(registry, tool, "denied");
        }

        void record(boolean allowed, Duration latency) {
            (allowed ? allowedCalls : deniedCalls).increment();
            (allowed ? allowedLatency : deniedLatency).record(latency);
        }

        private static Counter counter(MeterRegistry registry, String tool, String decision) {
            return Counter.builder("mcp.tool.calls")
                    .description("tools/call requests by tool and by the bearer layer's decision.")
                    .tags("tool", tool, "decision", decision)
                    .register(registry);
        }

        private static Timer timer(MeterRegistry registry, String tool, String decision) {
            return Timer.builder("mcp.tool.call")
                    .description("Time from a tools/call reaching the bearer filter until it was refused or answered.")
                    .tags("tool", tool, "decision", decision)
                    .serviceLevelObjectives(BUCKETS)
                    .register(registry);
        }
    }
}

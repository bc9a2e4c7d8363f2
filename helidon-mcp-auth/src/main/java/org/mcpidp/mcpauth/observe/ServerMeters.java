package org.mcpidp.mcpauth.observe;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.mcpidp.mcpauth.SessionStats;
import org.mcpidp.verifier.TokenVerifier;
import org.mcpidp.verifier.VerifierStats;

/**
 * The verifier's cache and IdP figures ({@link VerifierStats}) and the session registry's counts
 * ({@link SessionStats}) as meters read at scrape time: a gauge for what goes up and down, a function counter for what
 * only grows. Micrometer keeps only a weak reference to a meter's state object; the state here is this binder, so
 * whoever serves the scrape must hold it ({@link ObserveService} does).
 *
 * @param verifier null when authentication is disabled (no verifier meters then)
 * @param sessions the bearer feature's session counts
 */
public record ServerMeters(TokenVerifier verifier, Supplier<SessionStats> sessions) implements MeterBinder {

    public ServerMeters {
        Objects.requireNonNull(sessions);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("mcp.sessions.open", this, m -> m.sessions.get().open())
                .description("Sessions open now (bound to a principal).").register(registry);
        sessionCounter(registry, "mcp.sessions.evicted", "Sessions closed because mcp.sessions.max was reached.",
                SessionStats::evictedForCapacity);
        sessionCounter(registry, "mcp.sessions.expired", "Sessions closed after mcp.sessions.idle-timeout unused.",
                SessionStats::expiredIdle);
        sessionCounter(registry, "mcp.sessions.refused",
                "initialize requests refused with 429 (mcp.sessions.max-per-subject).", SessionStats::refusedPerSubject);
        sessionCounter(registry, "mcp.duplicate.requests",
                "Requests refused with 409: their JSON-RPC id was already in flight in the session.",
                SessionStats::duplicateRequests);
        if (verifier == null) {
            return;
        }
        Gauge.builder("mcp.token.cache.hit.ratio", this, m -> m.stats().hitRatio())
                .description("Share of token verifications answered from the cache.").register(registry);
        Gauge.builder("mcp.token.cache.size", this, m -> m.stats().cacheSize())
                .description("Verification outcomes currently cached.").register(registry);
        verifierCounter(registry, "mcp.token.cache.hits", "Verifications answered from the cache.",
                VerifierStats::cacheHits);
        verifierCounter(registry, "mcp.token.cache.misses", "Verifications that were not in the cache.",
                VerifierStats::cacheMisses);
        verifierCounter(registry, "mcp.introspection.errors",
                "Introspection calls that ended in 'unavailable' (IdP down, slow or 5xx).",
                VerifierStats::introspectionErrors);
        verifierCounter(registry, "mcp.idp.rejected.busy",
                "Verifications refused because too many IdP calls were in flight.", VerifierStats::rejectedBusy);
        FunctionTimer.builder("mcp.introspection", this, m -> m.stats().introspectionCalls(),
                        m -> m.stats().introspectionNanos(), TimeUnit.NANOSECONDS)
                .description("Time spent in introspection calls.").register(registry);
    }

    private VerifierStats stats() {
        return verifier.stats();
    }

    private void sessionCounter(MeterRegistry registry, String name, String help, ToDoubleFunction<SessionStats> read) {
        FunctionCounter.builder(name, this, m -> read.applyAsDouble(m.sessions.get()))
                .description(help).register(registry);
    }

    private void verifierCounter(MeterRegistry registry, String name, String help,
                                 ToDoubleFunction<VerifierStats> read) {
        FunctionCounter.builder(name, this, m -> read.applyAsDouble(m.stats()))
                .description(help).register(registry);
    }
}

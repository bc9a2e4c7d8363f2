package org.mcpidp.mcpauth.audit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Set;
import java.util.logging.Logger;
import org.mcpidp.mcpauth.AccessDecision;
import org.mcpidp.mcpauth.AccessListener;
import org.mcpidp.mcpauth.AuthOutcome;

/**
 * The audit trail: an {@link AccessListener} that writes one JSON line ({@link AuditLine}, schema {@code "v":1}) per
 * {@link AccessDecision} to the java.util.logging logger {@link AuditSettings#logger()}, through a bounded queue and
 * one writer thread ({@link AuditSink}), so a request never waits for, or fails because of, the audit log. Counted in
 * Micrometer: {@code mcp_audit_events_total} (every event), {@code mcp_audit_events_dropped_total{reason}}
 * ({@code queue_full}, {@code sink_error}) and the gauge {@code mcp_audit_queue_events}.
 *
 * <pre>{@code
 * AuditTrail audit = AuditTrail.start(AuditSettings.from(config), registry);
 * BearerAuthFeature.builder().accessListener(AccessListener.of(metrics, audit)).acceptRequestId(...)
 * }</pre>
 */
public final class AuditTrail implements AccessListener, AutoCloseable {

    private final AuditSettings settings;
    private final Clock clock;
    private final Counter events;
    private final Counter queueFull;
    private final Counter sinkError;
    private final AuditSink sink;

    AuditTrail(AuditSettings settings, MeterRegistry registry, Clock clock, Logger logger) {
        this.settings = settings;
        this.clock = clock;
        this.events = Counter.builder("mcp.audit.events")
                .description("Audit events produced (written or dropped).").register(registry);
        this.queueFull = dropped(registry, "queue_full");
        this.sinkError = dropped(registry, "sink_error");
        this.sink = new AuditSink(logger, settings.queueSize(), new AuditSink.Drops() {
            @Override
            public void queueFull() {
                queueFull.increment();
            }

            @Override
            public void sinkFailed() {
                sinkError.increment();
            }
        });
        Gauge.builder("mcp.audit.queue", sink, AuditSink::queued).baseUnit("events")
                .description("Audit events waiting for the writer.").register(registry);
    }

    /** Starts the writer; events go to the logger {@link AuditSettings#logger()} (held here, so its config sticks). */
    public static AuditTrail start(AuditSettings settings, MeterRegistry registry) {
        return new AuditTrail(settings, registry, Clock.systemUTC(), Logger.getLogger(settings.logger()));
    }

    private static Counter dropped(MeterRegistry registry, String reason) {
        return Counter.builder("mcp.audit.events.dropped")
                .description("Audit events lost: the queue was full, or the log handler failed.")
                .tag("reason", reason).register(registry);
    }

    @Override
    public void outcome(AuthOutcome outcome) {
        // counted by metrics; the audit line comes with the full decision
    }

    @Override
    public void decided(AccessDecision decision) {
        if (!settings.enabled()) {
            return;
        }
        events.increment();
        sink.offer(new AuditLine(clock.instant(), decision));
    }

    @Override
    public Set<String> recordedArguments(String tool) {
        return settings.enabled() ? settings.arguments().getOrDefault(tool, Set.of()) : Set.of();
    }

    /** Events lost so far (queue full plus handler failures). */
    public long dropped() {
        return (long) (queueFull.count() + sinkError.count());
    }

    /** Stops the writer after it wrote what is queued (at most 2 s). */
    @Override
    public void close() {
        sink.close();
    }
}

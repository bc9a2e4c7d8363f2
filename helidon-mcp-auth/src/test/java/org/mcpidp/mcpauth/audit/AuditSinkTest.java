package org.mcpidp.mcpauth.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.mcpidp.mcpauth.AccessDecision;
import org.mcpidp.mcpauth.AuthOutcome;
import org.mcpidp.testkit.LogHandlers;

/** The audit trail's queue and writer with a logger of its own: lines in order, drops counted, never blocking. */
class AuditSinkTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void whenDecisionsAreToldThenOneJsonLinePerDecisionInOrderWithTheV1Keys() throws Exception {
        Logger logger = logger();
        List<String> lines = new CopyOnWriteArrayList<>();
        AuditFormatter formatter = new AuditFormatter();
        logger.addHandler(LogHandlers.of(record -> lines.add(formatter.format(record))));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (AuditTrail audit = new AuditTrail(AuditSettings.defaults(), registry, CLOCK, logger)) {
            audit.decided(decision("r-1", AuthOutcome.AUTHENTICATED, "authenticated", 200));
            audit.decided(decision("r-2", AuthOutcome.INVALID_TOKEN, "invalid_token", 401));
        }
        assertThat(lines).containsExactly(
                "{\"v\":1,\"time\":\"2026-12-01T10:00:00Z\",\"event\":\"request\",\"request_id\":\"r-1\","
                        + "\"decision\":\"allowed\",\"reason\":\"authenticated\",\"status\":200,\"http_method\":\"POST\","
                        + "\"method\":\"tools/call\",\"tool\":\"whoami\",\"session_id\":\"s-1\",\"issuer\":\"https://idp\","
                        + "\"subject\":\"u-1\",\"client_id\":\"agent\",\"username\":\"alice\",\"latency_ms\":1.5}\n",
                "{\"v\":1,\"time\":\"2026-12-01T10:00:00Z\",\"event\":\"request\",\"request_id\":\"r-2\","
                        + "\"decision\":\"denied\",\"reason\":\"invalid_token\",\"status\":401,\"http_method\":\"POST\","
                        + "\"method\":\"tools/call\",\"tool\":\"whoami\",\"session_id\":\"s-1\",\"issuer\":\"https://idp\","
                        + "\"subject\":\"u-1\",\"client_id\":\"agent\",\"username\":\"alice\",\"latency_ms\":1.5}\n");
        assertThat(registry.get("mcp.audit.events").counter().count()).isEqualTo(2);
    }

    @Test
    void whenTheHandlerBlocksThenOffersDoNotWaitAndTheOverflowIsCountedAsQueueFull() throws Exception {
        Logger logger = logger();
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> written = new CopyOnWriteArrayList<>();
        logger.addHandler(LogHandlers.of(record -> {
            blocked.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            written.add(record.getMessage());
        }));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AuditSettings settings = new AuditSettings(true, "x", 2, true, Map.of());
        try (AuditTrail audit = new AuditTrail(settings, registry, CLOCK, logger)) {
            audit.decided(decision("r-0", AuthOutcome.NO_TOKEN, "no_token", 401));
            assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
            long start = System.nanoTime();
            for (int i = 1; i < 20; i++) {
                audit.decided(decision("r-" + i, AuthOutcome.NO_TOKEN, "no_token", 401));
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(dropped(registry, "queue_full")).isEqualTo(17);
            assertThat(audit.dropped()).isEqualTo(17);
            release.countDown();
        }
        assertThat(written).hasSize(3);
        assertThat(written.get(2)).contains("\"request_id\":\"r-2\"");
    }

    @Test
    void whenLinesKeepComingThenTheyAreFlushedTogetherOnceNoMoreCome() throws Exception {
        Logger logger = logger();
        List<String> events = new CopyOnWriteArrayList<>();
        logger.addHandler(new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                events.add("line");
            }

            @Override
            public void flush() {
                events.add("flush");
            }

            @Override
            public void close() {
            }
        });
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (AuditTrail audit = new AuditTrail(AuditSettings.defaults(), registry, CLOCK, logger)) {
            for (int i = 0; i < 200; i++) {
                audit.decided(decision("r-" + i, AuthOutcome.AUTHENTICATED, "authenticated", 200));
                // slower than the writer, as requests are: it finds one line at a time in the queue
                java.util.concurrent.locks.LockSupport.parkNanos(200_000);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!(events.size() > 200 && events.getLast().equals("flush")) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            // every line is out once the writer has been quiet for a moment, without closing the trail
            assertThat(events.stream().filter("line"::equals)).hasSize(200);
            assertThat(events.getLast()).isEqualTo("flush");
        }
        // not a flush per line (a loaded machine may pause the producer past the quiet time now and then)
        assertThat(events.stream().filter("flush"::equals).count()).isLessThan(50);
    }

    @Test
    void whenTheHandlerThrowsThenEachLostLineIsCountedAndTheWriterGoesOn() {
        Logger logger = logger();
        List<String> written = new CopyOnWriteArrayList<>();
        logger.addHandler(LogHandlers.of(record -> {
            if (record.getMessage().contains("\"request_id\":\"bad")) {
                throw new IllegalStateException("disk full");
            }
            written.add(record.getMessage());
        }));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (AuditTrail audit = new AuditTrail(AuditSettings.defaults(), registry, CLOCK, logger)) {
            audit.decided(decision("bad-1", AuthOutcome.NO_TOKEN, "no_token", 401));
            audit.decided(decision("good-1", AuthOutcome.NO_TOKEN, "no_token", 401));
            audit.decided(decision("bad-2", AuthOutcome.NO_TOKEN, "no_token", 401));
        }
        assertThat(dropped(registry, "sink_error")).isEqualTo(2);
        assertThat(written).hasSize(1);
    }

    @Test
    void whenAuditIsDisabledThenNothingIsWrittenOrCounted() {
        Logger logger = logger();
        List<String> written = new CopyOnWriteArrayList<>();
        logger.addHandler(LogHandlers.of(record -> written.add(record.getMessage())));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (AuditTrail audit = new AuditTrail(new AuditSettings(false, "x", 8, true, Map.of("t", java.util.Set.of("a"))),
                registry, CLOCK, logger)) {
            audit.decided(decision("r-1", AuthOutcome.AUTHENTICATED, "authenticated", 200));
            assertThat(audit.recordedArguments("t")).isEmpty();
        }
        assertThat(written).isEmpty();
        assertThat(registry.get("mcp.audit.events").counter().count()).isZero();
    }

    private static long dropped(SimpleMeterRegistry registry, String reason) {
        return (long) registry.get("mcp.audit.events.dropped").tag("reason", reason).counter().count();
    }

    private static AccessDecision decision(String requestId, AuthOutcome outcome, String reason, int status) {
        return new AccessDecision(AccessDecision.Kind.REQUEST, Optional.of(requestId), outcome, reason, status,
                Optional.of("POST"), Optional.of(new AccessDecision.Caller("https://idp", "u-1", Optional.of("agent"),
                Optional.of("alice"))), Optional.of("s-1"), Optional.of("tools/call"), Optional.of("whoami"),
                Duration.ofNanos(1_500_000), Map.of());
    }

    private static Logger logger() {
        Logger logger = Logger.getAnonymousLogger();
        logger.setUseParentHandlers(false);
        return logger;
    }
}

package org.mcpidp.downstream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The facade's meters, when a registry was given: {@code downstream_exchanges_total{outcome}},
 * {@code downstream_cache_hits_total}, {@code downstream_exchange_seconds} (histogram) and
 * {@code downstream_exchange_failures_total{reason}} (Prometheus names). No token, subject or audience in any tag:
 * tags stay low-cardinality and free of personal data.
 */
final class ExchangeMetrics {

    private final Optional<Counter> issued;
    private final Optional<Counter> failed;
    private final Optional<Counter> hits;
    private final Optional<Timer> latency;
    private final Map<ExchangeFailure.Reason, Counter> failures = new EnumMap<>(ExchangeFailure.Reason.class);

    ExchangeMetrics(Optional<MeterRegistry> registry) {
        issued = registry.map(r -> Counter.builder("downstream.exchanges").tag("outcome", "issued")
                .description("Token exchanges made with the identity provider").register(r));
        failed = registry.map(r -> Counter.builder("downstream.exchanges").tag("outcome", "failed")
                .description("Token exchanges made with the identity provider").register(r));
        hits = registry.map(r -> Counter.builder("downstream.cache.hits")
                .description("Downstream tokens served from the cache").register(r));
        latency = registry.map(r -> Timer.builder("downstream.exchange").publishPercentileHistogram()
                .description("Time of one token exchange with the identity provider").register(r));
        registry.ifPresent(r -> {
            for (ExchangeFailure.Reason reason : ExchangeFailure.Reason.values()) {
                failures.put(reason, Counter.builder("downstream.exchange.failures").tag("reason", reason.name())
                        .description("Token exchanges that gave no token, by reason").register(r));
            }
        });
    }

    void hit() {
        hits.ifPresent(Counter::increment);
    }

    void exchanged(ExchangeOutcome outcome, Duration took) {
        latency.ifPresent(t -> t.record(took));
        switch (outcome) {
            case ExchangeOutcome.Issued issuedToken -> issued.ifPresent(Counter::increment);
            case ExchangeOutcome.Failed(ExchangeFailure failure) -> {
                failed.ifPresent(Counter::increment);
                Counter byReason = failures.get(failure.reason());
                if (byReason != null) {
                    byReason.increment();
                }
            }
        }
    }
}

package org.mcpidp.downstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.mcpidp.verifier.AuthInfo;
import org.mcpidp.testkit.MutableClock;
import org.mcpidp.verifier.CallerToken;

/** The facade's cache and metrics over a counting exchanger; time is an injected clock, never a sleep. */
class DownstreamTokensCacheTest {

    private static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");
    private static final DownstreamTarget ORDERS = new DownstreamTarget("orders-api", Set.of("orders:read"));

    private final MutableClock clock = new MutableClock(T0);
    private final AtomicInteger exchanges = new AtomicInteger();
    private final AtomicReference<Duration> issuedLifetime = new AtomicReference<>(Duration.ofMinutes(5));
    private final AtomicReference<ExchangeOutcome> next = new AtomicReference<>();

    private final TokenExchanger counting = (subject, caller, target) -> {
        exchanges.incrementAndGet();
        ExchangeOutcome forced = next.get();
        return forced != null ? forced
                : new ExchangeOutcome.Issued(new DownstreamToken("exchanged-" + exchanges.get(), clock.instant().plus(issuedLifetime.get())));
    };

    private DownstreamTokens tokens(boolean cache) {
        return DownstreamTokens.builder().exchanger(counting).cache(cache).clock(clock)
                .expiryMargin(Duration.ofSeconds(30)).build();
    }

    private static AuthInfo caller(String token, Instant exp) {
        return new AuthInfo("user-1", Optional.of("agent"), "http://kc/realms/r", Set.of("mcp-server"),
                Set.of("mcp:read", "orders:read"), Set.of("reader"), exp, Map.of()).withToken(CallerToken.of(token));
    }

    /** After one exchange: {@code caller}'s entry still serves a second before {@code end}, and is gone a second after. */
    private void assertEntryEndsAt(DownstreamTokens tokens, AuthInfo caller, Instant end) {
        clock.set(end.minusSeconds(1));
        tokens.tokenFor(caller, ORDERS);
        assertThat(exchanges).as("exchanges one second before %s", end).hasValue(1);

        clock.set(end.plusSeconds(1));
        tokens.tokenFor(caller, ORDERS);
        assertThat(exchanges).as("exchanges one second after %s", end).hasValue(2);
    }

    @Test
    void whenTheSameCallerAsksTwiceThenOneExchange() {
        DownstreamTokens tokens = tokens(true);
        AuthInfo alice = caller("subject-a", T0.plusSeconds(600));

        ExchangeOutcome first = tokens.tokenFor(alice, ORDERS);
        ExchangeOutcome second = tokens.tokenFor(alice, ORDERS);

        assertThat(exchanges).hasValue(1);
        assertThat(second).isEqualTo(first);
    }

    @Test
    void whenManyConcurrentCallsMissThenTheyShareOneExchange() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        TokenExchanger slow = (subject, caller, target) -> {
            exchanges.incrementAndGet();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new ExchangeOutcome.Issued(new DownstreamToken("exchanged", clock.instant().plusSeconds(300)));
        };
        DownstreamTokens tokens = DownstreamTokens.builder().exchanger(slow).clock(clock).build();
        AuthInfo alice = caller("subject-a", T0.plusSeconds(600));
        List<Future<ExchangeOutcome>> calls = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 32; i++) {
                calls.add(pool.submit(() -> tokens.tokenFor(alice, ORDERS)));
            }
            while (exchanges.get() == 0) {
                Thread.onSpinWait();
            }
            release.countDown();
            for (Future<ExchangeOutcome> call : calls) {
                assertThat(call.get()).isInstanceOf(ExchangeOutcome.Issued.class);
            }
        }
        assertThat(exchanges).hasValue(1);
    }

    @Test
    void whenTheSubjectTokenExpiresFirstThenTheEntryEndsWithItMinusTheMargin() {
        DownstreamTokens tokens = tokens(true);
        AuthInfo alice = caller("subject-a", T0.plusSeconds(120)); // issued token would live 300 s
        tokens.tokenFor(alice, ORDERS);

        assertEntryEndsAt(tokens, alice, T0.plusSeconds(90)); // 120 - 30 margin
    }

    @Test
    void whenTheIssuedTokenExpiresFirstThenTheEntryEndsWithItMinusTheMargin() {
        issuedLifetime.set(Duration.ofSeconds(60));
        DownstreamTokens tokens = tokens(true);
        AuthInfo alice = caller("subject-a", T0.plusSeconds(3600));
        tokens.tokenFor(alice, ORDERS);

        assertEntryEndsAt(tokens, alice, T0.plusSeconds(30)); // 60 - 30 margin
    }

    @Test
    void whenAnExchangeFailsThenTheFailureIsNotCached() {
        DownstreamTokens tokens = tokens(true);
        AuthInfo alice = caller("subject-a", T0.plusSeconds(600));
        next.set(new ExchangeOutcome.Failed(ExchangeFailure.of(ExchangeFailure.Reason.UNAVAILABLE, "down")));

        assertThat(tokens.tokenFor(alice, ORDERS)).isInstanceOf(ExchangeOutcome.Failed.class);
        next.set(null);
        assertThat(tokens.tokenFor(alice, ORDERS)).isInstanceOf(ExchangeOutcome.Issued.class);

        assertThat(exchanges).hasValue(2);
    }

    @Test
    void whenTheCacheIsOffThenEveryCallExchanges() {
        DownstreamTokens tokens = tokens(false);
        AuthInfo alice = caller("subject-a", T0.plusSeconds(600));

        for (int i = 0; i < 3; i++) {
            tokens.tokenFor(alice, ORDERS);
        }

        assertThat(exchanges).hasValue(3);
        assertThat(tokens.cachedEntries()).isZero();
    }

    @Test
    void whenCallersOrTargetsDifferThenTheyDoNotShareEntries() {
        DownstreamTokens tokens = tokens(true);
        tokens.tokenFor(caller("subject-a", T0.plusSeconds(600)), ORDERS);
        tokens.tokenFor(caller("subject-b", T0.plusSeconds(600)), ORDERS);
        tokens.tokenFor(caller("subject-a", T0.plusSeconds(600)), new DownstreamTarget("orders-api", Set.of("orders:write")));

        assertThat(exchanges).hasValue(3);
    }

    @Test
    void whenTheCallerCarriesNoTokenThenRejectedWithoutAnExchange() {
        AuthInfo handMade = new AuthInfo("user-1", Optional.empty(), "http://kc/realms/r", Set.of(), Set.of(), Set.of(),
                T0.plusSeconds(600), Map.of());

        ExchangeOutcome outcome = tokens(true).tokenFor(handMade, ORDERS);

        assertThat(outcome).isInstanceOfSatisfying(ExchangeOutcome.Failed.class,
                f -> assertThat(f.failure().reason()).isEqualTo(ExchangeFailure.Reason.REJECTED));
        assertThat(exchanges).hasValue(0);
    }

    @Test
    void whenAnExchangerHandsBackTheCallersOwnTokenThenItIsRefused() {
        next.set(new ExchangeOutcome.Issued(new DownstreamToken("subject-a", T0.plusSeconds(300))));

        ExchangeOutcome outcome = tokens(true).tokenFor(caller("subject-a", T0.plusSeconds(600)), ORDERS);

        assertThat(outcome).isInstanceOf(ExchangeOutcome.Failed.class);
    }

    @Test
    void whenMetricsAreOnThenExchangesHitsAndFailuresAreCounted() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        DownstreamTokens tokens = DownstreamTokens.builder().exchanger(counting).clock(clock).meterRegistry(registry).build();
        AuthInfo alice = caller("subject-a", T0.plusSeconds(600));
        tokens.tokenFor(alice, ORDERS);
        tokens.tokenFor(alice, ORDERS);
        next.set(new ExchangeOutcome.Failed(ExchangeFailure.of(ExchangeFailure.Reason.SCOPE_NOT_ALLOWED, "no")));
        tokens.tokenFor(caller("subject-b", T0.plusSeconds(600)), ORDERS);

        assertThat(registry.get("downstream.exchanges").tag("outcome", "issued").counter().count()).isEqualTo(1);
        assertThat(registry.get("downstream.exchanges").tag("outcome", "failed").counter().count()).isEqualTo(1);
        assertThat(registry.get("downstream.cache.hits").counter().count()).isEqualTo(1);
        assertThat(registry.get("downstream.exchange.failures").tag("reason", "SCOPE_NOT_ALLOWED").counter().count())
                .isEqualTo(1);
        assertThat(registry.get("downstream.exchange").timer().count()).isEqualTo(2);
        assertThat(registry.getMeters().toString()).doesNotContain("subject-a", "exchanged-");
    }

    @Test
    void whenPrintedThenNoTokenShows() {
        AuthInfo alice = caller("subject-secret-value", T0.plusSeconds(600));
        DownstreamToken token = new DownstreamToken("downstream-secret-value", T0);

        assertThat(alice.toString() + alice.token().orElseThrow() + token
                + new DownstreamException(ExchangeFailure.of(ExchangeFailure.Reason.REJECTED, "x")).getMessage())
                .doesNotContain("subject-secret-value", "downstream-secret-value");
    }
}

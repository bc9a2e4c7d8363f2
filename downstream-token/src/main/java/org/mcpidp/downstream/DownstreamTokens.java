package org.mcpidp.downstream;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.mcpidp.verifier.AuthInfo;
import org.mcpidp.verifier.CallerToken;

/**
 * Tokens for the company's APIs, made for the caller of a tool: one call in a tool.
 * <pre>{@code
 * AuthInfo caller = request.requestContext().get(AuthInfo.class).orElseThrow();
 * ExchangeOutcome outcome = tokens.tokenFor(caller, new DownstreamTarget("orders-api", Set.of("orders:read")));
 * }</pre>
 * The caller's {@link AuthInfo} must carry its verified token (the verifier attaches it; {@link AuthInfo#token()}).
 * Answers are cached (unless turned off) under a SHA-256 of issuer and subject token plus the target, until the
 * earlier of the issued token's and the subject token's expiry, minus a margin; concurrent misses for one key share
 * one exchange; failures are never cached. Thread-safe; blocking (call it from a virtual thread).
 */
public final class DownstreamTokens {

    private final TokenExchanger exchanger;
    private final Optional<ExchangeCache> cache;
    private final ExchangeMetrics metrics;
    private final Clock clock;

    private DownstreamTokens(Builder b) {
        this.exchanger = b.exchanger;
        this.clock = b.clock;
        this.metrics = new ExchangeMetrics(Optional.ofNullable(b.meterRegistry));
        this.cache = b.cache ? Optional.of(new ExchangeCache(b.maxSize, b.expiryMargin, b.clock)) : Optional.empty();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A token for {@code target}, for {@code caller}; never throws for an IdP's answer.
     *
     * @return {@link ExchangeOutcome.Issued}, or {@link ExchangeOutcome.Failed} with a typed reason ({@code REJECTED}
     * when the caller carries no verified token, e.g. with authentication turned off)
     */
    public ExchangeOutcome tokenFor(AuthInfo caller, DownstreamTarget target) {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(target, "target");
        Optional<CallerToken> subject = caller.token();
        if (subject.isEmpty()) {
            return new ExchangeOutcome.Failed(ExchangeFailure.of(ExchangeFailure.Reason.REJECTED,
                    "the caller carries no verified token to exchange (authentication off, or an AuthInfo built by hand)"));
        }
        if (cache.isEmpty()) {
            return exchange(subject.get(), caller, target);
        }
        return cache.get().get(ExchangeKey.of(caller.issuer(), subject.get().value(), target), caller.expiresAt(),
                () -> exchange(subject.get(), caller, target), metrics::hit);
    }

    /** Entries in the cache now (0 when it is off); for tests and gauges. */
    public long cachedEntries() {
        return cache.map(ExchangeCache::size).orElse(0L);
    }

    private ExchangeOutcome exchange(CallerToken subject, AuthInfo caller, DownstreamTarget target) {
        long start = System.nanoTime();
        ExchangeOutcome outcome;
        try {
            outcome = Objects.requireNonNull(exchanger.exchange(subject.value(), caller, target), "exchange outcome");
        } catch (RuntimeException broken) {
            // An exchanger must not throw; if one does, the tool still gets a typed answer and the server stays up.
            outcome = new ExchangeOutcome.Failed(ExchangeFailure.of(ExchangeFailure.Reason.UNAVAILABLE,
                    "the token exchanger failed (" + broken.getClass().getSimpleName() + ")"));
        }
        if (outcome instanceof ExchangeOutcome.Issued(DownstreamToken token) && subject.matches(token.value())) {
            // Passthrough by the back door: an exchanger (or IdP) that hands back the caller's own token.
            outcome = new ExchangeOutcome.Failed(ExchangeFailure.of(ExchangeFailure.Reason.REJECTED,
                    "the exchange returned the caller's own token; it is never sent downstream"));
        }
        metrics.exchanged(outcome, Duration.ofNanos(System.nanoTime() - start));
        return outcome;
    }

    /** Settings, each validated when set. */
    public static final class Builder {

        private TokenExchanger exchanger;
        private boolean cache = true;
        private long maxSize = 10_000;
        private Duration expiryMargin = Duration.ofSeconds(30);
        private Clock clock = Clock.systemUTC();
        private MeterRegistry meterRegistry;

        private Builder() {
        }

        /** Required: the IdP's exchange ({@link KeycloakTokenExchange}, or Entra's On-Behalf-Of). */
        public Builder exchanger(TokenExchanger value) {
            this.exchanger = Objects.requireNonNull(value, "exchanger");
            return this;
        }

        /** Whether to cache issued tokens; default true. Off: every call exchanges. */
        public Builder cache(boolean value) {
            this.cache = value;
            return this;
        }

        /** Most entries kept (least recently used go first); default 10,000. */
        public Builder maxSize(long value) {
            if (value < 1) {
                throw new IllegalArgumentException("maxSize must be at least 1, got " + value);
            }
            this.maxSize = value;
            return this;
        }

        /** How long before the earlier expiry an entry is dropped, so a tool never sends a token about to die. */
        public Builder expiryMargin(Duration value) {
            Objects.requireNonNull(value, "expiryMargin");
            if (value.isNegative()) {
                throw new IllegalArgumentException("expiryMargin cannot be negative, got " + value);
            }
            this.expiryMargin = value;
            return this;
        }

        /** The clock for cache lifetimes; tests inject one they advance. */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** Where to publish metrics; none by default. */
        public Builder meterRegistry(MeterRegistry value) {
            this.meterRegistry = Objects.requireNonNull(value, "meterRegistry");
            return this;
        }

        public DownstreamTokens build() {
            if (exchanger == null) {
                throw new IllegalStateException("DownstreamTokens needs an exchanger (e.g. KeycloakTokenExchange)");
            }
            return new DownstreamTokens(this);
        }
    }
}

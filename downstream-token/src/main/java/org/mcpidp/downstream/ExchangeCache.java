package org.mcpidp.downstream;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Issued downstream tokens by {@link ExchangeKey}. An entry lives until the earlier of the issued token's expiry and
 * the subject token's, minus the margin: Keycloak does not cap an exchanged token by its subject token, so without
 * the second bound a cached token would outlive the caller's own. Failures are values only so that concurrent
 * waiters get them; they are kept for zero time (never cached).
 */
final class ExchangeCache {

    /** What the cache stores: the outcome and the subject token's expiry, which bounds the entry. */
    private record Entry(ExchangeOutcome outcome, Instant subjectExpiresAt) {
    }

    private static final Duration MAX_LIFETIME = Duration.ofDays(1);

    private final AsyncCache<ExchangeKey, Entry> cache;

    ExchangeCache(long maxSize, Duration margin, Clock clock) {
        this.cache = Caffeine.newBuilder()
                .maximumSize(maxSize)
                .expireAfter(Expiry.writing((ExchangeKey key, Entry entry) -> lifetime(entry, margin, clock)))
                .ticker(() -> {
                    Instant now = clock.instant();
                    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
                })
                .executor(Runnable::run)
                .buildAsync();
    }

    ExchangeOutcome get(ExchangeKey key, Instant subjectExpiresAt, Supplier<ExchangeOutcome> exchange, Runnable onHit) {
        CompletableFuture<Entry> future = cache.getIfPresent(key);
        if (future != null) {
            onHit.run();
            return future.join().outcome();
        }
        CompletableFuture<Entry> mine = new CompletableFuture<>();
        future = cache.get(key, (k, executor) -> mine);
        if (future != mine) {
            onHit.run();
            return future.join().outcome();
        }
        // This caller exchanges, on its own thread; concurrent callers for the same key wait for this one answer.
        // The exchange never throws (DownstreamTokens catches), so the future is never exceptional.
        ExchangeOutcome outcome = exchange.get();
        mine.complete(new Entry(outcome, subjectExpiresAt));
        return outcome;
    }

    long size() {
        return cache.synchronous().estimatedSize();
    }

    /**
     * Until the earlier expiry minus the margin, capped at a day; a failure for zero time. Caffeine's
     * {@link Expiry#writing} applies it on create and update and leaves reads alone.
     */
    private static Duration lifetime(Entry entry, Duration margin, Clock clock) {
        if (!(entry.outcome() instanceof ExchangeOutcome.Issued(DownstreamToken token))) {
            return Duration.ZERO;
        }
        Instant until = token.expiresAt().isBefore(entry.subjectExpiresAt())
                ? token.expiresAt() : entry.subjectExpiresAt();
        Duration left = Duration.between(clock.instant(), until.minus(margin));
        // Saturate: an absurd exp (years ahead) must not overflow the nanosecond count.
        return left.isNegative() ? Duration.ZERO : left.compareTo(MAX_LIFETIME) > 0 ? MAX_LIFETIME : left;
    }
}

package org.mcpidp.verifier;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/**
 * Remembers what a source answered for a token, under a SHA-256 of issuer and token (never the token itself), and
 * puts that memory in front of a source ({@link #around}). The policy is not cached: it runs on every hit, so a
 * cached answer can never outlive its token. Concurrent misses for one token share one load.
 */
final class VerificationCache {

    private final AsyncCache<TokenDigest, Outcome> cache;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    VerificationCache(CacheSettings settings, Clock clock) {
        this.cache = Caffeine.newBuilder()
                .maximumSize(settings.maximumSize())
                .expireAfter(expiry(settings, clock))
                .ticker(ticker(clock))
                .executor(Runnable::run)
                .buildAsync();
    }

    /**
     * Caffeine reads its ticker several times per lookup: with the system clock that is {@code System.nanoTime}
     * (no {@code Instant} per read); an injected clock (tests) drives the expiry instead. Either way lifetimes are
     * durations from the clock's now ({@link #expiry}), so both agree.
     */
    private static Ticker ticker(Clock clock) {
        if (clock.equals(Clock.systemUTC())) {
            return Ticker.systemTicker();
        }
        return () -> {
            Instant now = clock.instant();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        };
    }

    /** {@code source} with this cache in front; {@code digestPrefix} keeps the issuers' entries apart. */
    TokenSource around(TokenSource source, byte[] digestPrefix) {
        return (token, jwt) -> get(TokenDigest.of(digestPrefix, token), token, jwt, source);
    }

    private Outcome get(TokenDigest key, String token, SignedJWT jwt, TokenSource source) {
        CompletableFuture<Outcome> future = cache.getIfPresent(key);
        if (future != null) {
            // the hot path: no allocation beyond the key
            hits.increment();
            return future.join();
        }
        CompletableFuture<Outcome> mine = new CompletableFuture<>();
        future = cache.get(key, (k, executor) -> mine);
        if (future != mine) {
            hits.increment();
            return future.join();
        }
        // This caller loads, on its own thread; concurrent callers with the same token wait for this one result.
        // Sources never throw and the value is never exceptional, so join() never wraps anything to unwrap.
        misses.increment();
        Outcome outcome = source.authenticate(token, jwt);
        if (outcome instanceof Outcome.Accepted(AuthInfo info) && info.token().isPresent()) {
            // A custom verification may hand back a token-bearing AuthInfo: the cache keeps digests, never tokens.
            outcome = new Outcome.Accepted(info.withoutToken());
        }
        mine.complete(outcome);
        return outcome;
    }

    long hits() {
        return hits.sum();
    }

    long misses() {
        return misses.sum();
    }

    long size() {
        return cache.synchronous().estimatedSize();
    }

    private static Expiry<TokenDigest, Outcome> expiry(CacheSettings settings, Clock clock) {
        long maxNanos = settings.maxLifetime().toNanos();
        long negativeNanos = settings.negativeLifetime().toNanos();
        return new Expiry<>() {
            @Override
            public long expireAfterCreate(TokenDigest key, Outcome outcome, long currentTime) {
                return switch (outcome) {
                    // Until exp; a token already past exp is kept like a rejected one: the policy refuses it on
                    // every hit, and the IdP is not asked again for it at once.
                    case Outcome.Accepted accepted -> {
                        long untilExp = Duration.between(clock.instant(), accepted.info().expiresAt()).toNanos();
                        yield untilExp > 0 ? Math.min(maxNanos, untilExp) : negativeNanos;
                    }
                    // Unavailable is kept for zero time: retried next time. It is a value only so that callers
                    // waiting on the same load get it (an exceptional future would make Caffeine log each one).
                    case Outcome.Failed failed -> failed.failure() instanceof VerificationFailure.Unavailable
                            ? 0 : negativeNanos;
                };
            }

            @Override
            public long expireAfterUpdate(TokenDigest key, Outcome outcome, long currentTime, long currentDuration) {
                return expireAfterCreate(key, outcome, currentTime);
            }

            @Override
            public long expireAfterRead(TokenDigest key, Outcome outcome, long currentTime, long currentDuration) {
                return currentDuration;
            }
        };
    }
}

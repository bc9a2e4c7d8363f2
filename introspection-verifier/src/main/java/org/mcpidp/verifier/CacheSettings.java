package org.mcpidp.verifier;

import java.time.Duration;

/**
 * How verification outcomes are cached. A positive entry lives {@code min(maxLifetime, exp - now)}; an inactive or
 * invalid token is remembered for {@code negativeLifetime}. Revocation at the IdP is therefore seen after at most
 * {@code maxLifetime}; {@link #disabled()} asks the IdP on every request.
 *
 * @param enabled          false means "always introspect / always verify"
 * @param maximumSize      entries kept at most (each is a hash and a small record, never the token)
 * @param maxLifetime      upper bound for a positive entry
 * @param negativeLifetime how long a rejected token is remembered
 */
public record CacheSettings(boolean enabled, long maximumSize, Duration maxLifetime, Duration negativeLifetime) {

    public CacheSettings {
        if (maximumSize < 1) {
            throw new IllegalArgumentException("cache maximumSize must be at least 1");
        }
        if (maxLifetime.isNegative() || maxLifetime.isZero() || negativeLifetime.isNegative()) {
            throw new IllegalArgumentException("cache lifetimes must be positive (maxLifetime) and not negative");
        }
    }

    /** 10,000 entries, at most 60 s per positive entry, 5 s for rejected tokens. */
    public static CacheSettings defaults() {
        return new CacheSettings(true, 10_000, Duration.ofSeconds(60), Duration.ofSeconds(5));
    }

    /** No cache: every request goes to the IdP (instant revocation, full IdP load). */
    public static CacheSettings disabled() {
        return new CacheSettings(false, 1, Duration.ofSeconds(1), Duration.ZERO);
    }

    public CacheSettings withMaxLifetime(Duration value) {
        return new CacheSettings(enabled, maximumSize, value, negativeLifetime);
    }

    public CacheSettings withNegativeLifetime(Duration value) {
        return new CacheSettings(enabled, maximumSize, maxLifetime, value);
    }

    public CacheSettings withMaximumSize(long value) {
        return new CacheSettings(enabled, value, maxLifetime, negativeLifetime);
    }
}

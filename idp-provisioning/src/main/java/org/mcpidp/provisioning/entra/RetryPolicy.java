package org.mcpidp.provisioning.entra;

import java.time.Duration;

/**
 * How Graph calls are retried: 429 and 503 (honouring {@code Retry-After}), and 404/409 while objects created
 * moments ago may not have replicated yet. Waits grow exponentially from {@code base} with jitter, never beyond
 * {@code max}; after {@code maxAttempts} calls the last error is reported.
 *
 * @param freshness how long after a create a 404/409 is taken for replication delay rather than an answer
 */
record RetryPolicy(int maxAttempts, Duration base, Duration max, Duration freshness) {

    static final RetryPolicy DEFAULT = new RetryPolicy(7, Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofMinutes(2));

    RetryPolicy {
        if (maxAttempts < 1 || base.isNegative() || base.isZero() || max.compareTo(base) < 0 || freshness.isNegative()) {
            throw new IllegalArgumentException("need maxAttempts >= 1 and 0 < base <= max: " + maxAttempts + ", " + base + ", " + max);
        }
    }

    /** The wait before attempt {@code attempt + 1}: {@code base * 2^(attempt-1)}, capped, times a jitter in [0.5, 1). */
    Duration backoff(int attempt, double jitter) {
        long cap = max.toNanos();
        long exponential = base.toNanos() << Math.min(attempt - 1, 30);
        long bounded = exponential <= 0 || exponential > cap ? cap : exponential;
        return Duration.ofNanos((long) (bounded * (0.5 + jitter / 2)));
    }

    /** A server-chosen wait, capped so a hostile or confused {@code Retry-After} cannot stall an apply for hours. */
    Duration capped(Duration retryAfter) {
        return retryAfter.compareTo(max) > 0 ? max : retryAfter;
    }
}

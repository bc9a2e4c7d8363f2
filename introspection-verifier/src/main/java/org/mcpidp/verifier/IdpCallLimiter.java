package org.mcpidp.verifier;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Bounds the IdP calls in flight. A burst of distinct cold tokens must not open a connection per token nor queue
 * without limit: past the bound a caller waits briefly, then is told "unavailable" (503, retry).
 */
final class IdpCallLimiter {

    private final Semaphore permits;
    private final Duration queueTimeout;
    private final LongAdder rejected = new LongAdder();

    IdpCallLimiter(int maxInFlight, Duration queueTimeout) {
        this.permits = new Semaphore(maxInFlight);
        this.queueTimeout = queueTimeout;
    }

    /** Runs {@code call} holding a permit. */
    <T> T call(IdpCall<T> call) throws TokenVerificationException {
        boolean acquired;
        try {
            acquired = permits.tryAcquire(queueTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TokenVerificationException(new VerificationFailure.Unavailable(
                    "interrupted while waiting for the identity provider", Duration.ofSeconds(1)));
        }
        if (!acquired) {
            rejected.increment();
            throw new TokenVerificationException(new VerificationFailure.Unavailable(
                    "too many token checks in progress at the identity provider", Duration.ofSeconds(1)));
        }
        try {
            return call.run();
        } finally {
            permits.release();
        }
    }

    long rejected() {
        return rejected.sum();
    }

    @FunctionalInterface
    interface IdpCall<T> {
        T run() throws TokenVerificationException;
    }
}

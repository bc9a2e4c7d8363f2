package org.mcpidp.http;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Bounds the calls in flight to an identity provider (introspection, token exchange, On-Behalf-Of). A burst of distinct
 * cold tokens must neither open a connection per token nor queue without limit: past the bound a caller waits at most
 * the queue timeout and is then told "unavailable" (503, retry).
 * <pre>{@code
 * Optional<CallLimiter.Permit> permit = limiter.acquire();
 * if (permit.isEmpty()) {
 *     return unavailable("too many calls in progress at the identity provider");
 * }
 * try (CallLimiter.Permit held = permit.get()) {
 *     return call();
 * }
 * }</pre>
 */
public final class CallLimiter {

    private final Semaphore permits;
    private final int maxInFlight;
    private final Duration queueTimeout;
    private final LongAdder rejected = new LongAdder();

    public CallLimiter(int maxInFlight, Duration queueTimeout) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1, not " + maxInFlight);
        }
        this.maxInFlight = maxInFlight;
        this.permits = new Semaphore(maxInFlight);
        this.queueTimeout = Objects.requireNonNull(queueTimeout, "queueTimeout");
    }

    /**
     * A permit, or empty when none came free within the queue timeout. An interrupted wait also answers empty, with
     * the thread's interrupt flag set again.
     */
    public Optional<Permit> acquire() {
        try {
            if (permits.tryAcquire(queueTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
                return Optional.of(new Permit(permits));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        rejected.increment();
        return Optional.empty();
    }

    /** How many callers were turned away since start. */
    public long rejected() {
        return rejected.sum();
    }

    public int maxInFlight() {
        return maxInFlight;
    }

    public Duration queueTimeout() {
        return queueTimeout;
    }

    /** One call's place; closing it (once) lets the next caller in. */
    public static final class Permit implements AutoCloseable {
        private final Semaphore permits;
        private boolean released;

        private Permit(Semaphore permits) {
            this.permits = permits;
        }

        @Override
        public void close() {
            if (!released) {
                released = true;
                permits.release();
            }
        }
    }
}

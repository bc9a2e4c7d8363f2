package org.mcpidp.mcpauth;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@link SessionRegistry}'s sweep of idle sessions in the background while the server runs. The registry also
 * sweeps on every admission and use, but only when a request comes: without this a server that falls quiet would keep
 * its idle sessions (and the MCP extension's state for them) open. Four sweeps per idle timeout, between 50 ms and
 * 30 s apart, on one virtual thread.
 */
final class SessionSweeper {

    private final Duration idleTimeout;
    private final Runnable sweep;
    private ScheduledExecutorService executor;

    SessionSweeper(Duration idleTimeout, Runnable sweep) {
        this.idleTimeout = idleTimeout;
        this.sweep = sweep;
    }

    /** Idempotent; {@link #stop} ends it. */
    synchronized void start() {
        if (executor != null) {
            return;
        }
        long period = Math.clamp(idleTimeout.toMillis() / 4, 50, 30_000);
        executor = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("mcp-session-sweeper").factory());
        executor.scheduleWithFixedDelay(sweep, period, period, TimeUnit.MILLISECONDS);
    }

    synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }
}

package org.mcpidp.mcpserver.auth;

/**
 * Told what the bearer layer decided, for metrics: the outcome of every request to the MCP path, and every
 * {@code tools/call} it allowed or refused. Called on the request's thread: must be fast and must not throw.
 */
public interface AccessListener {

    /** Every request to the MCP path. */
    void outcome(AuthOutcome outcome);

    /**
     * Every {@code tools/call} decided. {@code tool} is the name the caller sent (unchecked: a listener that keys on it
     * must bound what it keeps); {@code latency} runs from the request reaching the filter until it was refused, or
     * until the MCP extension answered an allowed call.
     */
    default void toolCall(String tool, boolean allowed, java.time.Duration latency) {
    }
}

package org.mcpidp.mcpserver.auth;

import java.time.Duration;

/**
 * Told every decision the stages in front of the MCP endpoint take: metrics today, an audit trail later. Called on the
 * request's thread: an implementation must be fast and must not throw.
 */
public interface AccessListener {

    /** Does nothing. */
    AccessListener NONE = outcome -> { };

    /** The outcome of one request to the MCP path (exactly one per request). */
    void outcome(AuthOutcome outcome);

    /**
     * One {@code tools/call} decided by the JSON-RPC gate. {@code tool} is the name the caller sent (unchecked: a
     * listener that keys on it must bound what it keeps); {@code latency} runs from the request's arrival at the gate
     * to the end of its answer (for a refused call, until the 403 was written).
     */
    default void toolCall(String tool, boolean allowed, Duration latency) {
    }
}

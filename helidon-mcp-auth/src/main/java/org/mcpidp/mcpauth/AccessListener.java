package org.mcpidp.mcpauth;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Told every decision the stages in front of the MCP endpoint take: metrics ({@link #outcome}, {@link #toolCall}) and
 * an audit trail ({@link #decided}). Called on the request's thread (a session's idle expiry: on the sweeper's):
 * an implementation must be fast and must not throw.
 */
public interface AccessListener {

    /** Does nothing. */
    AccessListener NONE = outcome -> { };

    /** The outcome of one request to the MCP path (exactly one per request). */
    void outcome(AuthOutcome outcome);

    /**
     * One {@code tools/call} decided by the JSON-RPC gate. {@code tool} is the name the caller sent (unchecked: a
     * listener that keys on it must bound what it keeps); {@code latency} runs from the request's arrival at the gate
     * to the end of its answer (for a refused call, until it was refused: told just before the 403 is written).
     */
    default void toolCall(String tool, boolean allowed, Duration latency) {
    }

    /** The full record of a decision (see {@link AccessDecision} for when and how often), after the answer. */
    default void decided(AccessDecision decision) {
    }

    /**
     * The {@code arguments} of a {@code tools/call} of {@code tool} to put into its {@link AccessDecision} (top-level
     * names; default none). Only for tools whose arguments are known to hold no secret: an operator's allow-list.
     */
    default Set<String> recordedArguments(String tool) {
        return Set.of();
    }

    /** Tells each of {@code listeners} in turn; the recorded arguments are the union of theirs. */
    static AccessListener of(AccessListener... listeners) {
        List<AccessListener> all = List.of(listeners);
        // plain loops: these run on every request, and a capturing lambda per call is an allocation per call
        return new AccessListener() {
            @Override
            public void outcome(AuthOutcome outcome) {
                for (AccessListener listener : all) {
                    listener.outcome(outcome);
                }
            }

            @Override
            public void toolCall(String tool, boolean allowed, Duration latency) {
                for (AccessListener listener : all) {
                    listener.toolCall(tool, allowed, latency);
                }
            }

            @Override
            public void decided(AccessDecision decision) {
                for (AccessListener listener : all) {
                    listener.decided(decision);
                }
            }

            @Override
            public Set<String> recordedArguments(String tool) {
                // asked on every tools/call: no stream unless two listeners name arguments for this tool
                Set<String> union = Set.of();
                for (AccessListener listener : all) {
                    Set<String> names = listener.recordedArguments(tool);
                    if (!names.isEmpty()) {
                        union = union.isEmpty() ? names : java.util.stream.Stream.concat(union.stream(),
                                names.stream()).collect(java.util.stream.Collectors.toUnmodifiableSet());
                    }
                }
                return union;
            }
        };
    }
}

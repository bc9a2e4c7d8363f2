package org.mcpidp.mcpauth;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many {@code subscriptions/listen} streams each principal holds open: each one parks a thread and a connection
 * for as long as the caller's token lives, so one caller holds at most {@code max}. The newest stream wins: past the
 * bound the principal's oldest stream is ended (its client, if still there, listens again). A client that went away
 * without closing is only noticed on the next write to its stream; refusing the new stream instead would lock out a
 * client that simply reconnects (every run of a command-line client opens one) until the dead ones are noticed.
 */
final class ListenLimits {

    private final int max;
    private final Map<SessionRegistry.Principal, Deque<Listening>> open = new ConcurrentHashMap<>();

    ListenLimits(int max) {
        this.max = max;
    }

    /** One open stream; {@code end} ends it. */
    static final class Listening {
        private final SessionRegistry.Principal principal;
        private final Runnable end;

        private Listening(SessionRegistry.Principal principal, Runnable end) {
            this.principal = principal;
            this.end = end;
        }
    }

    /** Counts a stream of {@code principal}, ending its oldest when it already holds {@code max}. */
    Listening open(SessionRegistry.Principal principal, Runnable end) {
        Listening listening = new Listening(principal, end);
        Listening[] evicted = {null};
        open.compute(principal, (key, streams) -> {
            Deque<Listening> held = streams == null ? new ArrayDeque<>() : streams;
            if (held.size() >= max) {
                evicted[0] = held.pollFirst();
            }
            held.addLast(listening);
            return held;
        });
        if (evicted[0] != null) {
            evicted[0].end.run();
        }
        return listening;
    }

    void close(Listening listening) {
        open.computeIfPresent(listening.principal, (key, held) -> {
            held.remove(listening);
            return held.isEmpty() ? null : held;
        });
    }

    /** Streams {@code principal} holds now. */
    int held(SessionRegistry.Principal principal) {
        Deque<Listening> held = open.get(principal);
        return held == null ? 0 : held.size();
    }
}

package org.mcpidp.mcpauth;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many {@code subscriptions/listen} streams each principal holds open: each one parks a thread and a connection
 * for as long as the caller's token lives, so one caller may not hold more than {@code max}.
 */
final class ListenLimits {

    private final int max;
    private final Map<SessionRegistry.Principal, Integer> open = new ConcurrentHashMap<>();

    ListenLimits(int max) {
        this.max = max;
    }

    /** False when {@code principal} already holds {@code max} streams; else counts one more. */
    boolean open(SessionRegistry.Principal principal) {
        boolean[] admitted = {false};
        open.compute(principal, (key, count) -> {
            int current = count == null ? 0 : count;
            admitted[0] = current < max;
            return admitted[0] ? current + 1 : count;
        });
        return admitted[0];
    }

    void close(SessionRegistry.Principal principal) {
        open.computeIfPresent(principal, (key, count) -> count <= 1 ? null : count - 1);
    }
}

package org.mcpidp.mcpauth;

import java.time.Duration;
import java.util.Objects;

/**
 * How many MCP sessions the server keeps and for how long ({@code mcp.sessions.*}).
 *
 * @param max           {@code mcp.sessions.max}: sessions kept at most; opening one more closes the least recently
 *                      used session (its client gets 404 on its next request and opens a new one, as MCP prescribes)
 * @param idleTimeout   {@code mcp.sessions.idle-timeout}: a session unused this long is closed
 * @param maxPerSubject {@code mcp.sessions.max-per-subject}: sessions one principal (issuer + subject) may hold; one
 *                      more is refused with 429 and {@code Retry-After}, so one client cannot push others out
 */
public record SessionLimits(int max, Duration idleTimeout, int maxPerSubject) {

    public SessionLimits {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1");
        }
        if (maxPerSubject < 1 || maxPerSubject > max) {
            throw new IllegalArgumentException("maxPerSubject must be between 1 and max (" + max + ")");
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive");
        }
    }

    /** 1,000 sessions, 30 minutes idle, 100 per subject. */
    public static SessionLimits defaults() {
        return new SessionLimits(1000, Duration.ofMinutes(30), 100);
    }
}

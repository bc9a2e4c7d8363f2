package org.mcpidp.mcpauth;

/**
 * Counters of the session registry since start, for metrics, tests and the soak run.
 *
 * @param open               sessions open now (bound to a principal)
 * @param evictedForCapacity sessions closed because {@code mcp.sessions.max} was reached (least recently used first)
 * @param expiredIdle        sessions closed after {@code mcp.sessions.idle-timeout} without use
 * @param refusedPerSubject  {@code initialize} requests refused with 429 ({@code mcp.sessions.max-per-subject})
 * @param duplicateRequests  requests refused with 409 because their JSON-RPC id was already in flight in the session
 */
public record SessionStats(int open, long evictedForCapacity, long expiredIdle, long refusedPerSubject,
                           long duplicateRequests) {
}

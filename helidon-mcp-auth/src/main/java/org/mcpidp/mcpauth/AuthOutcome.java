package org.mcpidp.mcpauth;

/** How the bearer filter answered one request to the MCP endpoint; counted by metrics. */
public enum AuthOutcome {
    /** Token valid, request passed on to MCP. */
    AUTHENTICATED,
    /** No bearer token: 401 without an error code. */
    NO_TOKEN,
    /** Bad, expired, revoked, wrong-audience or wrong-issuer token: 401 invalid_token. */
    INVALID_TOKEN,
    /** Valid token without what the tool (or the server) needs: 403 insufficient_scope. */
    INSUFFICIENT_SCOPE,
    /** The IdP could not be asked: 503 with Retry-After. */
    UNAVAILABLE,
    /** Malformed request, e.g. two Authorization headers: 400 invalid_request. */
    BAD_REQUEST,
    /** A session opened by another subject, or unknown: 404. */
    SESSION_REFUSED,
    /** Body larger than the configured limit: 413. */
    PAYLOAD_TOO_LARGE,
    /** The subject already holds mcp.sessions.max-per-subject sessions: 429 with Retry-After. */
    SESSION_LIMIT,
    /** A JSON-RPC id already in flight in the same session: 409. */
    DUPLICATE_REQUEST,
    /** An Origin that is not allowed, or a Host that is not this server (DNS rebinding): 403 before anything else. */
    ORIGIN_REFUSED,
    /** Authentication is disabled (benchmarks only). */
    AUTH_DISABLED,
    /** Admitted, but the engine or the transport failed: a JSON-RPC internal error, never a stack trace. */
    FAILED
}

package org.mcpidp.mcpauth;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.mcpidp.verifier.AuthInfo;

/**
 * One decision the stages in front of the MCP endpoint took about a caller, with what an audit record needs. Told to
 * {@link AccessListener#decided} after the request was answered (or refused): one per JSON-RPC message of an admitted
 * POST (so a batch of two {@code tools/call} gives two), one for any other request (a refused one, a GET stream, a
 * DELETE), and one {@link Kind#SESSION_END} when a session ends (DELETE, idle expiry, eviction for capacity).
 *
 * <p>Never carries a token, a secret or a tool result. {@link #arguments} holds only the argument values a listener
 * asked for ({@link AccessListener#recordedArguments}); it is empty otherwise.
 *
 * @param requestId  the request's id (also the {@code X-Request-Id} answer header and the log's {@code request_id});
 *                   empty for a session that ended without a request (expiry, eviction)
 * @param outcome    {@link AuthOutcome#AUTHENTICATED} when allowed, else why not
 * @param reason     a stable reason code: {@code authenticated}, {@code no_token}, {@code invalid_token},
 *                   {@code missing_scope}, {@code missing_role}, {@code missing_scope_or_role}, {@code idp_unavailable},
 *                   {@code session_refused}, ... (docs/operating.md, "Audit", lists them);
 *                   for a session end {@code deleted}, {@code expired} or {@code evicted}
 * @param status     the HTTP status of the answer (0 for a session end without a request)
 * @param httpMethod GET, POST, DELETE (empty for a session end without a request)
 * @param rpcMethod  the JSON-RPC method; empty when the body was not read (refused before: 401, 503, 404)
 * @param tool       the tool of a {@code tools/call}
 * @param latency    from the request's arrival at the bearer filter until its answer was complete or refused
 */
public record AccessDecision(Kind kind, Optional<String> requestId, AuthOutcome outcome, String reason, int status,
                             Optional<String> httpMethod, Optional<Caller> caller, Optional<String> sessionId,
                             Optional<String> rpcMethod, Optional<String> tool, Duration latency,
                             Map<String, Object> arguments) {

    /** What was decided: a request (or one JSON-RPC message of it), or the end of a session. */
    public enum Kind { REQUEST, SESSION_END }

    public AccessDecision {
        Objects.requireNonNull(kind);
        Objects.requireNonNull(outcome);
        Objects.requireNonNull(reason);
        Objects.requireNonNull(latency);
        arguments = Map.copyOf(arguments);
    }

    /** True when the request was let through. */
    public boolean allowed() {
        return outcome == AuthOutcome.AUTHENTICATED || outcome == AuthOutcome.AUTH_DISABLED;
    }

    /**
     * Who called, from the verified token: issuer and subject always; the OAuth client and a username when the token
     * has them ({@code preferred_username}, else {@code upn} as Entra ID writes it).
     */
    public record Caller(String issuer, String subject, Optional<String> clientId, Optional<String> username) {
        public Caller {
            Objects.requireNonNull(issuer);
            Objects.requireNonNull(subject);
        }

        public static Caller of(AuthInfo info) {
            Optional<String> username = claim(info, "preferred_username").or(() -> claim(info, "upn"));
            return new Caller(info.issuer(), info.subject(), info.clientId(), username);
        }

        private static Optional<String> claim(AuthInfo info, String name) {
            return info.claims().get(name) instanceof String value && !value.isBlank()
                    ? Optional.of(value) : Optional.empty();
        }
    }
}

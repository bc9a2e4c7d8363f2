package org.mcpidp.mcpauth;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mcpidp.mcpauth.SessionRegistry.Admission;
import org.mcpidp.mcpauth.SessionRegistry.Principal;
import org.mcpidp.verifier.AuthInfo;

/**
 * Stage 2 of the bearer gate: MCP sessions belong to the principal that opened them. A request naming another
 * principal's (or an unknown) session gets 404; a new session (POST {@code initialize}, or the legacy SSE GET) needs
 * a free slot of the caller's ({@link SessionLimits}, else 429); a JSON-RPC id already in flight in the session gets
 * 409. The session id of a new session is bound before the first byte of its answer leaves.
 *
 * <p>In the extension's stateless mode ({@code McpServerConfig.stateless(true)}) a session id this instance does not
 * know is no refusal: another instance behind the balancer opened it, and Helidon MCP 1.2.0 answers such a request
 * with a throwaway session of its own. The request is then treated as one without a session (its bearer token was
 * verified on its own like every request's). A session this instance opened still belongs to its principal: naming
 * it with another principal's token stays 404, and {@code initialize}, which still stores a session in 1.2.0's
 * stateless mode, still needs a free slot.
 */
final class SessionGuard {

    private static final System.Logger LOGGER = System.getLogger(SessionGuard.class.getName());
    static final HeaderName SESSION_ID = HeaderNames.create("Mcp-Session-Id");

    private final SessionRegistry sessions;
    private final boolean stateless;

    SessionGuard(SessionRegistry sessions, boolean stateless) {
        this.sessions = sessions;
        this.stateless = stateless;
    }

    SessionRegistry registry() {
        return sessions;
    }

    /**
     * The caller's visit to the session its request names ({@code Mcp-Session-Id}), or to none yet; 404 for a session
     * it cannot use. Only that header names a session: the legacy HTTP+SSE transport's {@code ?sessionId=} query is
     * not served.
     */
    Decision<Visit> enter(Optional<String> sessionId, AuthInfo caller) {
        Principal principal = Principal.of(caller);
        if (sessionId.isPresent()) {
            SessionRegistry.Use use = sessions.use(sessionId.get(), principal);
            if (use == SessionRegistry.Use.UNKNOWN && stateless) {
                return Decision.pass(new Visit(principal, Optional.empty()));
            }
            if (use != SessionRegistry.Use.OWNED) {
                if (use == SessionRegistry.Use.OTHER_PRINCIPAL) {
                    LOGGER.log(Level.INFO, "refused a session opened by another principal (caller "
                            + caller.subject() + ")");
                }
                // 404 is what MCP clients expect for a session they cannot use: they start a new one. It does not
                // tell whether the session exists.
                return Decision.refuse(Refusal.of(Status.NOT_FOUND_404, AuthOutcome.SESSION_REFUSED,
                        "session_not_found", "unknown session, or a session opened by another principal"));
            }
        }
        return Decision.pass(new Visit(principal, sessionId));
    }

    /** One request's use of a session: what it reserved and started, undone by {@link #leave}. */
    final class Visit {
        private final Principal principal;
        private final Optional<String> sessionId;
        private Admission.Reserved reservation;
        private List<String> inFlight = List.of();

        private Visit(Principal principal, Optional<String> sessionId) {
            this.principal = principal;
            this.sessionId = sessionId;
        }

        /** The session the request runs in; empty for one that opens a session (or runs without). */
        Optional<String> sessionId() {
            return sessionId;
        }

        /**
         * Admits the JSON-RPC messages of a POST: a slot when they open a session ({@link #opensSession}), their ids
         * in flight when they run in one. A refusal is 429 (the caller's slots are taken) or 409 (an id in flight).
         */
        Optional<Refusal> admitPost(JsonRpcCalls calls) {
            if (sessionId.isEmpty() && calls.has(JsonRpcCalls.INITIALIZE)) {
                Admission admission = sessions.admit(principal);
                if (!(admission instanceof Admission.Reserved reserved)) {
                    return Optional.of(Refusal.later(Status.TOO_MANY_REQUESTS_429, AuthOutcome.SESSION_LIMIT,
                            ((Admission.SubjectFull) admission).retryAfter(), "too_many_sessions",
                            "this principal already holds " + sessions.limits().maxPerSubject()
                                    + " sessions: close one (DELETE) or wait until one expires"));
                }
                reservation = reserved;
            }
            return sessionId.isEmpty() ? Optional.empty() : startRequests(sessionId.get(), calls);
        }

        /** Whether the admitted POST opens a session: a slot is reserved for it until {@link #bind} or leave. */
        boolean opensSession() {
            return reservation != null;
        }

        /** The engine created session {@code id} for this request: it now belongs to the caller. */
        void bind(String id) {
            sessions.bind(reservation, id);
        }

        /**
         * After the engine answered: frees what this request held; a successful DELETE ({@code closed}) closes the
         * session, on behalf of {@code exchange}.
         */
        void leave(boolean closed, Exchange exchange) {
            if (reservation != null) {
                sessions.release(reservation); // no-op once the new session was bound
            }
            inFlight.forEach(rpcId -> sessions.endRequest(sessionId.orElseThrow(), rpcId));
            if (closed && sessionId.isPresent()) {
                sessions.close(sessionId.get(), Optional.of(exchange));
            }
        }

        /**
         * Marks the JSON-RPC requests in flight in the session; a 409 when one of their ids is already in flight
         * there. Helidon MCP 1.2.0 keys a request's answer channel by session and id only, so two concurrent requests
         * with the same id would get each other's answer (or an error).
         */
        private Optional<Refusal> startRequests(String session, JsonRpcCalls calls) {
            List<String> started = new ArrayList<>();
            for (JsonRpcCalls.Call call : calls.calls()) {
                if (call.method().isEmpty() || call.id() == null || call.id().isNull()) {
                    continue; // notifications and client responses have no answer to cross
                }
                String rpcId = inFlightKey(call.id());
                if (started.contains(rpcId) || !sessions.startRequest(session, rpcId)) {
                    started.forEach(id -> sessions.endRequest(session, id));
                    return Optional.of(Refusal.jsonRpc(Status.CONFLICT_409, AuthOutcome.DUPLICATE_REQUEST, call.id(),
                            JsonRpcCalls.INVALID_REQUEST, "request id " + call.id() + " is already in progress in "
                                    + "this session; use a new id for each request"));
                }
                started.add(rpcId);
            }
            inFlight = started;
            return Optional.empty();
        }
    }

    /**
     * The key of a JSON-RPC id among a session's requests in flight: a string id and a number id never share one
     * ({@code "1"} and {@code 1} are different ids). Cheap on purpose: {@code JsonNode.toString()} serializes through
     * an ObjectMapper, ~1% of a request's CPU.
     */
    static String inFlightKey(JsonNode id) {
        if (id.isTextual()) {
            return "s:" + id.textValue();
        }
        return id.isNumber() ? "n:" + id.asText() : "j:" + id;
    }
}

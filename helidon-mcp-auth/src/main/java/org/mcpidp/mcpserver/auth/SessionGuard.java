package org.mcpidp.mcpserver.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mcpidp.mcpserver.auth.SessionRegistry.Admission;
import org.mcpidp.mcpserver.auth.SessionRegistry.Principal;
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
    private final ErrorAnswers answers;
    private final boolean stateless;

    SessionGuard(SessionRegistry sessions, ErrorAnswers answers, boolean stateless) {
        this.sessions = sessions;
        this.answers = answers;
        this.stateless = stateless;
    }

    /**
     * The caller's visit to its session (or to none yet), or empty after answering 404. Only the
     * {@code Mcp-Session-Id} header names a session: the extension's legacy HTTP+SSE transport, whose
     * {@code ?sessionId=} query named one, is not served (see {@link BearerAuthFilter}).
     */
    Optional<Visit> enter(RoutingRequest req, RoutingResponse res, AuthInfo caller) {
        Optional<String> sessionId = req.headers().first(SESSION_ID);
        Principal principal = Principal.of(caller);
        if (sessionId.isPresent()) {
            SessionRegistry.Use use = sessions.use(sessionId.get(), principal);
            if (use == SessionRegistry.Use.UNKNOWN && stateless) {
                return Optional.of(new Visit(principal, Optional.empty()));
            }
            if (use != SessionRegistry.Use.OWNED) {
                if (use == SessionRegistry.Use.OTHER_PRINCIPAL) {
                    LOGGER.log(Level.INFO, "refused a session opened by another principal (caller "
                            + caller.subject() + ")");
                }
                // 404 is what MCP clients expect for a session they cannot use: they start a new one. It does not
                // tell whether the session exists.
                answers.refuse(res, AuthOutcome.SESSION_REFUSED, Status.NOT_FOUND_404, "session_not_found",
                        "unknown session, or a session opened by another principal");
                return Optional.empty();
            }
        }
        return Optional.of(new Visit(principal, sessionId));
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

        /**
         * Admits the JSON-RPC messages of a POST: a slot when they open a session, their ids in flight when they
         * run in one. False after answering 429 / 409.
         */
        boolean admitPost(RoutingResponse res, JsonRpcCalls calls) {
            if (sessionId.isEmpty() && calls.has(JsonRpcCalls.INITIALIZE)) {
                if (!reserve(res)) {
                    return false;
                }
                Admission.Reserved reserved = reservation;
                // Runs when the answer starts, before any byte leaves: the client can never use an unbound id.
                res.streamFilter(out -> {
                    res.headers().first(SESSION_ID).ifPresent(id -> sessions.bind(reserved, id));
                    return out;
                });
            }
            return sessionId.isEmpty() || startRequests(res, sessionId.get(), calls);
        }

        /** After the MCP handler answered: frees what this request held; a successful DELETE closes the session. */
        void leave(Method method, RoutingResponse res) {
            if (reservation != null) {
                sessions.release(reservation); // no-op once the new session was bound
            }
            inFlight.forEach(rpcId -> sessions.endRequest(sessionId.orElseThrow(), rpcId));
            if (Method.DELETE.equals(method) && sessionId.isPresent() && res.status().code() < 300) {
                sessions.close(sessionId.get());
            }
        }

        private boolean reserve(RoutingResponse res) {
            Admission admission = sessions.admit(principal);
            if (admission instanceof Admission.Reserved reserved) {
                reservation = reserved;
                return true;
            }
            answers.later(res, AuthOutcome.SESSION_LIMIT, Status.TOO_MANY_REQUESTS_429,
                    ((Admission.SubjectFull) admission).retryAfter(), "too_many_sessions",
                    "this principal already holds " + sessions.limits().maxPerSubject()
                            + " sessions: close one (DELETE) or wait until one expires");
            return false;
        }

        /**
         * Marks the JSON-RPC requests in flight in the session; false after answering 409 when one of their ids is
         * already in flight there. Helidon MCP 1.2.0 keys a request's answer channel by session and id only, so two
         * concurrent requests with the same id would get each other's answer (or an error).
         */
        private boolean startRequests(RoutingResponse res, String session, JsonRpcCalls calls) {
            List<String> started = new ArrayList<>();
            for (JsonRpcCalls.Call call : calls.calls()) {
                if (call.method().isEmpty() || call.id() == null || call.id().isNull()) {
                    continue; // notifications and client responses have no answer to cross
                }
                String rpcId = inFlightKey(call.id());
                if (started.contains(rpcId) || !sessions.startRequest(session, rpcId)) {
                    started.forEach(id -> sessions.endRequest(session, id));
                    answers.jsonRpcError(res, AuthOutcome.DUPLICATE_REQUEST, Status.CONFLICT_409, call.id(), -32600,
                            "request id " + call.id() + " is already in progress in this session; "
                                    + "use a new id for each request");
                    return false;
                }
                started.add(rpcId);
            }
            inFlight = started;
            return true;
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

package org.mcpidp.mcpauth;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.modern.server.McpHeaders;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStreamableServerSession;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.util.Optional;
import org.mcpidp.verifier.AuthInfo;

/**
 * The {@link SdkEndpoint}'s requests from clients of 2025-11-25 and older: {@code initialize} opens a session bound to
 * the caller ({@link SessionGuard}), every other request runs in one and is answered as an event stream, a DELETE
 * ends one. Authentication and the one parse happened before; authorization of what a call names happens here,
 * first, so a forbidden call is a 403 whatever else is wrong with it.
 */
final class LegacyRequests {

    private static final System.Logger LOGGER = System.getLogger(LegacyRequests.class.getName());

    private final LegacySessions legacy;
    private final McpJsonMapper mapper;
    private final SessionGuard sessions;
    private final JsonRpcGate gate;
    private final AccessListener listener;
    private final EngineAnswerWriter writer;

    LegacyRequests(LegacySessions legacy, McpJsonMapper mapper, SessionGuard sessions, JsonRpcGate gate,
                   AccessListener listener, EngineAnswerWriter writer) {
        this.legacy = legacy;
        this.mapper = mapper;
        this.sessions = sessions;
        this.gate = gate;
        this.listener = listener;
        this.writer = writer;
    }

    Optional<Refusal> post(ServerResponse res, Exchange exchange, AuthInfo caller, JsonRpcCalls calls,
                           JsonRpcCalls.Call call) {
        Decision<SessionGuard.Visit> entered = sessions.enter(exchange.sessionId, caller);
        if (entered instanceof Decision.Refuse<SessionGuard.Visit> refuse) {
            return Optional.of(refuse.refusal());
        }
        SessionGuard.Visit visit = ((Decision.Pass<SessionGuard.Visit>) entered).value();
        // what a call names is authorized first: a forbidden call is a 403 whatever else is wrong with it
        Optional<Refusal> refusal = gate.authorize(caller, calls, exchange.arrived, Status.OK_200)
                .or(() -> sessionRule(exchange, call))
                .or(() -> visit.admitPost(calls));
        if (refusal.isPresent()) {
            visit.leave(false, exchange);
            return refusal;
        }
        boolean initialize = JsonRpcCalls.INITIALIZE.equals(call.method());
        try {
            if (initialize) {
                LegacySessions.Opened opened = legacy.open(mapper.convertValue(SdkMessages.params(call, mapper),
                        McpSchema.InitializeRequest.class));
                visit.bind(opened.session().getId());
                res.header(SessionGuard.SESSION_ID, opened.session().getId());
                res.status(Status.OK_200);
                res.header(HeaderNames.CONTENT_TYPE, "application/json");
                res.send(writer.bytes(McpSchema.JSONRPCResponse.result(SdkMessages.idValue(call.id()),
                        opened.result())));
                return Optional.empty();
            }
            Optional<McpStreamableServerSession> session = legacy.session(exchange.sessionId.get());
            if (session.isEmpty()) {
                return Optional.of(Refusal.of(Status.NOT_FOUND_404, AuthOutcome.SESSION_REFUSED,
                        "session_not_found", "unknown session, or a session opened by another principal"));
            }
            CallerContext context = new CallerContext(caller, McpHeaders.NOT_MIRRORED,
                    new RequestStateSeal.Binding(caller, call));
            return message(res, session.get(), call, context);
        } finally {
            visit.leave(false, exchange);
        }
    }

    /** {@code initialize} opens a session, so it names none; every other legacy request runs in one. */
    private static Optional<Refusal> sessionRule(Exchange exchange, JsonRpcCalls.Call call) {
        boolean initialize = JsonRpcCalls.INITIALIZE.equals(call.method());
        if (initialize && exchange.sessionId.isPresent()) {
            return Optional.of(Refusal.jsonRpc(Status.BAD_REQUEST_400, AuthOutcome.BAD_REQUEST, call.id(),
                    JsonRpcCalls.INVALID_REQUEST, "initialize opens a session: send it without Mcp-Session-Id"));
        }
        if (!initialize && exchange.sessionId.isEmpty()) {
            return Optional.of(Refusal.jsonRpc(Status.BAD_REQUEST_400, AuthOutcome.BAD_REQUEST, call.id(),
                    JsonRpcCalls.INVALID_REQUEST, "Mcp-Session-Id header is required: initialize a session first, "
                            + "or send 2026-07-28 requests (with _meta)"));
        }
        return Optional.empty();
    }

    private Optional<Refusal> message(ServerResponse res, McpStreamableServerSession session, JsonRpcCalls.Call call,
                                      CallerContext context) {
        if (call.method().isEmpty()) {
            // the client's answer to a server-to-client request (a confirmation): completes what waits for it
            session.accept(mapper.convertValue(call.message(), McpSchema.JSONRPCResponse.class))
                    .contextWrite(reactor -> reactor.put(McpTransportContext.KEY, context)).block();
            res.status(Status.ACCEPTED_202).send();
            return Optional.empty();
        } else if (call.id() == null) {
            session.accept(new McpSchema.JSONRPCNotification(McpSchema.JSONRPC_VERSION, call.method(),
                            SdkMessages.params(call, mapper)))
                    .contextWrite(reactor -> reactor.put(McpTransportContext.KEY, context)).block();
            res.status(Status.ACCEPTED_202).send();
            return Optional.empty();
        } else {
            Object id = SdkMessages.idValue(call.id());
            McpSchema.JSONRPCRequest request = new McpSchema.JSONRPCRequest(McpSchema.JSONRPC_VERSION, call.method(),
                    id, SdkMessages.params(call, mapper));
            try (EventStream events = new EventStream(res)) {
                LegacyStream stream = new LegacyStream(events, mapper, id, legacy.listFilter(call.method()), context);
                session.responseStream(stream).handle(request)
                        .contextWrite(reactor -> reactor.put(McpTransportContext.KEY, context)).block();
                if (stream.challenged()) {
                    return Optional.of(SdkEndpoint.claimsChallenge(context.challenge().header().orElseThrow()));
                }
            } catch (UncheckedIOException e) {
                LOGGER.log(Level.DEBUG, "client closed a legacy event stream");
            }
        }
        return Optional.empty();
    }

    /** A DELETE: ends the caller's own session. */
    Optional<Refusal> delete(ServerResponse res, Exchange exchange, AuthInfo caller) {
        if (exchange.sessionId.isEmpty()) {
            return Optional.of(Refusal.of(Status.BAD_REQUEST_400, AuthOutcome.BAD_REQUEST, "invalid_request",
                    "DELETE ends a session: name it with Mcp-Session-Id"));
        }
        Decision<SessionGuard.Visit> entered = sessions.enter(exchange.sessionId, caller);
        if (entered instanceof Decision.Refuse<SessionGuard.Visit> refuse) {
            return Optional.of(refuse.refusal());
        }
        SessionGuard.Visit visit = ((Decision.Pass<SessionGuard.Visit>) entered).value();
        visit.leave(true, exchange); // the registry closes the session, and with it the SDK's
        res.status(Status.OK_200).send();
        listener.outcome(AuthOutcome.AUTHENTICATED);
        return Optional.empty();
    }
}

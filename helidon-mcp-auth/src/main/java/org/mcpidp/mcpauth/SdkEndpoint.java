package org.mcpidp.mcpauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.logging.common.HelidonMdc;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.modern.JsonRpc;
import io.modelcontextprotocol.modern.server.McpHeaders;
import io.modelcontextprotocol.modern.server.McpTransportResponse;
import io.modelcontextprotocol.modern.server.transport.McpHeaderDecoder;
import io.modelcontextprotocol.server.transport.HeaderAccessor;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStreamableServerSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mcpidp.verifier.AuthInfo;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The MCP endpoint when the {@link SdkEngine} serves it: the kit's transport for the MCP Java SDK on Helidon
 * WebServer, with the stages in front of it. Each request: authentication (who is calling), the one read of its body
 * (the gate's strict parse, which the engine then executes: the parsed tree is handed over, never re-read), the era
 * (a 2026-07-28 request carries its version in {@code _meta}; {@code initialize} and requests in a session are a
 * legacy client's), the era's rules (headers that mirror the body, or the caller-bound session), authorization of
 * what the call names, and then the engine, whose answer is written as JSON or as an event stream. One refusal
 * writer ({@link Answers}) and one audit record per request, as for every engine.
 */
final class SdkEndpoint implements HttpService {

    private static final System.Logger LOGGER = System.getLogger(SdkEndpoint.class.getName());
    /** The SDK servlet transport's mapping of JSON-RPC error codes to HTTP statuses (others: 200). */
    private static final Map<Integer, Status> ERROR_STATUS = Map.of(
            -32700, Status.BAD_REQUEST_400, -32600, Status.BAD_REQUEST_400, -32602, Status.BAD_REQUEST_400,
            -32020, Status.BAD_REQUEST_400, -32021, Status.BAD_REQUEST_400, -32022, Status.BAD_REQUEST_400,
            -32601, Status.NOT_FOUND_404);
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(25);

    /**
     * @param anonymousCaller the caller when {@code enabled} is false (benchmarks only)
     * @param maxListens      {@code subscriptions/listen} streams one principal may hold open
     */
    record Config(String path, boolean enabled, AuthInfo anonymousCaller, RequestIds requestIds, int maxListens) {
    }

    private final Config config;
    private final SdkEngine engine;
    private final McpJsonMapper mapper;
    private final BearerAuthentication authentication;
    private final SessionGuard sessions;
    private final JsonRpcGate gate;
    private final ModernRequestRules modernRules;
    private final ListenLimits listens;
    private final Answers answers;
    private final AccessListener listener;

    SdkEndpoint(Config config, SdkEngine engine, BearerAuthentication authentication, SessionGuard sessions,
                JsonRpcGate gate, Answers answers) {
        this.config = config;
        this.engine = engine;
        this.mapper = engine.mapper();
        this.authentication = authentication;
        this.sessions = sessions;
        this.gate = gate;
        this.modernRules = new ModernRequestRules(engine.supportedVersions());
        this.listens = new ListenLimits(config.maxListens());
        this.answers = answers;
        this.listener = answers.listener();
    }

    @Override
    public void routing(HttpRules rules) {
        rules.any(this::handle);
    }

    private void handle(ServerRequest req, ServerResponse res) {
        long start = System.nanoTime();
        String requestId = config.requestIds().of(req);
        res.header(RequestIds.HEADER, requestId);
        Exchange exchange = new Exchange(requestId, req.prologue().method().text(),
                req.headers().first(SessionGuard.SESSION_ID), gate.now());
        HelidonMdc.set(RequestIds.MDC_KEY, requestId);
        try {
            Optional<Refusal> refusal = serve(req, res, exchange);
            refusal.ifPresent(refused -> answers.refuse(res, exchange, refused));
        } catch (RuntimeException e) {
            // an engine or transport failure: a JSON-RPC error when the answer has not started, never a stack trace
            LOGGER.log(Level.WARNING, "MCP request failed: " + e.getClass().getName());
            if (!res.isSent()) {
                answers.refuse(res, exchange, Refusal.jsonRpc(Status.OK_200, AuthOutcome.FAILED, null, -32603,
                        "Internal error"));
            }
        } finally {
            HelidonMdc.remove(RequestIds.MDC_KEY);
            decided(exchange, res, start);
        }
    }

    private Optional<Refusal> serve(ServerRequest req, ServerResponse res, Exchange exchange) {
        AuthInfo caller;
        if (config.enabled()) {
            Decision<AuthInfo> authenticated = authentication.authenticate(
                    req.headers().all(HeaderNames.AUTHORIZATION, List::of));
            if (authenticated instanceof Decision.Refuse<AuthInfo> refuse) {
                return Optional.of(refuse.refusal());
            }
            caller = ((Decision.Pass<AuthInfo>) authenticated).value();
        } else {
            caller = config.anonymousCaller();
        }
        exchange.caller(caller);
        // after authentication: a client without a token learns where to get one (401) whatever it asked for
        if (!req.prologue().uriPath().path().equals(config.path())) {
            return Optional.of(Refusal.of(Status.NOT_FOUND_404, AuthOutcome.BAD_REQUEST, "not_found",
                    "only " + config.path() + " is served"));
        }
        Method method = req.prologue().method();
        if (Method.POST.equals(method)) {
            return post(req, res, exchange, caller);
        }
        if (Method.DELETE.equals(method) && engine.legacy().isPresent()) {
            return delete(res, exchange, caller);
        }
        // 2026-07-28 has no GET stream and no sessions; the legacy era's GET stream is optional and not offered
        return Optional.of(Refusal.of(Status.METHOD_NOT_ALLOWED_405, AuthOutcome.BAD_REQUEST, "method_not_allowed",
                        "POST JSON-RPC messages to " + config.path())
                .withHeader(HeaderNames.ALLOW, engine.legacy().isPresent() ? "POST, DELETE" : "POST"));
    }

    private Optional<Refusal> post(ServerRequest req, ServerResponse res, Exchange exchange, AuthInfo caller) {
        Decision<JsonRpcCalls> read = gate.read(req, false);
        if (read instanceof Decision.Refuse<JsonRpcCalls> refuse) {
            return Optional.of(refuse.refusal());
        }
        JsonRpcCalls calls = ((Decision.Pass<JsonRpcCalls>) read).value();
        exchange.calls(calls);
        JsonRpcCalls.Call call = calls.calls().getFirst();
        if (calls.batch()) {
            return Optional.of(Refusal.jsonRpc(Status.BAD_REQUEST_400, AuthOutcome.BAD_REQUEST, null,
                    JsonRpcCalls.INVALID_REQUEST, "JSON-RPC batches are not supported (MCP removed them in 2025-06-18)"));
        }
        Optional<Refusal> refusal = ModernRequestRules.isModern(call, req.headers())
                ? modern(req, res, exchange, caller, calls, call)
                : legacy(res, exchange, caller, calls, call);
        if (refusal.isEmpty()) {
            gate.called(calls, exchange.arrived);
            listener.outcome(config.enabled() ? AuthOutcome.AUTHENTICATED : AuthOutcome.AUTH_DISABLED);
        }
        return refusal;
    }

    // ---- 2026-07-28: stateless, one request per POST, the headers mirror the body ----

    private Optional<Refusal> modern(ServerRequest req, ServerResponse res, Exchange exchange, AuthInfo caller,
                                     JsonRpcCalls calls, JsonRpcCalls.Call call) {
        if (call.method().isEmpty()) {
            return Optional.of(Refusal.jsonRpc(Status.BAD_REQUEST_400, AuthOutcome.BAD_REQUEST, null,
                    JsonRpcCalls.INVALID_REQUEST, "The server accepts either requests or notifications"));
        }
        CallerContext context = new CallerContext(caller, McpHeaderDecoder.headers(headerAccessor(req.headers())),
                new RequestStateSeal.Binding(caller, call));
        if (call.id() == null) {
            engine.modern().handleNotification(context, new JsonRpc.JSONRPCNotification(JsonRpc.JSONRPC_VERSION,
                    call.method(), params(call))).block();
            res.status(Status.ACCEPTED_202).send();
            return Optional.empty();
        }
        Optional<Refusal> refusal = modernRules.check(call, req.headers())
                .or(() -> gate.authorize(caller, calls, exchange.arrived, Status.BAD_REQUEST_400));
        if (refusal.isPresent()) {
            return refusal;
        }
        JsonRpc.JSONRPCRequest request = new JsonRpc.JSONRPCRequest(JsonRpc.JSONRPC_VERSION, call.method(),
                idValue(call.id()), params(call));
        if ("subscriptions/listen".equals(call.method())) {
            return listen(res, caller, context, request);
        }
        McpTransportResponse response = engine.modern().handleBlocking(context, request).block();
        Optional<String> challenge = context.challenge().header();
        if (challenge.isPresent() && !(response instanceof McpTransportResponse.Streaming)) {
            return Optional.of(claimsChallenge(challenge.get()));
        }
        write(res, response, Optional.empty());
        return Optional.empty();
    }

    /** A tool left a claims challenge (Entra Conditional Access downstream): the answer becomes the 401. */
    private static Refusal claimsChallenge(String header) {
        return Refusal.of(Status.UNAUTHORIZED_401, AuthOutcome.INVALID_TOKEN, "insufficient_claims",
                        "the downstream API requires more claims: get a new token with the claims in WWW-Authenticate")
                .withHeader(HeaderNames.WWW_AUTHENTICATE, header);
    }

    /**
     * A {@code subscriptions/listen} stream: as authenticated as any request, bounded per principal (the newest stream
     * wins, {@link ListenLimits}), and ended when the caller's token expires (the client listens again with a fresh
     * one).
     */
    private Optional<Refusal> listen(ServerResponse res, AuthInfo caller, McpTransportContext context,
                                     JsonRpc.JSONRPCRequest request) {
        Sinks.Empty<Void> ended = Sinks.empty();
        ListenLimits.Listening listening = listens.open(SessionRegistry.Principal.of(caller), ended::tryEmitEmpty);
        try {
            Duration left = Duration.between(Instant.now(), caller.expiresAt());
            write(res, engine.modern().handle(context, request).block(),
                    Optional.of(new StreamEnd(left.isNegative() ? Duration.ZERO : left, ended.asMono())));
        } finally {
            listens.close(listening);
        }
        return Optional.empty();
    }

    /** When a long-lived stream ends: after {@code lifetime} (the token's), or when {@code ended} completes. */
    private record StreamEnd(Duration lifetime, Mono<Void> ended) {
    }

    private void write(ServerResponse res, McpTransportResponse response, Optional<StreamEnd> end) {
        switch (response) {
            case McpTransportResponse.Result result -> json(res, Status.OK_200, result.response());
            case McpTransportResponse.Error error -> json(res, ERROR_STATUS.getOrDefault(
                    error.response().error().code(), Status.OK_200), error.response());
            case McpTransportResponse.Streaming streaming -> stream(res, streaming.messages(), end);
            default -> throw new IllegalStateException("unknown engine response " + response.getClass().getName());
        }
    }

    private void json(ServerResponse res, Status status, JsonRpc.JSONRPCResponse response) {
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(bytes(response));
    }

    private void stream(ServerResponse res, Flux<JsonRpc.JSONRPCMessage> messages, Optional<StreamEnd> end) {
        try (EventStream events = new EventStream(res)) {
            Flux<byte[]> frames = messages.map(this::bytes);
            if (end.isPresent()) {
                // a long-lived stream: keep-alive comments while it is quiet, and an end when the token does (or
                // when a newer stream of the same principal takes its place)
                frames = frames.publish(shared -> Flux.merge(shared, Flux.interval(KEEP_ALIVE)
                                .map(tick -> new byte[0]).takeUntilOther(shared.ignoreElements())))
                        .take(end.get().lifetime())
                        .takeUntilOther(end.get().ended());
            }
            frames.doOnNext(frame -> {
                if (frame.length == 0) {
                    events.keepAlive();
                } else {
                    events.message(frame, null);
                }
            }).blockLast();
        } catch (UncheckedIOException e) {
            LOGGER.log(Level.DEBUG, "client closed an event stream");
        }
    }

    // ---- 2025-11-25 and older: initialize, a session bound to the caller, answers as event streams ----

    private Optional<Refusal> legacy(ServerResponse res, Exchange exchange, AuthInfo caller, JsonRpcCalls calls,
                                     JsonRpcCalls.Call call) {
        if (engine.legacy().isEmpty()) {
            return Optional.of(modernRules.unsupported(call, call.message().path("params").path("protocolVersion")
                    .asText("unknown")));
        }
        LegacySessions legacy = engine.legacy().get();
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
                LegacySessions.Opened opened = legacy.open(mapper.convertValue(params(call),
                        McpSchema.InitializeRequest.class));
                visit.bind(opened.session().getId());
                res.header(SessionGuard.SESSION_ID, opened.session().getId());
                res.status(Status.OK_200);
                res.header(HeaderNames.CONTENT_TYPE, "application/json");
                res.send(bytes(McpSchema.JSONRPCResponse.result(idValue(call.id()), opened.result())));
                return Optional.empty();
            }
            Optional<McpStreamableServerSession> session = legacy.session(exchange.sessionId.get());
            if (session.isEmpty()) {
                return Optional.of(Refusal.of(Status.NOT_FOUND_404, AuthOutcome.SESSION_REFUSED,
                        "session_not_found", "unknown session, or a session opened by another principal"));
            }
            CallerContext context = new CallerContext(caller, McpHeaders.NOT_MIRRORED,
                    new RequestStateSeal.Binding(caller, call));
            return legacyMessage(res, session.get(), call, context);
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

    private Optional<Refusal> legacyMessage(ServerResponse res, McpStreamableServerSession session,
                                            JsonRpcCalls.Call call, CallerContext context) {
        if (call.method().isEmpty()) {
            // the client's answer to a server-to-client request (a confirmation): completes what waits for it
            session.accept(mapper.convertValue(call.message(), McpSchema.JSONRPCResponse.class))
                    .contextWrite(reactor -> reactor.put(McpTransportContext.KEY, context)).block();
            res.status(Status.ACCEPTED_202).send();
            return Optional.empty();
        } else if (call.id() == null) {
            session.accept(new McpSchema.JSONRPCNotification(McpSchema.JSONRPC_VERSION, call.method(), params(call)))
                    .contextWrite(reactor -> reactor.put(McpTransportContext.KEY, context)).block();
            res.status(Status.ACCEPTED_202).send();
            return Optional.empty();
        } else {
            Object id = idValue(call.id());
            McpSchema.JSONRPCRequest request = new McpSchema.JSONRPCRequest(McpSchema.JSONRPC_VERSION, call.method(),
                    id, params(call));
            try (EventStream events = new EventStream(res)) {
                LegacyStream stream = new LegacyStream(events, mapper, id,
                        engine.legacy().orElseThrow().listFilter(call.method()), context);
                session.responseStream(stream).handle(request)
                        .contextWrite(reactor -> reactor.put(McpTransportContext.KEY, context)).block();
                if (stream.challenged()) {
                    return Optional.of(claimsChallenge(context.challenge().header().orElseThrow()));
                }
            } catch (UncheckedIOException e) {
                LOGGER.log(Level.DEBUG, "client closed a legacy event stream");
            }
        }
        return Optional.empty();
    }

    private Optional<Refusal> delete(ServerResponse res, Exchange exchange, AuthInfo caller) {
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

    // ---- the one parse, handed to the engine ----

    /** The params of a call as the SDK takes them: the gate's tree, walked (not re-read) into maps. */
    private Map<String, Object> params(JsonRpcCalls.Call call) {
        JsonNode params = call.message().get("params");
        return params instanceof ObjectNode object ? JsonValues.map(object, mapper) : null;
    }

    /** A JSON-RPC id as the SDK keeps one: a string, or an integer. */
    private static Object idValue(JsonNode id) {
        return id.isTextual() ? id.textValue() : id.canConvertToInt() ? (Object) id.intValue() : id.longValue();
    }

    private byte[] bytes(Object message) {
        try {
            return mapper.writeValueAsBytes(message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static HeaderAccessor headerAccessor(Headers headers) {
        return new HeaderAccessor() {
            @Override
            public List<String> getHeader(String name) {
                return headers.all(io.helidon.http.HeaderNames.create(name), List::of);
            }

            /** Only the {@code Mcp-*} names: the decoder reads {@code Mcp-Name} and {@code Mcp-Param-*}, no other. */
            @Override
            public List<String> getHeaderNames() {
                List<String> names = new ArrayList<>(2);
                headers.forEach(header -> {
                    if (header.name().regionMatches(true, 0, "Mcp-", 0, 4)) {
                        names.add(header.name());
                    }
                });
                return names;
            }
        };
    }

    /** Tells the listener what was decided; an audit listener must never fail the request. */
    private void decided(Exchange exchange, ServerResponse res, long start) {
        try {
            Duration latency = Duration.ofNanos(System.nanoTime() - start);
            for (AccessDecision decision : exchange.decisions(res.status().code(),
                    res.headers().first(SessionGuard.SESSION_ID), latency, listener)) {
                listener.decided(decision);
            }
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "access listener failed: " + e.getClass().getName());
        }
    }
}

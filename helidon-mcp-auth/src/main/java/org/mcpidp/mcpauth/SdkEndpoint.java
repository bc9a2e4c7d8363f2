package org.mcpidp.mcpauth;

import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.modern.JsonRpc;
import io.modelcontextprotocol.modern.server.McpTransportResponse;
import io.modelcontextprotocol.modern.server.transport.McpHeaderDecoder;
import io.modelcontextprotocol.server.transport.HeaderAccessor;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mcpidp.verifier.AuthInfo;
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
    private final JsonRpcGate gate;
    private final ModernRequestRules modernRules;
    private final ListenLimits listens;
    private final Answers answers;
    private final AccessListener listener;
    private final EngineAnswerWriter writer;
    /** Present when the engine serves the legacy era. */
    private final Optional<LegacyRequests> legacyRequests;

    SdkEndpoint(Config config, SdkEngine engine, BearerAuthentication authentication, SessionGuard sessions,
                JsonRpcGate gate, Answers answers) {
        this.config = config;
        this.engine = engine;
        this.mapper = engine.mapper();
        this.authentication = authentication;
        this.gate = gate;
        this.modernRules = new ModernRequestRules(engine.supportedVersions());
        this.listens = new ListenLimits(config.maxListens());
        this.answers = answers;
        this.listener = answers.listener();
        this.writer = new EngineAnswerWriter(mapper);
        this.legacyRequests = engine.legacy().map(sessionsOfSdk -> new LegacyRequests(sessionsOfSdk, mapper, sessions,
                gate, listener, writer));
    }

    @Override
    public void routing(HttpRules rules) {
        rules.any(this::handle);
    }

    private void handle(ServerRequest req, ServerResponse res) {
        try (AuditedRequest audited = AuditedRequest.open(config.requestIds(), req, res, gate::now, listener)) {
            Exchange exchange = audited.exchange();
            try {
                Optional<Refusal> refusal = serve(req, res, exchange);
                refusal.ifPresent(refused -> answers.refuse(res, exchange, refused));
            } catch (RuntimeException e) {
                // an engine or transport failure: a JSON-RPC error when the answer has not started, never a stack
                // trace (caught inside the audited request, so the audit records this answer)
                LOGGER.log(Level.WARNING, "MCP request failed: " + e.getClass().getName());
                if (!res.isSent()) {
                    answers.refuse(res, exchange, Refusal.jsonRpc(Status.OK_200, AuthOutcome.FAILED, null, -32603,
                            "Internal error"));
                }
            }
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
        if (Method.DELETE.equals(method) && legacyRequests.isPresent()) {
            return legacyRequests.get().delete(res, exchange, caller);
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

    /** A request of a client that {@code initialize}s: its era's rules, or the versions served when it is off. */
    private Optional<Refusal> legacy(ServerResponse res, Exchange exchange, AuthInfo caller, JsonRpcCalls calls,
                                     JsonRpcCalls.Call call) {
        if (legacyRequests.isEmpty()) {
            return Optional.of(modernRules.unsupported(call, call.message().path("params").path("protocolVersion")
                    .asText("unknown")));
        }
        return legacyRequests.get().post(res, exchange, caller, calls, call);
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
                    call.method(), SdkMessages.params(call, mapper))).block();
            res.status(Status.ACCEPTED_202).send();
            return Optional.empty();
        }
        Optional<Refusal> refusal = modernRules.check(call, req.headers())
                .or(() -> gate.authorize(caller, calls, exchange.arrived, Status.BAD_REQUEST_400));
        if (refusal.isPresent()) {
            return refusal;
        }
        JsonRpc.JSONRPCRequest request = new JsonRpc.JSONRPCRequest(JsonRpc.JSONRPC_VERSION, call.method(),
                SdkMessages.idValue(call.id()), SdkMessages.params(call, mapper));
        if ("subscriptions/listen".equals(call.method())) {
            return listen(res, caller, context, request);
        }
        McpTransportResponse response = engine.modern().handleBlocking(context, request).block();
        Optional<String> challenge = context.challenge().header();
        if (challenge.isPresent() && !(response instanceof McpTransportResponse.Streaming)) {
            return Optional.of(claimsChallenge(challenge.get()));
        }
        writer.write(res, response, Optional.empty());
        return Optional.empty();
    }

    /** A tool left a claims challenge (Entra Conditional Access downstream): the answer becomes the 401. */
    static Refusal claimsChallenge(String header) {
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
            EngineAnswerWriter.StreamEnd end = new EngineAnswerWriter.StreamEnd(
                    left.isNegative() ? Duration.ZERO : left, ended.asMono());
            writer.write(res, engine.modern().handle(context, request).block(), Optional.of(end));
        } finally {
            listens.close(listening);
        }
        return Optional.empty();
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
}

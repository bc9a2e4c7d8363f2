package org.mcpidp.mcpauth;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.util.List;
import java.util.Optional;
import org.mcpidp.verifier.AuthInfo;

/**
 * The resource-server gate in front of the MCP extension ({@code <path>} and everything below it), after the origin
 * guard and CORS. It runs the stages in order, each returning a {@link Decision}: {@link BearerAuthentication} (who is
 * calling), the served routes, {@link SessionGuard} (whose session, how many), and for a POST the {@link JsonRpcGate}
 * (which tools). The first refusal is written by {@link Answers}; the caller's {@link AuthInfo} is put into the
 * request context, where tools read it. When authentication is disabled (benchmarks only) every request runs as
 * {@code anonymousCaller}.
 */
final class BearerAuthFilter implements Filter {

    /** @param anonymousCaller the caller when {@code enabled} is false */
    record Config(GuardedPaths paths, boolean enabled, AuthInfo anonymousCaller, RequestIds requestIds) {
    }

    private final Config config;
    private final BearerAuthentication authentication;
    private final SessionGuard sessions;
    private final JsonRpcGate gate;
    private final AccessListener listener;
    private final Answers answers;

    BearerAuthFilter(Config config, BearerAuthentication authentication, SessionGuard sessions, JsonRpcGate gate,
                     Answers answers) {
        this.config = config;
        this.authentication = authentication;
        this.sessions = sessions;
        this.gate = gate;
        this.answers = answers;
        this.listener = answers.listener();
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        if (!config.paths().isMcp(req.path().path())) {
            chain.proceed();
            return;
        }
        if (!config.enabled()) {
            Optional<Refusal> route = servedRoute(req);
            if (route.isPresent()) {
                Answers.write(res, route.get());
                return;
            }
            req.context().register(config.anonymousCaller());
            listener.outcome(AuthOutcome.AUTH_DISABLED);
            chain.proceed();
            return;
        }
        try (AuditedRequest audited = AuditedRequest.open(config.requestIds(), req, res, gate::now, listener)) {
            Exchange exchange = audited.exchange();
            Optional<Refusal> refusal = guard(chain, req, res, exchange);
            refusal.ifPresent(refused -> answers.refuse(res, exchange, refused));
        }
    }

    /** Runs the stages and, when they all pass, the extension; the first refusal otherwise. */
    private Optional<Refusal> guard(FilterChain chain, RoutingRequest req, RoutingResponse res, Exchange exchange) {
        Decision<AuthInfo> authenticated = authentication.authenticate(
                req.headers().all(HeaderNames.AUTHORIZATION, List::of));
        if (authenticated instanceof Decision.Refuse<AuthInfo> refuse) {
            return Optional.of(refuse.refusal());
        }
        AuthInfo caller = ((Decision.Pass<AuthInfo>) authenticated).value();
        exchange.caller(caller);
        req.context().register(caller);
        // after authentication: a client without a token learns where to get one (401) whatever it asked for
        Optional<Refusal> route = servedRoute(req);
        if (route.isPresent()) {
            return route;
        }
        Decision<SessionGuard.Visit> entered = sessions.enter(exchange.sessionId, caller);
        if (entered instanceof Decision.Refuse<SessionGuard.Visit> refuse) {
            return Optional.of(refuse.refusal());
        }
        SessionGuard.Visit visit = ((Decision.Pass<SessionGuard.Visit>) entered).value();

        Method method = req.prologue().method();
        JsonRpcCalls calls = null;
        if (Method.POST.equals(method)) {
            Decision<JsonRpcCalls> read = gate.read(req, true);
            if (read instanceof Decision.Refuse<JsonRpcCalls> refuse) {
                return Optional.of(refuse.refusal());
            }
            JsonRpcCalls posted = ((Decision.Pass<JsonRpcCalls>) read).value();
            calls = posted;
            exchange.calls(posted);
            // the extension answers an unknown tool with HTTP 200 and a JSON-RPC error: so does the gate
            Optional<Refusal> refusal = gate.authorize(caller, posted, exchange.arrived, Status.OK_200)
                    .or(() -> visit.admitPost(posted));
            if (refusal.isPresent()) {
                visit.leave(false, exchange);
                return refusal;
            }
            if (visit.opensSession()) {
                // Runs when the answer starts, before any byte leaves: the client can never use an unbound id.
                res.streamFilter(out -> {
                    res.headers().first(SessionGuard.SESSION_ID).ifPresent(visit::bind);
                    return out;
                });
            }
            gate.rewriteAnswers(res, caller, calls);
            if (calls.has(JsonRpcCalls.TOOLS_CALL)) {
                // A tool whose downstream token needs more claims answers 401 (see ClaimsChallenge).
                req.context().register(new PendingChallenge(res));
            }
        }
        try {
            chain.proceed();
        } finally {
            visit.leave(Method.DELETE.equals(method) && res.status().code() < 300, exchange);
        }
        if (calls != null) {
            gate.called(calls, exchange.arrived);
        }
        listener.outcome(AuthOutcome.AUTHENTICATED);
        return Optional.empty();
    }

    /**
     * Only what this gate guards reaches the MCP extension: POST and DELETE on the endpoint itself. Helidon MCP 1.2.0
     * also serves the HTTP+SSE transport of protocol 2024-11-05 (a GET without {@code Mcp-Session-Id} opens a stream
     * and a session, {@code <path>/message?sessionId=} posts into it, answers arrive on the stream): its sessions and
     * answers pass by the session registry and the list filtering, so it is not served (404 / 405); Streamable HTTP
     * clients do without the GET stream, which the extension never offers anyway (it answers 405).
     */
    private Optional<Refusal> servedRoute(RoutingRequest req) {
        if (!req.path().path().equals(config.paths().mcpPath())) {
            return Optional.of(Refusal.of(Status.NOT_FOUND_404, AuthOutcome.BAD_REQUEST, "not_found", "only "
                    + config.paths().mcpPath() + " is served (Streamable HTTP); the HTTP+SSE transport of protocol "
                    + "2024-11-05 is not"));
        }
        if (Method.GET.equals(req.prologue().method())) {
            return Optional.of(Refusal.of(Status.METHOD_NOT_ALLOWED_405, AuthOutcome.BAD_REQUEST,
                            "method_not_allowed", "this server offers no GET stream; POST JSON-RPC messages to "
                                    + config.paths().mcpPath())
                    .withHeader(HeaderNames.ALLOW, "POST, DELETE"));
        }
        return Optional.empty();
    }
}

package org.mcpidp.mcpserver.auth;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.logging.common.HelidonMdc;
import java.time.Duration;
import java.util.Optional;
import org.mcpidp.verifier.AuthInfo;

/**
 * The resource-server gate in front of the MCP endpoint ({@code <path>} and everything below it), after the origin
 * guard and CORS. It runs three stages in order, each answering what it refuses through {@link ErrorAnswers}:
 * {@link BearerAuthentication} (who is calling), {@link SessionGuard} (whose session, how many), and for a POST the
 * {@link JsonRpcGate} (which tools). The caller's {@link AuthInfo} is put into the request context, where tools
 * read it. When authentication is disabled (benchmarks only) every request runs as {@code anonymousCaller}.
 */
final class BearerAuthFilter implements Filter {

    private static final System.Logger LOGGER = System.getLogger(BearerAuthFilter.class.getName());

    /** @param anonymousCaller the caller when {@code enabled} is false */
    record Config(GuardedPaths paths, boolean enabled, AuthInfo anonymousCaller, RequestIds requestIds) {
    }

    private final Config config;
    private final BearerAuthentication authentication;
    private final SessionGuard sessions;
    private final JsonRpcGate gate;
    private final AccessListener listener;
    private final ErrorAnswers answers;

    BearerAuthFilter(Config config, BearerAuthentication authentication, SessionGuard sessions, JsonRpcGate gate,
                     ErrorAnswers answers) {
        this.answers = answers;
        this.listener = answers.listener();
        this.config = config;
        this.authentication = authentication;
        this.sessions = sessions;
        this.gate = gate;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        if (!config.paths().isMcp(req.path().path())) {
            chain.proceed();
            return;
        }
        if (!config.enabled()) {
            if (!servedRoute(req, res)) {
                return;
            }
            req.context().register(config.anonymousCaller());
            listener.outcome(AuthOutcome.AUTH_DISABLED);
            chain.proceed();
            return;
        }
        long arrived = gate.now();
        // the audit's latency is wall time of its own: an extra reading of the gate's (injectable) clock per request
        // would change the tool-call latencies that clock measures
        long start = System.nanoTime();
        String requestId = config.requestIds().of(req);
        res.header(RequestIds.HEADER, requestId);
        // The trace collects what the stages decide; the MDC puts the id into every log line of this request.
        RequestTrace trace = RequestTrace.open(requestId, req.prologue().method().text(),
                req.headers().first(SessionGuard.SESSION_ID));
        HelidonMdc.set(RequestIds.MDC_KEY, requestId);
        try {
            guard(chain, req, res, trace, arrived);
        } finally {
            trace.close();
            HelidonMdc.remove(RequestIds.MDC_KEY);
            decided(trace, res, start);
        }
    }

    /**
     * Only what this gate guards reaches the MCP extension: POST and DELETE on the endpoint itself. Helidon MCP 1.2.0
     * also serves the HTTP+SSE transport of protocol 2024-11-05 (a GET without {@code Mcp-Session-Id} opens a stream
     * and a session, {@code <path>/message?sessionId=} posts into it, answers arrive on the stream): its sessions and
     * answers pass by the session registry and the list filtering, so it is not served (404 / 405); Streamable HTTP
     * clients do without the GET stream, which the extension never offers anyway (it answers 405).
     */
    private boolean servedRoute(RoutingRequest req, RoutingResponse res) {
        if (!req.path().path().equals(config.paths().mcpPath())) {
            answers.refuse(res, AuthOutcome.BAD_REQUEST, Status.NOT_FOUND_404, "not_found", "only " + config.paths().mcpPath()
                    + " is served (Streamable HTTP); the HTTP+SSE transport of protocol 2024-11-05 is not");
            return false;
        }
        if (Method.GET.equals(req.prologue().method())) {
            res.header(HeaderNames.ALLOW, "POST, DELETE");
            answers.refuse(res, AuthOutcome.BAD_REQUEST, Status.METHOD_NOT_ALLOWED_405, "method_not_allowed",
                    "this server offers no GET stream; POST JSON-RPC messages to " + config.paths().mcpPath());
            return false;
        }
        return true;
    }

    private void guard(FilterChain chain, RoutingRequest req, RoutingResponse res, RequestTrace trace, long arrived) {
        Optional<AuthInfo> authenticated = authentication.authenticate(req, res);
        if (authenticated.isEmpty()) {
            return;
        }
        AuthInfo caller = authenticated.get();
        trace.caller(caller);
        // after authentication: a client without a token learns where to get one (401) whatever it asked for
        if (!servedRoute(req, res)) {
            return;
        }
        req.context().register(caller);
        Optional<SessionGuard.Visit> entered = sessions.enter(req, res, caller);
        if (entered.isEmpty()) {
            return;
        }
        SessionGuard.Visit visit = entered.get();

        Method method = req.prologue().method();
        JsonRpcCalls calls = null;
        if (Method.POST.equals(method)) {
            Optional<JsonRpcCalls> read = gate.read(req, res);
            if (read.isEmpty()) {
                return;
            }
            calls = read.get();
            trace.calls(calls);
            if (!gate.authorize(res, caller, calls, arrived) || !visit.admitPost(res, calls)) {
                return;
            }
            gate.rewriteAnswers(res, caller, calls);
            if (calls.has(JsonRpcCalls.TOOLS_CALL)) {
                // A tool whose downstream token needs more claims answers 401 (see DownstreamErrors).
                req.context().register(new PendingChallenge(res));
            }
        }
        try {
            chain.proceed();
        } finally {
            visit.leave(method, res);
        }
        if (calls != null) {
            gate.called(calls, arrived);
        }
        listener.outcome(AuthOutcome.AUTHENTICATED);
    }

    /** Tells the listener what was decided; an audit listener must never fail the request. */
    private void decided(RequestTrace trace, RoutingResponse res, long start) {
        try {
            Duration latency = Duration.ofNanos(System.nanoTime() - start);
            for (AccessDecision decision : trace.decisions(res.status().code(),
                    res.headers().first(SessionGuard.SESSION_ID), latency, listener)) {
                listener.decided(decision);
            }
        } catch (RuntimeException e) {
            LOGGER.log(System.Logger.Level.WARNING, "access listener failed: " + e.getClass().getName());
        }
    }
}

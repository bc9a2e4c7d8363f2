package org.mcpidp.mcpserver.auth;

import io.helidon.http.Method;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
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

    /** @param anonymousCaller the caller when {@code enabled} is false */
    record Config(GuardedPaths paths, boolean enabled, AuthInfo anonymousCaller) {
    }

    private final Config config;
    private final BearerAuthentication authentication;
    private final SessionGuard sessions;
    private final JsonRpcGate gate;
    private final AccessListener listener;

    BearerAuthFilter(Config config, BearerAuthentication authentication, SessionGuard sessions, JsonRpcGate gate,
                     AccessListener listener) {
        this.config = config;
        this.authentication = authentication;
        this.sessions = sessions;
        this.gate = gate;
        this.listener = listener;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        if (!config.paths().isMcp(req.path().path())) {
            chain.proceed();
            return;
        }
        if (!config.enabled()) {
            req.context().register(config.anonymousCaller());
            listener.outcome(AuthOutcome.AUTH_DISABLED);
            chain.proceed();
            return;
        }
        long arrived = gate.now();
        Optional<AuthInfo> authenticated = authentication.authenticate(req, res);
        if (authenticated.isEmpty()) {
            return;
        }
        AuthInfo caller = authenticated.get();
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
            if (!gate.authorize(res, caller, calls, arrived) || !visit.admitPost(res, calls)) {
                return;
            }
            gate.rewriteAnswers(res, caller, calls);
            if (calls.has(JsonRpcCalls.TOOLS_CALL)) {
                // A tool whose downstream token needs more claims answers 401 (see DownstreamErrors).
                PendingChallenge pending = new PendingChallenge();
                req.context().register(pending);
                res.streamFilter(out -> new ChallengeAnswer(out, res, pending));
            }
        } else if (Method.GET.equals(method) && !visit.admitStream(res)) {
            return;
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
}

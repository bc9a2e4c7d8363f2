package org.mcpidp.mcpserver.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.mcpidp.mcpserver.auth.SessionRegistry.Admission;
import org.mcpidp.mcpserver.auth.SessionRegistry.Principal;
import org.mcpidp.verifier.AuthInfo;
import org.mcpidp.verifier.TokenVerificationException;
import org.mcpidp.verifier.TokenVerifier;
import org.mcpidp.verifier.VerificationFailure;

/**
 * The resource-server gate in front of the MCP endpoint ({@code <path>} and everything below it). In order:
 * one Authorization header at most (else 400), a Bearer token from it (never from the query or a form), the verifier
 * (401 / 503), the session's owner (404 for another principal's session), then for a POST the JSON-RPC body:
 * a {@code tools/call} the caller may not make gets 403 before the tool runs. The caller's {@link AuthInfo} is put
 * into the request context, where tools read it. Tokens are never logged.
 */
final class BearerAuthFilter implements Filter {

    private static final System.Logger LOGGER = System.getLogger(BearerAuthFilter.class.getName());
    static final HeaderName SESSION_ID = HeaderNames.create("Mcp-Session-Id");

    private final BearerAuthFeature config;
    private final TokenVerifier verifier;
    private final Map<String, ToolRequirement> tools;
    private final SessionRegistry sessions;
    private final String resourceMetadataUrl;
    private final GuardedPaths paths;
    private final ExtensionCapabilities capabilities;
    private final ObjectMapper json = new ObjectMapper();

    BearerAuthFilter(BearerAuthFeature config, String resourceMetadataUrl) {
        this.config = config;
        this.verifier = config.verifier();
        this.tools = config.tools();
        this.sessions = config.sessions();
        this.resourceMetadataUrl = resourceMetadataUrl;
        this.paths = new GuardedPaths(config.mcpPath());
        this.capabilities = config.capabilities();
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        if (!paths.isMcp(req.path().path())) {
            chain.proceed();
            return;
        }
        long arrived = System.nanoTime(); // tool-call latency for the access listener
        if (!config.enabled()) {
            req.context().register(config.anonymousCaller());
            outcome(AuthOutcome.AUTH_DISABLED);
            chain.proceed();
            return;
        }

        List<String> authorization = req.headers().all(HeaderNames.AUTHORIZATION, List::of);
        if (authorization.size() > 1) {
            reject(res, AuthOutcome.BAD_REQUEST, Status.BAD_REQUEST_400, BearerChallenge.builder()
                    .error(BearerChallenge.Error.INVALID_REQUEST)
                    .description("more than one Authorization header")
                    .resourceMetadata(resourceMetadataUrl)
                    .build());
            return;
        }
        String header = authorization.isEmpty() ? "" : authorization.getFirst().strip();
        if (!isBearer(header)) {
            // No token at all (another scheme counts as none): no error code, RFC 6750 section 3.1.
            reject(res, AuthOutcome.NO_TOKEN, Status.UNAUTHORIZED_401, BearerChallenge.builder()
                    .resourceMetadata(resourceMetadataUrl)
                    .scopes(config.requestable(config.scopesSupported()))
                    .build());
            return;
        }
        // The verifier checks the RFC 6750 b64token syntax first (a char loop: a regex here cost ~10% of a request).
        String token = header.substring("Bearer".length()).strip();

        Optional<AuthInfo> verified = verify(res, token);
        if (verified.isEmpty()) {
            return;
        }
        AuthInfo caller = verified.get();
        req.context().register(caller);

        Optional<String> sessionId = sessionId(req);
        if (sessionId.isPresent()) {
            Optional<Principal> owner = sessions.use(sessionId.get());
            if (owner.isEmpty() || !owner.get().equals(Principal.of(caller))) {
                refuseSession(res, caller, owner.isPresent());
                return;
            }
        }

        Method method = req.prologue().method();
        Admission.Reserved reservation = null;
        List<String> inFlight = List.of();
        List<String> calledTools = List.of();
        if (Method.POST.equals(method)) {
            if (!acceptableMediaTypes(req, res)) {
                return;
            }
            Optional<JsonRpcCalls> calls = readCalls(req, res);
            if (calls.isEmpty()) {
                return;
            }
            for (JsonRpcCalls.Call call : calls.get().calls()) {
                if (!JsonRpcCalls.TOOLS_CALL.equals(call.method()) || call.toolName().isEmpty()) {
                    continue;
                }
                ToolRequirement requirement = tools.get(call.toolName().get());
                if (requirement != null && !requirement.allows(caller)) {
                    config.accessListener().toolCall(call.toolName().get(), false, since(arrived));
                    insufficientScope(res, caller, call.toolName().get(), requirement);
                    return;
                }
                calledTools = calledTools.isEmpty() ? new ArrayList<>() : calledTools;
                calledTools.add(call.toolName().get());
            }
            boolean listsTools = calls.get().has(JsonRpcCalls.TOOLS_LIST);
            boolean trimsCapabilities = calls.get().has(JsonRpcCalls.INITIALIZE) && capabilities.trimsSomething();
            boolean opensSession = sessionId.isEmpty() && calls.get().has(JsonRpcCalls.INITIALIZE);
            if (opensSession) {
                reservation = admit(res, caller);
                if (reservation == null) {
                    return;
                }
            }
            if (sessionId.isPresent()) {
                Optional<List<String>> started = startRequests(res, sessionId.get(), calls.get());
                if (started.isEmpty()) {
                    return;
                }
                inFlight = started.get();
            }
            if (listsTools || opensSession || trimsCapabilities) {
                res.streamFilter(answerFilter(res, caller, listsTools, trimsCapabilities, reservation));
            }
        } else if (Method.GET.equals(method) && sessionId.isEmpty()) {
            // legacy HTTP+SSE transport: the session id is announced in the stream's first event
            Admission.Reserved sseReservation = admit(res, caller);
            if (sseReservation == null) {
                return;
            }
            reservation = sseReservation;
            res.streamFilter(out -> new SseSessionSniffer(out, id -> sessions.bind(sseReservation, id)));
        }

        try {
            chain.proceed();
        } finally {
            if (reservation != null) {
                sessions.release(reservation); // no-op once the new session was bound
            }
            inFlight.forEach(rpcId -> sessions.endRequest(sessionId.orElseThrow(), rpcId));
        }

        if (Method.DELETE.equals(method) && sessionId.isPresent() && res.status().code() < 300) {
            sessions.close(sessionId.get());
        }
        outcome(AuthOutcome.AUTHENTICATED);
        if (!calledTools.isEmpty()) {
            Duration latency = since(arrived);
            calledTools.forEach(tool -> config.accessListener().toolCall(tool, true, latency));
        }
    }

    private static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    /** The verified caller, or empty after answering 401/403/503. */
    private Optional<AuthInfo> verify(RoutingResponse res, String token) {
        try {
            return Optional.of(verifier.verify(token));
        } catch (TokenVerificationException e) {
            answerFailure(res, e.failure());
        } catch (RuntimeException e) {
            // A TokenVerifier must not throw this (ours turns every failure into a typed one); a custom one might.
            // Fail closed and answer 503, never 500; the class name only, a message could quote the token.
            LOGGER.log(Level.ERROR, "token verifier failed unexpectedly: " + e.getClass().getName());
            answerFailure(res, new VerificationFailure.Unavailable("token verification failed unexpectedly",
                    Duration.ofSeconds(5)));
        }
        return Optional.empty();
    }

    /** A slot for a new session of the caller, or null after answering 429 (the caller holds its maximum). */
    private Admission.Reserved admit(RoutingResponse res, AuthInfo caller) {
        Admission admission = sessions.admit(Principal.of(caller));
        if (admission instanceof Admission.Reserved reserved) {
            return reserved;
        }
        Duration retryAfter = ((Admission.SubjectFull) admission).retryAfter();
        res.header(HeaderNames.RETRY_AFTER, Long.toString(Math.max(1, (retryAfter.toMillis() + 999) / 1000)));
        sendError(res, AuthOutcome.SESSION_LIMIT, Status.TOO_MANY_REQUESTS_429, "too_many_sessions",
                "this principal already holds " + sessions.limits().maxPerSubject()
                        + " sessions: close one (DELETE) or wait until one expires");
        return null;
    }

    /**
     * Marks the JSON-RPC requests of this POST in flight in the session; empty after answering 409 when one of their
     * ids is already in flight there. Helidon MCP 1.2.0 keys a request's answer channel by session and id only, so
     * two concurrent requests with the same id would get each other's answer (or an error).
     */
    private Optional<List<String>> startRequests(RoutingResponse res, String sessionId, JsonRpcCalls calls) {
        List<String> started = new ArrayList<>();
        for (JsonRpcCalls.Call call : calls.calls()) {
            if (call.method().isEmpty() || call.id() == null || call.id().isNull()) {
                continue; // notifications and client responses have no answer to cross
            }
            String rpcId = call.id().toString();
            if (started.contains(rpcId) || !sessions.startRequest(sessionId, rpcId)) {
                started.forEach(id -> sessions.endRequest(sessionId, id));
                duplicateRequest(res, call);
                return Optional.empty();
            }
            started.add(rpcId);
        }
        return Optional.of(started);
    }

    private void duplicateRequest(RoutingResponse res, JsonRpcCalls.Call call) {
        outcome(AuthOutcome.DUPLICATE_REQUEST);
        ObjectNode body = json.createObjectNode().put("jsonrpc", "2.0");
        body.set("id", call.id());
        body.putObject("error")
                .put("code", -32600)
                .put("message", "request id " + call.id() + " is already in progress in this session; "
                        + "use a new id for each request");
        res.status(Status.CONFLICT_409);
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.send(body.toString());
    }

    private static boolean isBearer(String header) {
        return header.length() > "Bearer".length()
                && header.regionMatches(true, 0, "Bearer", 0, "Bearer".length())
                && Character.isWhitespace(header.charAt("Bearer".length()));
    }

    private static Optional<String> sessionId(RoutingRequest req) {
        Optional<String> header = req.headers().first(SESSION_ID);
        if (header.isPresent()) {
            return header;
        }
        return req.query().first("sessionId").asOptional();
    }

    /** Buffers the body (bounded) and reads the JSON-RPC calls; empty when an answer was already sent. */
    private Optional<JsonRpcCalls> readCalls(RoutingRequest req, RoutingResponse res) {
        long limit = config.maxBodySize();
        Optional<String> declared = req.headers().first(HeaderNames.CONTENT_LENGTH);
        try {
            if (declared.isPresent() && Long.parseLong(declared.get().strip()) > limit) {
                tooLarge(res, limit);
                return Optional.empty();
            }
        } catch (NumberFormatException e) {
            reject(res, AuthOutcome.BAD_REQUEST, Status.BAD_REQUEST_400, null);
            return Optional.empty();
        }
        if (!req.content().hasEntity()) {
            // The MCP handler answers an empty POST with a 500: it is a malformed request.
            sendError(res, AuthOutcome.BAD_REQUEST, Status.BAD_REQUEST_400, "invalid_request",
                    "a JSON-RPC message is required");
            return Optional.empty();
        }
        byte[] body;
        try {
            // buffer() keeps the bytes for the MCP handler, which reads the entity again after this filter
            req.content().buffer();
            body = req.content().as(byte[].class);
        } catch (RuntimeException e) {
            // chunked bodies beyond server.protocols.http_1_1.max-buffered-entity-size end up here
            tooLarge(res, limit);
            return Optional.empty();
        }
        if (body.length > limit) {
            tooLarge(res, limit);
            return Optional.empty();
        }
        if (JsonRpcCalls.nestsDeeperThan(body, JsonRpcCalls.MAX_NESTING)) {
            sendError(res, AuthOutcome.BAD_REQUEST, Status.BAD_REQUEST_400, "invalid_request",
                    "JSON nested deeper than " + JsonRpcCalls.MAX_NESTING + " levels");
            return Optional.empty();
        }
        try {
            return Optional.of(JsonRpcCalls.parse(body));
        } catch (JsonRpcCalls.DuplicateKeyException e) {
            // Parsers disagree on duplicates (first wins, last wins, error): what this gate authorizes must be
            // exactly what the MCP handler executes, so an ambiguous message is refused.
            sendError(res, AuthOutcome.BAD_REQUEST, Status.BAD_REQUEST_400, "invalid_request",
                    "duplicate key in the JSON-RPC message: " + e.key());
            return Optional.empty();
        }
    }

    /**
     * A POST must be JSON and must accept JSON (or an event stream with it): the MCP handler never answers other
     * Content-Type or Accept values (the connection hangs), so they are refused here with 415 / 406.
     */
    private boolean acceptableMediaTypes(RoutingRequest req, RoutingResponse res) {
        Optional<String> contentType = req.headers().first(HeaderNames.CONTENT_TYPE);
        if (contentType.isPresent() && !mediaTypeOf(contentType.get()).equals("application/json")) {
            sendError(res, AuthOutcome.BAD_REQUEST, Status.UNSUPPORTED_MEDIA_TYPE_415, "invalid_request",
                    "Content-Type must be application/json");
            return false;
        }
        List<String> accept = req.headers().all(HeaderNames.ACCEPT, List::of);
        boolean acceptable = accept.isEmpty() || accept.stream()
                .flatMap(value -> java.util.Arrays.stream(value.split(",")))
                .map(BearerAuthFilter::mediaTypeOf)
                .anyMatch(type -> type.equals("application/json") || type.equals("application/*") || type.equals("*/*"));
        if (!acceptable) {
            sendError(res, AuthOutcome.BAD_REQUEST, Status.NOT_ACCEPTABLE_406, "invalid_request",
                    "Accept must include application/json (and text/event-stream)");
            return false;
        }
        return true;
    }

    private static String mediaTypeOf(String headerValue) {
        int semicolon = headerValue.indexOf(';');
        return (semicolon < 0 ? headerValue : headerValue.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }

    private UnaryOperator<OutputStream> answerFilter(RoutingResponse res, AuthInfo caller, boolean listsTools,
                                                     boolean trimsCapabilities, Admission.Reserved reservation) {
        return out -> {
            // Runs when the answer starts, before any byte leaves: bind the new session first, so the client can
            // never use the id before it is bound.
            if (reservation != null) {
                res.headers().first(SESSION_ID).ifPresent(id -> sessions.bind(reservation, id));
            }
            boolean eventStream = res.headers().contentType()
                    .map(type -> type.mediaType().text().toLowerCase(Locale.ROOT).contains("event-stream"))
                    .orElse(false);
            if (!(listsTools || trimsCapabilities) || eventStream) {
                return out;
            }
            List<AnswerRewriter.MessageRewrite> rewrites = new ArrayList<>(2);
            if (listsTools) {
                rewrites.add(new ToolListRewrite(tools, caller));
            }
            if (trimsCapabilities) {
                rewrites.add(capabilities);
            }
            res.headers().remove(HeaderNames.CONTENT_LENGTH);
            return new AnswerRewriter(out, json, rewrites);
        };
    }

    private void answerFailure(RoutingResponse res, VerificationFailure failure) {
        switch (failure) {
            case VerificationFailure.InvalidToken invalid -> invalidToken(res, invalid.description());
            case VerificationFailure.InsufficientScope insufficient -> reject(res, AuthOutcome.INSUFFICIENT_SCOPE,
                    Status.FORBIDDEN_403, BearerChallenge.builder()
                            .error(BearerChallenge.Error.INSUFFICIENT_SCOPE)
                            .description(BearerChallenge.safeDescription(insufficient.description()))
                            .scopes(config.requestable(insufficient.required().stream().sorted().toList()))
                            .resourceMetadata(resourceMetadataUrl)
                            .build());
            case VerificationFailure.Unavailable unavailable -> unavailable(res, unavailable);
        }
    }

    private void invalidToken(RoutingResponse res, String description) {
        reject(res, AuthOutcome.INVALID_TOKEN, Status.UNAUTHORIZED_401, BearerChallenge.builder()
                .error(BearerChallenge.Error.INVALID_TOKEN)
                .description(BearerChallenge.safeDescription(description))
                .resourceMetadata(resourceMetadataUrl)
                .build());
    }

    private void insufficientScope(RoutingResponse res, AuthInfo caller, String tool, ToolRequirement requirement) {
        String description = "tool " + tool + " needs scope " + String.join(" ", requirement.scopes())
                + (requirement.anyOfRoles().isEmpty() ? "" : " or role " + String.join(" or ", requirement.anyOfRoles()));
        LOGGER.log(Level.DEBUG, () -> "403 " + tool + " for " + caller.subject());
        reject(res, AuthOutcome.INSUFFICIENT_SCOPE, Status.FORBIDDEN_403, BearerChallenge.builder()
                .error(BearerChallenge.Error.INSUFFICIENT_SCOPE)
                .description(BearerChallenge.safeDescription(description))
                .scopes(config.requestable(requirement.stepUpScopes(caller)))
                .resourceMetadata(resourceMetadataUrl)
                .build());
    }

    private void unavailable(RoutingResponse res, VerificationFailure.Unavailable failure) {
        LOGGER.log(Level.WARNING, "token could not be verified, answering 503: " + failure.description());
        Duration retryAfter = failure.retryAfter();
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        res.header(HeaderNames.RETRY_AFTER, Long.toString(seconds));
        sendError(res, AuthOutcome.UNAVAILABLE, Status.SERVICE_UNAVAILABLE_503, "temporarily_unavailable",
                "the authorization server cannot be reached; retry later");
    }

    private void refuseSession(RoutingResponse res, AuthInfo caller, boolean ownedByAnother) {
        if (ownedByAnother) {
            LOGGER.log(Level.INFO, "refused a session opened by another principal (caller " + caller.subject() + ")");
        }
        // 404 is what MCP clients expect for a session they cannot use: they start a new one. It does not tell
        // whether the session exists.
        sendError(res, AuthOutcome.SESSION_REFUSED, Status.NOT_FOUND_404, "session_not_found",
                "unknown session, or a session opened by another principal");
    }

    private void tooLarge(RoutingResponse res, long limit) {
        res.header(HeaderValues.CONNECTION_CLOSE);
        sendError(res, AuthOutcome.PAYLOAD_TOO_LARGE, Status.REQUEST_ENTITY_TOO_LARGE_413, "request_too_large",
                "the request body exceeds " + limit + " bytes");
    }

    private void reject(RoutingResponse res, AuthOutcome outcome, Status status, BearerChallenge challenge) {
        if (challenge != null) {
            res.header(HeaderNames.WWW_AUTHENTICATE, challenge.headerValue());
        }
        String error = challenge == null ? "invalid_request" : challenge.error().orElse("unauthorized");
        String description = challenge == null ? "malformed request"
                : challenge.description().orElse("a bearer token is required");
        sendError(res, outcome, status, error, description);
    }

    private void sendError(RoutingResponse res, AuthOutcome outcome, Status status, String error, String description) {
        outcome(outcome);
        ErrorAnswers.send(res, status, error, description);
    }

    private void outcome(AuthOutcome outcome) {
        config.accessListener().outcome(outcome);
    }
}

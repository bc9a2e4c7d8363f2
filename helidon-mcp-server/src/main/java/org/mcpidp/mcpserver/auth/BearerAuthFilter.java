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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.mcpidp.mcpserver.auth.SessionBindings.Principal;
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
    // RFC 6750 section 2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
    private static final Pattern B64TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");

    private final BearerAuthFeature config;
    private final TokenVerifier verifier;
    private final Map<String, ToolRequirement> tools;
    private final SessionBindings sessions;
    private final String resourceMetadataUrl;
    private final ObjectMapper json = new ObjectMapper();

    BearerAuthFilter(BearerAuthFeature config, String resourceMetadataUrl) {
        this.config = config;
        this.verifier = config.verifier();
        this.tools = config.tools();
        this.sessions = config.sessions();
        this.resourceMetadataUrl = resourceMetadataUrl;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        if (!protects(req.path().path())) {
            chain.proceed();
            return;
        }
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
                    .scopes(config.scopesSupported())
                    .build());
            return;
        }
        String token = header.substring("Bearer".length()).strip();
        if (!B64TOKEN.matcher(token).matches()) {
            invalidToken(res, "the bearer token is malformed");
            return;
        }

        AuthInfo caller;
        try {
            caller = verifier.verify(token);
        } catch (TokenVerificationException e) {
            answerFailure(res, e.failure());
            return;
        }
        req.context().register(caller);

        Optional<String> sessionId = sessionId(req);
        if (sessionId.isPresent()) {
            Optional<Principal> owner = sessions.principal(sessionId.get());
            if (owner.isEmpty() || !owner.get().equals(Principal.of(caller))) {
                refuseSession(res, caller, owner.isPresent());
                return;
            }
        }

        Method method = req.prologue().method();
        if (Method.POST.equals(method)) {
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
                    insufficientScope(res, caller, call.toolName().get(), requirement);
                    return;
                }
            }
            boolean listsTools = calls.get().has(JsonRpcCalls.TOOLS_LIST);
            boolean opensSession = sessionId.isEmpty() && calls.get().has(JsonRpcCalls.INITIALIZE);
            if (listsTools || opensSession) {
                res.streamFilter(answerFilter(res, caller, listsTools, opensSession));
            }
        } else if (Method.GET.equals(method) && sessionId.isEmpty()) {
            // legacy HTTP+SSE transport: the session id is announced in the stream's first event
            Principal principal = Principal.of(caller);
            res.streamFilter(out -> new SseSessionSniffer(out, id -> sessions.bind(id, principal)));
        }

        chain.proceed();

        if (Method.DELETE.equals(method) && sessionId.isPresent() && res.status().code() < 300) {
            sessions.unbind(sessionId.get());
        }
        outcome(AuthOutcome.AUTHENTICATED);
    }

    /** The MCP path and everything below it ({@code /mcp}, {@code /mcp/message}, ...), nothing else. */
    private boolean protects(String path) {
        String mcpPath = config.mcpPath();
        return path.equals(mcpPath) || path.startsWith(mcpPath + "/");
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
            return Optional.of(new JsonRpcCalls(List.of()));
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
        return Optional.of(JsonRpcCalls.parse(json, body));
    }

    private UnaryOperator<OutputStream> answerFilter(RoutingResponse res, AuthInfo caller,
                                                     boolean listsTools, boolean opensSession) {
        return out -> {
            // Runs when the answer starts, before any byte leaves: bind the new session first, so the client can
            // never use the id before it is bound.
            if (opensSession) {
                res.headers().first(SESSION_ID).ifPresent(id -> sessions.bind(id, Principal.of(caller)));
            }
            boolean eventStream = res.headers().contentType()
                    .map(type -> type.mediaType().text().toLowerCase(Locale.ROOT).contains("event-stream"))
                    .orElse(false);
            if (!listsTools || eventStream) {
                return out;
            }
            res.headers().remove(HeaderNames.CONTENT_LENGTH);
            return new ToolListFilter(out, json, tools, caller);
        };
    }

    private void answerFailure(RoutingResponse res, VerificationFailure failure) {
        switch (failure) {
            case VerificationFailure.InvalidToken invalid -> invalidToken(res, invalid.description());
            case VerificationFailure.InsufficientScope insufficient -> reject(res, AuthOutcome.INSUFFICIENT_SCOPE,
                    Status.FORBIDDEN_403, BearerChallenge.builder()
                            .error(BearerChallenge.Error.INSUFFICIENT_SCOPE)
                            .description(BearerChallenge.safeDescription(insufficient.description()))
                            .scopes(insufficient.required().stream().sorted().toList())
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
                .scopes(requirement.stepUpScopes(caller))
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
        ObjectNode body = json.createObjectNode().put("error", error);
        if (!description.isEmpty()) {
            body.put("error_description", description);
        }
        res.status(status);
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.send(body.toString());
    }

    private void outcome(AuthOutcome outcome) {
        config.outcomeListener().accept(outcome);
    }
}

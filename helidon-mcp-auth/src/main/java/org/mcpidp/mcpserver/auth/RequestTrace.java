package org.mcpidp.mcpserver.auth;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mcpidp.verifier.AuthInfo;

/**
 * What the stages learned about one request to the MCP endpoint, turned into {@link AccessDecision}s when it is done.
 * The bearer filter opens it and the stages it calls run on the same thread, so a stage that refuses (through
 * {@link ErrorAnswers}, which is shared and only sees the response) finds the request's trace in a thread-local, set
 * for exactly the filter's run ({@link #open} / {@link #close}), like a logging MDC.
 */
final class RequestTrace {

    private static final ThreadLocal<RequestTrace> CURRENT = new ThreadLocal<>();

    final String requestId;
    final String httpMethod;
    final Optional<String> sessionId;
    private AuthInfo caller;
    private JsonRpcCalls calls;
    private AuthOutcome refusedAs;
    private String reason;
    private String refusedTool;

    private RequestTrace(String requestId, String httpMethod, Optional<String> sessionId) {
        this.requestId = requestId;
        this.httpMethod = httpMethod;
        this.sessionId = sessionId;
    }

    static RequestTrace open(String requestId, String httpMethod, Optional<String> sessionId) {
        RequestTrace trace = new RequestTrace(requestId, httpMethod, sessionId);
        CURRENT.set(trace);
        return trace;
    }

    static Optional<RequestTrace> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    void close() {
        CURRENT.remove();
    }

    Optional<AuthInfo> caller() {
        return Optional.ofNullable(caller);
    }

    void caller(AuthInfo value) {
        this.caller = value;
    }

    void calls(JsonRpcCalls value) {
        this.calls = value;
    }

    /** A stage refused the request; {@code error} is the OAuth-style error code it answered with. */
    static void refused(AuthOutcome outcome, String error) {
        current().ifPresent(trace -> {
            trace.refusedAs = outcome;
            trace.reason = switch (outcome) {
                case UNAVAILABLE -> "idp_unavailable";
                case INVALID_TOKEN, NO_TOKEN, SESSION_REFUSED, SESSION_LIMIT, DUPLICATE_REQUEST, PAYLOAD_TOO_LARGE,
                     ORIGIN_REFUSED -> outcome.name().toLowerCase(java.util.Locale.ROOT);
                default -> trace.refusedTool == null ? error : trace.reason;
            };
        });
    }

    /** The JSON-RPC gate refused a call of {@code tool}: {@code reason} is {@code missing_scope} or {@code missing_role}. */
    static void refusedTool(String tool, String reason) {
        current().ifPresent(trace -> {
            trace.refusedTool = tool;
            trace.reason = reason;
        });
    }

    /**
     * The decisions of the finished request: one per JSON-RPC message of an admitted POST, else one.
     *
     * @param status         the answer's status
     * @param answerSession  the session id the answer announced (a new session's)
     */
    List<AccessDecision> decisions(int status, Optional<String> answerSession, Duration latency,
                                   AccessListener listener) {
        Optional<AccessDecision.Caller> who = Optional.ofNullable(caller).map(AccessDecision.Caller::of);
        Optional<String> session = sessionId.or(() -> answerSession);
        AuthOutcome outcome = refusedAs == null ? AuthOutcome.AUTHENTICATED : refusedAs;
        String why = refusedAs == null ? "authenticated" : reason;
        List<AccessDecision> result = new ArrayList<>(1);
        if (refusedAs == null && calls != null) {
            for (JsonRpcCalls.Call call : calls.calls()) {
                if (!call.method().isEmpty()) {
                    result.add(decision(outcome, why, status, who, session, Optional.of(call.method()),
                            call.toolName(), latency, arguments(call, listener)));
                }
            }
        }
        if (result.isEmpty()) {
            // refused (or no JSON-RPC message): one decision, naming the first message when the body was read
            Optional<JsonRpcCalls.Call> first = calls == null ? Optional.empty()
                    : calls.calls().stream().filter(call -> !call.method().isEmpty()).findFirst();
            Optional<String> method = refusedTool != null ? Optional.of(JsonRpcCalls.TOOLS_CALL)
                    : first.map(JsonRpcCalls.Call::method);
            Optional<String> tool = refusedTool != null ? Optional.of(refusedTool)
                    : first.flatMap(JsonRpcCalls.Call::toolName);
            result.add(decision(outcome, why, status, who, session, method, tool, latency, Map.of()));
        }
        return result;
    }

    private AccessDecision decision(AuthOutcome outcome, String why, int status, Optional<AccessDecision.Caller> who,
                                    Optional<String> session, Optional<String> method, Optional<String> tool,
                                    Duration latency, Map<String, Object> arguments) {
        return new AccessDecision(AccessDecision.Kind.REQUEST, Optional.of(requestId), outcome, why, status,
                Optional.of(httpMethod), who, session, method, tool, latency, arguments);
    }

    /** The allow-listed arguments of a {@code tools/call}: scalars only (a nested value is summarized by its type). */
    private static Map<String, Object> arguments(JsonRpcCalls.Call call, AccessListener listener) {
        if (call.toolName().isEmpty() || !JsonRpcCalls.TOOLS_CALL.equals(call.method())) {
            return Map.of();
        }
        Set<String> names = listener.recordedArguments(call.toolName().get());
        if (names.isEmpty()) {
            return Map.of();
        }
        JsonNode arguments = call.arguments();
        Map<String, Object> picked = new LinkedHashMap<>();
        for (String name : names) {
            JsonNode value = arguments.get(name);
            if (value == null) {
                continue;
            }
            picked.put(name, value.isTextual() ? value.asText()
                    : value.isNumber() ? value.numberValue()
                    : value.isBoolean() ? value.booleanValue()
                    : value.isNull() ? "null" : "(" + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + ")");
        }
        return picked;
    }
}

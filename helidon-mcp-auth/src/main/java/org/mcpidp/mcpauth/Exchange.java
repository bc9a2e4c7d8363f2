package org.mcpidp.mcpauth;

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
 * One request to the MCP endpoint on its way through the stages: what they established (the caller, the parsed
 * messages) or why one refused it, turned into {@link AccessDecision}s when it is done. Created by the request path
 * and handed from stage to stage explicitly (no thread-local): whatever a stage learns about the request is here.
 */
final class Exchange {

    final String requestId;
    final String httpMethod;
    final Optional<String> sessionId;
    /** When the request reached the gate, on the gate's (injectable) clock: tool-call latencies run from here. */
    final long arrived;
    private AuthInfo caller;
    private JsonRpcCalls calls;
    private Refusal refusal;

    Exchange(String requestId, String httpMethod, Optional<String> sessionId, long arrived) {
        this.requestId = requestId;
        this.httpMethod = httpMethod;
        this.sessionId = sessionId;
        this.arrived = arrived;
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

    /** A stage refused the request (recorded by {@link Answers}, which writes the refusal). */
    void refused(Refusal value) {
        this.refusal = value;
    }

    Optional<Refusal> refusal() {
        return Optional.ofNullable(refusal);
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
        AuthOutcome outcome = refusal == null ? AuthOutcome.AUTHENTICATED : refusal.outcome();
        String why = refusal == null ? "authenticated" : refusal.reason();
        List<AccessDecision> result = new ArrayList<>(1);
        if (refusal == null && calls != null) {
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
            Optional<String> refusedTool = refusal == null ? Optional.empty() : refusal.tool();
            Optional<String> method = refusedTool.isPresent() ? Optional.of(JsonRpcCalls.TOOLS_CALL)
                    : first.map(JsonRpcCalls.Call::method);
            Optional<String> tool = refusedTool.or(() -> first.flatMap(JsonRpcCalls.Call::toolName));
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

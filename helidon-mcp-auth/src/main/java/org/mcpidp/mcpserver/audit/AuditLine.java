package org.mcpidp.mcpserver.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.mcpidp.mcpserver.auth.AccessDecision;

/**
 * One audit event as a JSON line, schema version {@value #VERSION}. Every key is always present, in this order
 * (null when the decision has no value for it), except {@code arguments}, present only for an allow-listed tool:
 * {@code v, time, event, request_id, decision, reason, status, http_method, method, tool, session_id, issuer,
 * subject, client_id, username, latency_ms[, arguments]}. A new key is added without a version change; a key
 * renamed, removed or changed in meaning raises {@code v}.
 */
record AuditLine(Instant time, AccessDecision decision) {

    static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    String toJson() {
        ObjectNode line = JSON.createObjectNode();
        line.put("v", VERSION);
        line.put("time", time.toString());
        line.put("event", decision.kind() == AccessDecision.Kind.SESSION_END ? "session_end" : "request");
        put(line, "request_id", decision.requestId());
        line.put("decision", decision.kind() == AccessDecision.Kind.SESSION_END ? "ended"
                : decision.allowed() ? "allowed" : "denied");
        line.put("reason", decision.reason());
        if (decision.status() == 0) {
            line.putNull("status");
        } else {
            line.put("status", decision.status());
        }
        put(line, "http_method", decision.httpMethod());
        put(line, "method", decision.rpcMethod());
        put(line, "tool", decision.tool());
        put(line, "session_id", decision.sessionId());
        Optional<AccessDecision.Caller> caller = decision.caller();
        put(line, "issuer", caller.map(AccessDecision.Caller::issuer));
        put(line, "subject", caller.map(AccessDecision.Caller::subject));
        put(line, "client_id", caller.flatMap(AccessDecision.Caller::clientId));
        put(line, "username", caller.flatMap(AccessDecision.Caller::username));
        line.put("latency_ms", Double.parseDouble(String.format(Locale.ROOT, "%.3f",
                decision.latency().toNanos() / 1e6)));
        if (!decision.arguments().isEmpty()) {
            line.set("arguments", JSON.valueToTree(decision.arguments()));
        }
        return line.toString();
    }

    private static void put(ObjectNode line, String key, Optional<String> value) {
        if (value.isPresent()) {
            line.put(key, value.get());
        } else {
            line.putNull(key);
        }
    }
}

package org.mcpidp.mcpauth.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;
import org.mcpidp.mcpauth.AccessDecision;

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

    /**
     * Written with a streaming generator: the writer thread turns every request into one line, and building a tree
     * first (plus {@code String.format} for the latency) was most of its CPU.
     */
    String toJson() {
        StringWriter out = new StringWriter(320);
        try (JsonGenerator line = JSON.createGenerator(out)) {
            line.writeStartObject();
            line.writeNumberField("v", VERSION);
            line.writeStringField("time", time.toString());
            boolean ended = decision.kind() == AccessDecision.Kind.SESSION_END;
            line.writeStringField("event", ended ? "session_end" : "request");
            put(line, "request_id", decision.requestId());
            line.writeStringField("decision", ended ? "ended" : decision.allowed() ? "allowed" : "denied");
            line.writeStringField("reason", decision.reason());
            if (decision.status() == 0) {
                line.writeNullField("status");
            } else {
                line.writeNumberField("status", decision.status());
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
            // milliseconds with three decimals, rounded half up
            line.writeNumberField("latency_ms", Math.round(decision.latency().toNanos() / 1e3) / 1e3);
            if (!decision.arguments().isEmpty()) {
                line.writeObjectField("arguments", decision.arguments());
            }
            line.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("a StringWriter does not fail", e);
        }
        return out.toString();
    }

    private static void put(JsonGenerator line, String key, Optional<String> value) throws IOException {
        if (value.isPresent()) {
            line.writeStringField(key, value.get());
        } else {
            line.writeNullField(key);
        }
    }
}

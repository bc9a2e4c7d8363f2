package org.mcpidp.mcpauth;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.mcpidp.verifier.BearerChallenge;
import org.mcpidp.verifier.AuthInfo;

/**
 * Stage 3 of the bearer gate, for a POST: reads the JSON-RPC body once (bounded: 413; JSON only, {@link PostMediaTypes}:
 * 415 / 406; no
 * duplicate keys, bounded nesting: 400), refuses with 403 a {@code tools/call} the caller may not make before the tool
 * runs, and rewrites the answers: {@code tools/list} without the tools the caller may not call, {@code initialize}
 * without the capabilities the extension does not serve. Every {@code tools/call} decision goes to the
 * {@link AccessListener} with its latency.
 */
final class JsonRpcGate {

    private static final System.Logger LOGGER = System.getLogger(JsonRpcGate.class.getName());

    /**
     * @param tools every registered tool's requirement, by name
     * @param nanoTime the clock tool-call latencies are measured with
     */
    record Config(long maxBodySize, Requirements requirements, ExtensionCapabilities capabilities,
                  ScopeNames scopes, String resourceMetadataUrl, LongSupplier nanoTime) {
    }

    private final Config config;
    private final AccessListener listener;
    private final ObjectMapper json = new ObjectMapper();

    JsonRpcGate(Config config, AccessListener listener) {
        this.config = config;
        this.listener = listener;
    }

    /** When a request arrived at the gate, for {@link #authorize} and {@link #called}. */
    long now() {
        return config.nanoTime().getAsLong();
    }

    /**
     * The JSON-RPC messages of the body, or why it is refused. With {@code engineReparses} (the MCP extension, which
     * reads the body again with a parser of its own), the engine is handed {@link JsonRpcCalls#canonical} (this parse,
     * written out again), never the bytes that arrived, so it executes exactly what is authorized here.
     */
    Decision<JsonRpcCalls> read(ServerRequest req, boolean engineReparses) {
        Optional<Refusal> mediaTypes = PostMediaTypes.check(req.headers());
        if (mediaTypes.isPresent()) {
            return Decision.refuse(mediaTypes.get());
        }
        long limit = config.maxBodySize();
        Optional<String> declared = req.headers().first(HeaderNames.CONTENT_LENGTH);
        try {
            if (declared.isPresent() && Long.parseLong(declared.get().strip()) > limit) {
                return Decision.refuse(tooLarge(limit));
            }
        } catch (NumberFormatException e) {
            return Decision.refuse(Refusal.of(Status.BAD_REQUEST_400, AuthOutcome.BAD_REQUEST, "invalid_request",
                    "malformed request"));
        }
        // Registered before the entity is first touched (Helidon fixes a request's stream filters then): every read
        // after this stage's own gets the canonical body.
        CanonicalBody canonical = engineReparses ? new CanonicalBody() : null;
        if (canonical != null) {
            req.streamFilter(canonical);
        }
        if (!req.content().hasEntity()) {
            return malformed(new JsonRpcCalls.Malformed(JsonRpcCalls.INVALID_REQUEST,
                    "a JSON-RPC message is required", null));
        }
        byte[] body;
        try {
            if (canonical != null) {
                req.content().buffer(); // the engine reads the entity again after this stage
                body = req.content().as(byte[].class);
            } else {
                body = readBounded(req, limit, declared);
            }
        } catch (IOException | RuntimeException e) {
            // chunked bodies beyond server.protocols.http_1_1.max-buffered-entity-size end up here
            return Decision.refuse(tooLarge(limit));
        }
        if (body.length > limit) {
            return Decision.refuse(tooLarge(limit));
        }
        try {
            JsonRpcCalls calls = JsonRpcCalls.parse(body);
            if (canonical != null) {
                canonical.set(calls.canonical());
            }
            return Decision.pass(calls);
        } catch (JsonRpcCalls.Malformed e) {
            // A body this stage cannot read completely authorizes nothing, so it must not run either.
            return malformed(e);
        }
    }

    /**
     * The entity, read into an array of its size: with a Content-Length (already checked against {@code limit})
     * exactly that many bytes, else (chunked) at most {@code limit + 1}, so a longer body is refused without reading
     * it all. {@code as(byte[].class)} read through 16 KB chunk buffers and copied the result: a third of a
     * request's allocation for a body of a few hundred bytes.
     */
    private static byte[] readBounded(ServerRequest req, long limit, Optional<String> declared) throws IOException {
        try (InputStream in = req.content().inputStream()) {
            if (declared.isPresent()) {
                return in.readNBytes(Integer.parseInt(declared.get().strip()));
            }
            return in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        }
    }

    /**
     * Whether {@code caller} may make every call of {@code calls}: the refusal of the first it may not (403 with the
     * scopes it needs) or that names what the engine does not serve (a JSON-RPC error, -32602, as the engine would
     * answer it: HTTP {@code unknownStatus}).
     */
    Optional<Refusal> authorize(AuthInfo caller, JsonRpcCalls calls, long arrived, Status unknownStatus) {
        for (JsonRpcCalls.Call call : calls.calls()) {
            Optional<Requirements.Target> named = config.requirements().of(call);
            if (named.isEmpty()) {
                continue;
            }
            Requirements.Target target = named.get();
            boolean tool = JsonRpcCalls.TOOLS_CALL.equals(call.method());
            if (target.requirement().isEmpty()) {
                // no requirement is no permission: a name the engine does not serve is refused here, never passed on
                if (tool) {
                    listener.toolCall(target.name(), false, since(arrived));
                }
                String message = "Unknown " + target.kind() + ": " + BearerChallenge.safeDescription(target.name());
                Refusal unknown = Refusal.jsonRpc(unknownStatus, AuthOutcome.BAD_REQUEST, call.id(),
                        JsonRpcCalls.INVALID_PARAMS, message);
                if (target.kind().equals("resource")) {
                    unknown = unknown.withData(json.createObjectNode().put("uri", target.name()));
                }
                return Optional.of(tool ? unknown.forTool(target.name(), "unknown_tool") : unknown);
            }
            ToolRequirement requirement = target.requirement().get();
            if (!requirement.allows(caller)) {
                if (tool) {
                    // told before the 403 leaves: a client that reads the metrics right after the answer sees it
                    listener.toolCall(target.name(), false, since(arrived));
                }
                String why = requirement.scopes().isEmpty() ? "missing_role" : requirement.anyOfRoles().isEmpty()
                        ? "missing_scope" : "missing_scope_or_role";
                Refusal refusal = refusal(caller, target, requirement);
                return Optional.of(tool ? refusal.forTool(target.name(), why) : refusal);
            }
        }
        return Optional.empty();
    }

    /** Filters what the MCP handler answers, when the messages ask for something this caller sees trimmed. */
    void rewriteAnswers(RoutingResponse res, AuthInfo caller, JsonRpcCalls calls) {
        boolean listsTools = calls.has(JsonRpcCalls.TOOLS_LIST);
        boolean trimsCapabilities = calls.has(JsonRpcCalls.INITIALIZE) && config.capabilities().trimsSomething();
        if (!listsTools && !trimsCapabilities) {
            return;
        }
        res.streamFilter(out -> {
            boolean eventStream = res.headers().contentType()
                    .map(type -> type.mediaType().text().toLowerCase(Locale.ROOT).contains("event-stream"))
                    .orElse(false);
            if (eventStream) {
                return out;
            }
            List<AnswerRewriter.MessageRewrite> rewrites = new ArrayList<>(2);
            if (listsTools) {
                rewrites.add(new ToolListRewrite(config.requirements().tools(), caller));
            }
            if (trimsCapabilities) {
                rewrites.add(config.capabilities());
            }
            res.headers().remove(HeaderNames.CONTENT_LENGTH);
            return new AnswerRewriter(out, json, rewrites);
        });
    }

    /** After the MCP handler answered: every allowed {@code tools/call} of the body, with its latency. */
    void called(JsonRpcCalls calls, long arrived) {
        Duration latency = null;
        for (JsonRpcCalls.Call call : calls.calls()) {
            if (isToolCall(call)) {
                latency = latency == null ? since(arrived) : latency;
                listener.toolCall(call.toolName().get(), true, latency);
            }
        }
    }

    private static boolean isToolCall(JsonRpcCalls.Call call) {
        return JsonRpcCalls.TOOLS_CALL.equals(call.method()) && call.toolName().isPresent();
    }

    private Duration since(long arrived) {
        return Duration.ofNanos(config.nanoTime().getAsLong() - arrived);
    }

    private Refusal refusal(AuthInfo caller, Requirements.Target target, ToolRequirement requirement) {
        String description = target.kind() + " " + target.name() + " needs scope "
                + String.join(" ", requirement.scopes())
                + (requirement.anyOfRoles().isEmpty() ? "" : " or role " + String.join(" or ", requirement.anyOfRoles()));
        LOGGER.log(Level.DEBUG, () -> "403 " + target.kind() + " for " + caller.subject());
        return Refusal.challenge(Status.FORBIDDEN_403, AuthOutcome.INSUFFICIENT_SCOPE, BearerChallenge.builder()
                .error(BearerChallenge.Error.INSUFFICIENT_SCOPE)
                .description(BearerChallenge.safeDescription(description))
                .scopes(config.scopes().requestable(requirement.challengeScopes()))
                .resourceMetadata(config.resourceMetadataUrl())
                .build());
    }

    private static Decision<JsonRpcCalls> malformed(JsonRpcCalls.Malformed why) {
        return Decision.refuse(Refusal.jsonRpc(Status.BAD_REQUEST_400, AuthOutcome.BAD_REQUEST, why.id(), why.code(),
                why.getMessage()));
    }

    private static Refusal tooLarge(long limit) {
        return Refusal.of(Status.REQUEST_ENTITY_TOO_LARGE_413, AuthOutcome.PAYLOAD_TOO_LARGE, "request_too_large",
                "the request body exceeds " + limit + " bytes").withHeader(HeaderNames.CONNECTION, "close");
    }
}

package org.mcpidp.mcpserver.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.mcpidp.verifier.AuthInfo;

/**
 * Stage 3 of the bearer gate, for a POST: reads the JSON-RPC body once (bounded: 413; JSON only: 415 / 406; no
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
    record Config(long maxBodySize, Map<String, ToolRequirement> tools, ExtensionCapabilities capabilities,
                  ScopeNames scopes, String resourceMetadataUrl, LongSupplier nanoTime) {
        Config {
            tools = Map.copyOf(tools);
        }
    }

    private final Config config;
    private final ErrorAnswers answers;
    private final ObjectMapper json = new ObjectMapper();

    JsonRpcGate(Config config, ErrorAnswers answers) {
        this.config = config;
        this.answers = answers;
    }

    /** When a request arrived at the gate, for {@link #authorize} and {@link #called}. */
    long now() {
        return config.nanoTime().getAsLong();
    }

    /** The JSON-RPC messages of the body, or empty when an answer was already sent. */
    Optional<JsonRpcCalls> read(RoutingRequest req, RoutingResponse res) {
        if (!acceptableMediaTypes(req, res)) {
            return Optional.empty();
        }
        long limit = config.maxBodySize();
        Optional<String> declared = req.headers().first(HeaderNames.CONTENT_LENGTH);
        try {
            if (declared.isPresent() && Long.parseLong(declared.get().strip()) > limit) {
                tooLarge(res, limit);
                return Optional.empty();
            }
        } catch (NumberFormatException e) {
            answers.refuse(res, AuthOutcome.BAD_REQUEST, Status.BAD_REQUEST_400, "invalid_request",
                    "malformed request");
            return Optional.empty();
        }
        if (!req.content().hasEntity()) {
            // The MCP handler answers an empty POST with a 500: it is a malformed request.
            return badRequest(res, "a JSON-RPC message is required");
        }
        byte[] body;
        try {
            // buffer() keeps the bytes for the MCP handler, which reads the entity again after this stage
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
        RequestTrace.body(body);
        if (JsonRpcCalls.nestsDeeperThan(body, JsonRpcCalls.MAX_NESTING)) {
            return badRequest(res, "JSON nested deeper than " + JsonRpcCalls.MAX_NESTING + " levels");
        }
        try {
            return Optional.of(JsonRpcCalls.parse(body));
        } catch (JsonRpcCalls.DuplicateKeyException e) {
            // Parsers disagree on duplicates (first wins, last wins, error): what this gate authorizes must be
            // exactly what the MCP handler executes, so an ambiguous message is refused.
            return badRequest(res, "duplicate key in the JSON-RPC message: " + e.key());
        }
    }

    /** False after answering 403 for the first {@code tools/call} the caller may not make. */
    boolean authorize(RoutingResponse res, AuthInfo caller, JsonRpcCalls calls, long arrived) {
        for (JsonRpcCalls.Call call : calls.calls()) {
            if (!isToolCall(call)) {
                continue;
            }
            String tool = call.toolName().get();
            ToolRequirement requirement = config.tools().get(tool);
            if (requirement != null && !requirement.allows(caller)) {
                RequestTrace.refusedTool(tool, requirement.scopes().isEmpty() ? "missing_role"
                        : requirement.anyOfRoles().isEmpty() ? "missing_scope" : "missing_scope_or_role");
                // told before the 403 leaves: a client that reads the metrics right after the answer sees the call
                answers.listener().toolCall(tool, false, since(arrived));
                refuse(res, caller, tool, requirement);
                return false;
            }
        }
        return true;
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
                rewrites.add(new ToolListRewrite(config.tools(), caller));
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
                answers.listener().toolCall(call.toolName().get(), true, latency);
            }
        }
    }

    private static boolean isToolCall(JsonRpcCalls.Call call) {
        return JsonRpcCalls.TOOLS_CALL.equals(call.method()) && call.toolName().isPresent();
    }

    private Duration since(long arrived) {
        return Duration.ofNanos(config.nanoTime().getAsLong() - arrived);
    }

    private void refuse(RoutingResponse res, AuthInfo caller, String tool, ToolRequirement requirement) {
        String description = "tool " + tool + " needs scope " + String.join(" ", requirement.scopes())
                + (requirement.anyOfRoles().isEmpty() ? "" : " or role " + String.join(" or ", requirement.anyOfRoles()));
        LOGGER.log(Level.DEBUG, () -> "403 " + tool + " for " + caller.subject());
        answers.challenge(res, AuthOutcome.INSUFFICIENT_SCOPE, Status.FORBIDDEN_403, BearerChallenge.builder()
                .error(BearerChallenge.Error.INSUFFICIENT_SCOPE)
                .description(BearerChallenge.safeDescription(description))
                .scopes(config.scopes().requestable(requirement.stepUpScopes(caller)))
                .resourceMetadata(config.resourceMetadataUrl())
                .build());
    }

    /**
     * A POST must be JSON and must accept JSON (or an event stream with it): the MCP handler never answers other
     * Content-Type or Accept values (the connection hangs), so they are refused here with 415 / 406.
     */
    private boolean acceptableMediaTypes(RoutingRequest req, RoutingResponse res) {
        Optional<String> contentType = req.headers().first(HeaderNames.CONTENT_TYPE);
        if (contentType.isPresent() && !mediaTypeOf(contentType.get()).equals("application/json")) {
            answers.refuse(res, AuthOutcome.BAD_REQUEST, Status.UNSUPPORTED_MEDIA_TYPE_415, "invalid_request",
                    "Content-Type must be application/json");
            return false;
        }
        List<String> accept = req.headers().all(HeaderNames.ACCEPT, List::of);
        if (!accept.isEmpty() && !acceptsJson(accept)) {
            answers.refuse(res, AuthOutcome.BAD_REQUEST, Status.NOT_ACCEPTABLE_406, "invalid_request",
                    "Accept must include application/json (and text/event-stream)");
            return false;
        }
        return true;
    }

    /** Plain loops, no streams or split: this runs on every POST (the stream version was ~1.5% of a request's CPU). */
    private static boolean acceptsJson(List<String> acceptHeaders) {
        for (String header : acceptHeaders) {
            int start = 0;
            while (start <= header.length()) {
                int comma = header.indexOf(',', start);
                int end = comma < 0 ? header.length() : comma;
                String type = mediaTypeOf(header.substring(start, end));
                if (type.equals("application/json") || type.equals("application/*") || type.equals("*/*")) {
                    return true;
                }
                start = end + 1;
            }
        }
        return false;
    }

    private static String mediaTypeOf(String headerValue) {
        int semicolon = headerValue.indexOf(';');
        return (semicolon < 0 ? headerValue : headerValue.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }

    private Optional<JsonRpcCalls> badRequest(RoutingResponse res, String description) {
        answers.refuse(res, AuthOutcome.BAD_REQUEST, Status.BAD_REQUEST_400, "invalid_request", description);
        return Optional.empty();
    }

    private void tooLarge(RoutingResponse res, long limit) {
        res.header(HeaderValues.CONNECTION_CLOSE);
        answers.refuse(res, AuthOutcome.PAYLOAD_TOO_LARGE, Status.REQUEST_ENTITY_TOO_LARGE_413, "request_too_large",
                "the request body exceeds " + limit + " bytes");
    }
}

package org.mcpidp.mcpauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.Status;
import io.modelcontextprotocol.modern.server.transport.McpHeaderDecoder;
import java.util.List;
import java.util.Optional;

/**
 * The rules of a 2026-07-28 request that the kit enforces itself, before authorization and before any engine code: the
 * headers that mirror the body ({@code MCP-Protocol-Version}, {@code Mcp-Method}, {@code Mcp-Name}) must be there
 * and must say what the body says (else 400 {@code HeaderMismatch}, -32020: a balancer routing on a header and the
 * server executing the body must never see two different requests), the body's {@code _meta} must name the
 * protocol version and the client's capabilities (else 400, -32602), and the version must be one the server speaks
 * (else 400 {@code UnsupportedProtocolVersion}, -32022, listing those it does). Checked in that order, the order the
 * conformance suite probes. The authorization decision that follows is made on the body, which these rules make equal
 * to the headers.
 */
final class ModernRequestRules {

    static final HeaderName PROTOCOL_VERSION = HeaderNames.create("MCP-Protocol-Version");
    static final HeaderName METHOD = HeaderNames.create("Mcp-Method");
    static final HeaderName NAME = HeaderNames.create("Mcp-Name");

    static final int HEADER_MISMATCH = -32020;
    static final int UNSUPPORTED_PROTOCOL_VERSION = -32022;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> supportedVersions;

    ModernRequestRules(List<String> supportedVersions) {
        this.supportedVersions = List.copyOf(supportedVersions);
    }

    /** Whether a request belongs to the stateless 2026-07-28 era (else: a legacy session's, or one opening it). */
    static boolean isModern(JsonRpcCalls.Call call, Headers headers) {
        if (call.metaProtocolVersion().isPresent() || "server/discover".equals(call.method())) {
            return true;
        }
        if (headers.contains(SessionGuard.SESSION_ID) || JsonRpcCalls.INITIALIZE.equals(call.method())) {
            return false;
        }
        Optional<String> version = headers.first(PROTOCOL_VERSION).map(String::strip);
        return version.isPresent() && !SdkEngine.LEGACY_VERSIONS.contains(version.get())
                || call.message().path("params").has("_meta") && version.isEmpty();
    }

    /** The refusal of a 2026-07-28 request that breaks a rule; empty when it keeps them all. */
    Optional<Refusal> check(JsonRpcCalls.Call call, Headers headers) {
        if (call.method().isEmpty() || call.id() == null) {
            return Optional.empty(); // notifications and responses carry no routing headers
        }
        List<String> versionHeaders = headers.all(PROTOCOL_VERSION, List::of);
        if (versionHeaders.isEmpty()) {
            return mismatch(call, "Missing required header: MCP-Protocol-Version");
        }
        if (versionHeaders.size() > 1) {
            return mismatch(call, "MCP-Protocol-Version header has more than one value");
        }
        JsonNode meta = call.message().path("params").path("_meta");
        if (!meta.isObject()) {
            return invalidParams(call, "params._meta is required");
        }
        JsonNode version = meta.path(JsonRpcCalls.META_PROTOCOL_VERSION);
        if (!version.isTextual()) {
            return invalidParams(call, "_meta['" + JsonRpcCalls.META_PROTOCOL_VERSION + "'] is required");
        }
        if (!meta.path("io.modelcontextprotocol/clientCapabilities").isObject()) {
            return invalidParams(call, "_meta['io.modelcontextprotocol/clientCapabilities'] is required");
        }
        if (!versionHeaders.getFirst().strip().equals(version.textValue())) {
            return mismatch(call, "MCP-Protocol-Version header does not match _meta protocol version");
        }
        if (!SdkEngine.MODERN_VERSION.equals(version.textValue())) {
            return Optional.of(unsupported(call, version.textValue()));
        }
        Optional<Refusal> method = single(call, headers, METHOD, "Mcp-Method");
        if (method.isPresent()) {
            return method;
        }
        if (!headers.first(METHOD).orElseThrow().strip().equals(call.method())) {
            return mismatch(call, "Mcp-Method header does not match request method");
        }
        if (call.target().isPresent()) {
            Optional<Refusal> name = single(call, headers, NAME, "Mcp-Name");
            if (name.isPresent()) {
                return name;
            }
            String decoded = McpHeaderDecoder.decodeValue(headers.first(NAME).orElseThrow().strip());
            if (decoded == null) {
                return mismatch(call, "Mcp-Name header has a malformed value");
            }
            if (!decoded.equals(call.target().get())) {
                return mismatch(call, "Mcp-Name header does not match request name/uri");
            }
        }
        return Optional.empty();
    }

    /** 400 -32022 listing every version this server speaks, as 2026-07-28 defines the error. */
    Refusal unsupported(JsonRpcCalls.Call call, String requested) {
        ObjectNode data = JSON.createObjectNode();
        supportedVersions.forEach(data.putArray("supported")::add);
        data.put("requested", requested);
        return Refusal.jsonRpc(Status.BAD_REQUEST_400, AuthOutcome.BAD_REQUEST, call.id(),
                UNSUPPORTED_PROTOCOL_VERSION, "Unsupported protocol version").withData(data);
    }

    private static Optional<Refusal> single(JsonRpcCalls.Call call, Headers headers, HeaderName header, String name) {
        List<String> values = headers.all(header, List::of);
        if (values.isEmpty()) {
            return mismatch(call, "Missing required header: " + name);
        }
        return values.size() > 1 ? mismatch(call, name + " header has more than one value") : Optional.empty();
    }

    private static Optional<Refusal> mismatch(JsonRpcCalls.Call call, String message) {
        return Optional.of(Refusal.jsonRpc(Status.BAD_REQUEST_400, AuthOutcome.BAD_REQUEST, call.id(),
                HEADER_MISMATCH, message));
    }

    private static Optional<Refusal> invalidParams(JsonRpcCalls.Call call, String message) {
        return Optional.of(Refusal.jsonRpc(Status.BAD_REQUEST_400, AuthOutcome.BAD_REQUEST, call.id(),
                JsonRpcCalls.INVALID_PARAMS, message));
    }
}

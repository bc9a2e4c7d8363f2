package org.mcpidp.mcpauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.webserver.WebServer;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.modern.McpSchema;
import io.modelcontextprotocol.modern.server.InputResponses;
import io.modelcontextprotocol.modern.server.McpRequestContext;
import io.modelcontextprotocol.modern.server.McpSyncResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.mcpidp.testkit.FreePort;
import org.mcpidp.testkit.LocalIssuer;
import org.mcpidp.verifier.AccessPolicy;
import org.mcpidp.verifier.TokenVerifier;
import org.mcpidp.verifier.TrustedIssuer;

/**
 * The library alone, as an application uses it: {@link BearerAuthFeature} with the MCP Java SDK engine, trusting a
 * {@link LocalIssuer} (JWT, no Keycloak: what is tested here happens after the token is verified), on a free loopback
 * port, with test tools that count their runs, and raw HTTP requests that show what goes over the wire.
 */
final class SdkTestServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    final LocalIssuer issuer;
    final String url;
    private final AtomicInteger erased;
    private final WebServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    private final boolean ownsIssuer;

    private SdkTestServer(LocalIssuer issuer, boolean ownsIssuer, String url, WebServer server,
                          AtomicInteger erased) {
        this.issuer = issuer;
        this.ownsIssuer = ownsIssuer;
        this.url = url;
        this.server = server;
        this.erased = erased;
    }

    /** A server whose engine is built from {@code engine} (keys, clock) and feature from {@code feature}. */
    static SdkTestServer start(UnaryOperator<SdkEngine.Builder> engine,
                               UnaryOperator<BearerAuthFeature.Builder> feature) {
        return start(LocalIssuer.start(), true, FreePort.find(), engine, feature);
    }

    /** As above, on {@code port}, trusting {@code issuer}, which the server does not close: for restarts. */
    static SdkTestServer start(LocalIssuer issuer, int port, UnaryOperator<SdkEngine.Builder> engine,
                               UnaryOperator<BearerAuthFeature.Builder> feature) {
        return start(issuer, false, port, engine, feature);
    }

    private static SdkTestServer start(LocalIssuer issuer, boolean ownsIssuer, int port,
                                       UnaryOperator<SdkEngine.Builder> engine,
                                       UnaryOperator<BearerAuthFeature.Builder> feature) {
        String url = "http://127.0.0.1:" + port + "/mcp";
        AtomicInteger erased = new AtomicInteger();
        SdkEngine built = engine.apply(SdkEngine.builder()
                        .serverInfo("kit-test", "1")
                        .addTool(new Tool("echo", ToolRequirement.anyAuthenticated(), (context, request) ->
                                text("echo " + request.arguments())))
                        .addTool(new Tool("erase", ToolRequirement.scopes("mcp:admin"), (context, request) ->
                                confirmThenErase(context, request, erased))))
                .build();
        TokenVerifier verifier = TokenVerifier.builder()
                .issuer(TrustedIssuer.jwt(issuer.issuer()).build())
                .policy(AccessPolicy.builder().audiences(url)
                        .impliedScopes("mcp:admin", List.of("mcp:write"))
                        .impliedScopes("mcp:write", List.of("mcp:read")).build())
                .build();
        BearerAuthFeature auth = feature.apply(BearerAuthFeature.builder().verifier(verifier)
                .resource(URI.create(url)).engine(built)).build();
        WebServer server = WebServer.builder().host("127.0.0.1").port(port).addFeature(auth).build().start();
        return new SdkTestServer(issuer, ownsIssuer, url, server, erased);
    }

    /** How often {@code erase} ran to its end (erased something). */
    int erasures() {
        return erased.get();
    }

    /** A token of {@code subject} with {@code scope}, valid for {@code lifetime}. */
    String token(String subject, String scope, Duration lifetime) {
        Map<String, Object> claims = issuer.claims(url, scope);
        claims.put("sub", subject);
        claims.put("exp", Instant.now().plus(lifetime).getEpochSecond());
        return issuer.sign(claims);
    }

    String token(String subject, String scope) {
        return token(subject, scope, Duration.ofMinutes(10));
    }

    /** A reply: status, headers and body. */
    record Reply(int status, Map<String, List<String>> headers, String body) {
        /** The JSON-RPC message of a JSON answer, or the last {@code data:} event of an event stream. */
        JsonNode json() {
            String text = body;
            if (text.startsWith("event:") || text.startsWith("data:") || text.startsWith("id:")) {
                String last = null;
                for (String line : text.split("\n")) {
                    if (line.startsWith("data:")) {
                        last = line.substring(5).strip();
                    }
                }
                text = last;
            }
            try {
                return JSON.readTree(text);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        String header(String name) {
            return headers.entrySet().stream().filter(entry -> entry.getKey().equalsIgnoreCase(name))
                    .map(entry -> entry.getValue().getFirst()).findFirst().orElse(null);
        }
    }

    /** A 2026-07-28 request: {@code _meta} with the version and capabilities, and the mirrored headers. */
    Reply modern(String token, String method, Map<String, Object> params, Map<String, String> headerOverrides,
                 Map<String, Object> capabilities) {
        Map<String, Object> withMeta = new LinkedHashMap<>(params);
        withMeta.put("_meta", Map.of("io.modelcontextprotocol/protocolVersion", "2026-07-28",
                "io.modelcontextprotocol/clientCapabilities", capabilities));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("MCP-Protocol-Version", "2026-07-28");
        headers.put("Mcp-Method", method);
        if (params.get("name") instanceof String name) {
            headers.put("Mcp-Name", name);
        }
        headers.putAll(headerOverrides);
        return post(token, Map.of("jsonrpc", "2.0", "id", 1, "method", method, "params", withMeta), headers);
    }

    Reply modern(String token, String method, Map<String, Object> params) {
        return modern(token, method, params, Map.of(), Map.of());
    }

    /** A POST of {@code message} with {@code headers} (a null value leaves the header out). */
    Reply post(String token, Object message, Map<String, String> headers) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json, text/event-stream")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(message)));
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            headers.forEach((name, value) -> {
                if (value != null) {
                    request.header(name, value);
                }
            });
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code erase} of {@code item}: with the elicitation capability it asks to confirm first. */
    Reply erase(String token, String item, Map<String, Object> extra, boolean canConfirm) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("name", "erase");
        params.put("arguments", Map.of("item", item));
        params.putAll(extra);
        return modern(token, "tools/call", params, Map.of(), canConfirm ? Map.of("elicitation", Map.of()) : Map.of());
    }

    @Override
    public void close() {
        server.stop();
        if (ownsIssuer) {
            issuer.close();
        }
    }

    // ---- test tools ----

    private record Tool(String name, ToolRequirement requirement, Handler handler) implements SdkTool {
        interface Handler {
            McpSyncResponse<McpSchema.CallToolOutcome> call(McpRequestContext context,
                                                            McpSchema.CallToolRequest request);
        }

        @Override
        public McpSchema.Tool definition() {
            return McpSchema.Tool.builder(name, Map.of("type", "object", "properties", Map.of()))
                    .description("test tool " + name).build();
        }

        @Override
        public McpSyncResponse<McpSchema.CallToolOutcome> call(McpRequestContext context,
                                                               McpSchema.CallToolRequest request) {
            return handler.call(context, request);
        }
    }

    /** Asks to confirm (state {@code erase}), then erases when confirmed. */
    private static McpSyncResponse<McpSchema.CallToolOutcome> confirmThenErase(McpRequestContext context,
                                                                               McpSchema.CallToolRequest request,
                                                                               AtomicInteger erased) {
        McpSchema.ElicitResult answer = "erase".equals(request.requestState())
                ? InputResponses.get(request.inputResponses(), "confirm", McpSchema.ElicitResult.class,
                McpJsonDefaults.getMapper()) : null;
        if (answer == null) {
            return McpSyncResponse.result(McpSchema.InputRequiredResult.builder()
                    .elicit("confirm", McpSchema.ElicitFormRequest.builder("Erase?", Map.of("type", "object",
                            "properties", Map.of("ok", Map.of("type", "boolean")))).build())
                    .requestState("erase").build());
        }
        erased.incrementAndGet();
        return text("erased " + request.arguments().get("item"));
    }

    private static McpSyncResponse<McpSchema.CallToolOutcome> text(String text) {
        return McpSyncResponse.result(McpSchema.CallToolResult.builder()
                .addContent(McpSchema.TextContent.builder(text).build()).build());
    }

    /** The clock of a test that moves time on. */
    static final class TestClock extends Clock {
        private volatile Instant now = Instant.now();

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    static List<String> names(JsonNode tools) {
        List<String> names = new ArrayList<>();
        tools.forEach(tool -> names.add(tool.path("name").asText()));
        return names;
    }
}

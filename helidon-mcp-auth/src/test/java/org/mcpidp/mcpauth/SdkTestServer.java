package org.mcpidp.mcpauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import okhttp3.OkHttpClient;
import org.mcpidp.testkit.FreePort;
import org.mcpidp.testkit.LocalIssuer;
import org.mcpidp.testkit.McpHttp;
import org.mcpidp.verifier.TokenVerifier;

/**
 * The library alone, as an application uses it: {@link BearerAuthFeature} configured from {@code mcp.*} (the
 * library's own {@link BearerAuthFeature.Builder#config}) with the MCP Java SDK engine, trusting a {@link LocalIssuer}
 * (JWT by default, no Keycloak), on a free loopback port, with test tools that count their runs, and raw HTTP
 * requests that show what goes over the wire.
 *
 * <p>Tools: {@code echo} (any caller), {@code erase} ({@code mcp:admin}; asks to confirm first when the client can
 * answer), and whatever {@link Builder#tool} adds. Configuration: the issuer ({@code mcp.auth.issuers.0}, mode
 * {@code jwt}), the scope hierarchy {@code mcp:admin > mcp:write > mcp:read}, and {@link Builder#set} on top.
 * Two clients: {@link #post}/{@link #modern} (the JDK's, JSON in and out) and {@link #mcp} (OkHttp, for what the JDK's
 * client will not send: a {@code Host} header, two {@code Authorization} headers, bytes that are not JSON).
 */
final class SdkTestServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    final LocalIssuer issuer;
    final String url;
    final String baseUrl;
    final int port;
    /** The feature as built: its verifier and session counts. */
    final BearerAuthFeature auth;
    /** Raw MCP requests over OkHttp: no retries, no redirects followed. */
    final McpHttp mcp;
    /** The engine as built: the legacy sessions the MCP SDK holds. */
    final SdkEngine engine;
    private final Map<String, AtomicInteger> runs;
    private final AtomicInteger erased;
    private final WebServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private final boolean ownsIssuer;

    private SdkTestServer(Builder builder, LocalIssuer issuer, int port, BearerAuthFeature auth, SdkEngine engine,
                          WebServer server) {
        this.issuer = issuer;
        this.ownsIssuer = builder.issuer == null;
        this.port = port;
        this.baseUrl = "http://127.0.0.1:" + port;
        this.url = auth.resource().toString();
        this.auth = auth;
        this.engine = engine;
        this.server = server;
        this.runs = builder.runs;
        this.mcp = new McpHttp(url, new OkHttpClient.Builder()
                .callTimeout(Duration.ofSeconds(30))
                .readTimeout(Duration.ofSeconds(5))
                .retryOnConnectionFailure(false)
                .followRedirects(false)
                .build());
        this.erased = builder.erased;
    }

    static Builder builder() {
        return new Builder();
    }

    /** A server whose engine is built from {@code engine} (keys, clock) and feature from {@code feature}. */
    static SdkTestServer start(UnaryOperator<SdkEngine.Builder> engine,
                               UnaryOperator<BearerAuthFeature.Builder> feature) {
        return builder().engine(engine).feature(feature).start();
    }

    /** As above, on {@code port}, trusting {@code issuer}, which the server does not close: for restarts. */
    static SdkTestServer start(LocalIssuer issuer, int port, UnaryOperator<SdkEngine.Builder> engine,
                               UnaryOperator<BearerAuthFeature.Builder> feature) {
        return builder().issuer(issuer).port(port).engine(engine).feature(feature).start();
    }

    /** Builds and starts a {@link SdkTestServer}; every setting is optional. */
    static final class Builder {
        private LocalIssuer issuer;
        private int port;
        private UnaryOperator<SdkEngine.Builder> engine = UnaryOperator.identity();
        private UnaryOperator<BearerAuthFeature.Builder> feature = UnaryOperator.identity();
        private final Map<String, String> config = new LinkedHashMap<>();
        private final Map<String, ToolRequirement> tools = new LinkedHashMap<>();
        private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        private final AtomicInteger erased = new AtomicInteger();

        private Builder() {
        }

        /** Trust {@code value} (the server does not close it); default: an issuer of its own. */
        Builder issuer(LocalIssuer value) {
            this.issuer = value;
            return this;
        }

        /** Listen on {@code value}; default: a free port. */
        Builder port(int value) {
            this.port = value;
            return this;
        }

        /** Configuration ({@code mcp.*}, {@code server.*}) on top of the fixture's, read by the library. */
        Builder set(String key, String value) {
            config.put(key, value);
            return this;
        }

        Builder set(Map<String, String> values) {
            config.putAll(values);
            return this;
        }

        /** One more counted tool beside {@code echo} and {@code erase}: it answers {@code "<name> ran"}. */
        Builder tool(String name, ToolRequirement requirement) {
            tools.put(name, requirement);
            return this;
        }

        /** What the test sets on the engine's builder beyond the tools (keys, clock). */
        Builder engine(UnaryOperator<SdkEngine.Builder> value) {
            this.engine = value;
            return this;
        }

        /** What the test sets on the feature's builder beyond configuration (listeners, clocks, a verifier). */
        Builder feature(UnaryOperator<BearerAuthFeature.Builder> value) {
            this.feature = value;
            return this;
        }

        SdkTestServer start() {
            LocalIssuer trusted = issuer != null ? issuer : LocalIssuer.start();
            try {
                int listen = port != 0 ? port : FreePort.find();
                Map<String, String> values = new LinkedHashMap<>();
                values.put("server.host", "127.0.0.1");
                values.put("server.port", Integer.toString(listen));
                // without it every answer stalls ~40 ms (Nagle + delayed ACK), as in the demo's application.yaml
                values.put("server.connection-options.tcp-no-delay", "true");
                values.put("mcp.auth.issuers.0.url", trusted.issuer());
                values.put("mcp.auth.issuers.0.mode", "jwt");
                values.put("mcp.auth.scope-hierarchy.0", "mcp:write > mcp:read");
                values.put("mcp.auth.scope-hierarchy.1", "mcp:admin > mcp:write");
                values.putAll(config);
                Config root = Config.builder().disableEnvironmentVariablesSource().disableSystemPropertiesSource()
                        .sources(ConfigSources.create(values)).build();
                SdkEngine.Builder engineBuilder = SdkEngine.builder().serverInfo("kit-test", "1")
                        .addTool(new Tool("echo", ToolRequirement.anyAuthenticated(), runs, (context, request) ->
                                text("echo " + request.arguments())))
                        .addTool(new Tool("erase", ToolRequirement.scopes("mcp:admin"), runs, (context, request) ->
                                confirmThenErase(request, erased)));
                tools.forEach((name, requirement) -> engineBuilder.addTool(new Tool(name, requirement, runs,
                        (context, request) -> text(name + " ran"))));
                SdkEngine built = engine.apply(engineBuilder).build();
                BearerAuthFeature auth = feature.apply(BearerAuthFeature.builder().config(root).engine(built))
                        .build();
                WebServer server = WebServer.builder().config(root.get("server")).host("127.0.0.1").port(listen)
                        .addFeature(auth).build().start();
                return new SdkTestServer(this, trusted, listen, auth, built, server);
            } catch (RuntimeException e) {
                if (issuer == null) {
                    trusted.close();
                }
                throw e;
            }
        }
    }

    /** How often {@code erase} ran to its end (erased something). */
    int erasures() {
        return erased.get();
    }

    /** How often {@code tool}'s handler was entered (a call the gate let through), however it ended. */
    int runs(String tool) {
        AtomicInteger count = runs.get(tool);
        return count == null ? 0 : count.get();
    }

    /** The verifier the feature built from configuration (or the one the test gave). */
    TokenVerifier verifier() {
        return auth.verifier().orElseThrow();
    }

    /** The session registry's counts. */
    SessionStats sessions() {
        return auth.sessionStats();
    }

    /** Legacy sessions the MCP SDK engine holds: the registry's count when none leaked. */
    int engineSessions() {
        return engine.legacySessionCount();
    }

    /** Where clients find the protected resource metadata. */
    String metadataUrl() {
        return auth.resourceMetadataUrl();
    }

    /** A token of {@code subject} with {@code scope}, valid for {@code lifetime}. */
    String token(String subject, String scope, Duration lifetime) {
        Map<String, Object> claims = claims(subject, scope);
        claims.put("exp", Instant.now().plus(lifetime).getEpochSecond());
        return issuer.sign(claims);
    }

    String token(String subject, String scope) {
        return token(subject, scope, Duration.ofMinutes(10));
    }

    /** The claims of a valid token of {@code subject} with {@code scope}, to change before {@code issuer.sign}. */
    Map<String, Object> claims(String subject, String scope) {
        Map<String, Object> claims = issuer.claims(url, scope);
        claims.put("sub", subject);
        return claims;
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
        mcp.http.dispatcher().executorService().shutdown();
        mcp.http.connectionPool().evictAll();
        if (ownsIssuer) {
            issuer.close();
        }
    }

    // ---- test tools ----

    private record Tool(String name, ToolRequirement requirement, Map<String, AtomicInteger> runs, Handler handler)
            implements SdkTool {
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
            runs.computeIfAbsent(name, key -> new AtomicInteger()).incrementAndGet();
            return handler.call(context, request);
        }
    }

    /** Asks to confirm (state {@code erase}), then erases when confirmed. */
    private static McpSyncResponse<McpSchema.CallToolOutcome> confirmThenErase(McpSchema.CallToolRequest request,
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

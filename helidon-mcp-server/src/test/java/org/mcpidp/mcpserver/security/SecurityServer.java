package org.mcpidp.mcpserver.security;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.webserver.WebServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.mcpidp.mcpserver.Main;
import org.mcpidp.mcpserver.ServerConfig;
import org.mcpidp.mcpserver.tools.ProductStore;
import org.mcpidp.testkit.FreePort;
import org.mcpidp.verifier.TokenVerifier;

/**
 * The real server ({@link Main#server}, the real application.yaml) on a free loopback port with test overrides, and
 * a raw HTTP client for it: the security tests see exactly what goes over the wire.
 */
final class SecurityServer implements AutoCloseable {

    static final MediaType JSON = MediaType.get("application/json");
    static final String INITIALIZE = """
            {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},\
            "clientInfo":{"name":"security-test","version":"1"}}}""";

    final String baseUrl;
    final String mcpUrl;
    final TokenVerifier verifier;
    final OkHttpClient http;
    private final WebServer server;

    private SecurityServer(int port, TokenVerifier verifier, WebServer server) {
        this.baseUrl = "http://127.0.0.1:" + port;
        this.mcpUrl = baseUrl + "/mcp";
        this.verifier = verifier;
        this.server = server;
        this.http = new OkHttpClient.Builder()
                .callTimeout(Duration.ofSeconds(30))
                .readTimeout(Duration.ofSeconds(5))
                .retryOnConnectionFailure(false)
                .followRedirects(false)
                .build();
    }

    /** The MCP resource URL a server on {@code port} has: the audience its tokens need. */
    static String resource(int port) {
        return "http://127.0.0.1:" + port + "/mcp";
    }

    /** Starts the server on {@code port} with {@code overrides} on top of application.yaml (no env, no sysprops). */
    static SecurityServer start(int port, Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>();
        values.put("server.port", Integer.toString(port));
        values.putAll(overrides);
        Config config = Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(ConfigSources.create(values), ConfigSources.classpath("application.yaml"))
                .build();
        ServerConfig settings = ServerConfig.from(config, Map.of());
        TokenVerifier verifier = settings.newTokenVerifier();
        WebServer server = Main.server(config, settings, verifier, ProductStore.withSamples()).build().start();
        return new SecurityServer(port, verifier, server);
    }

    /** A JWT-mode server trusting {@code issuer} (with its metadata at the issuer's well-known URL). */
    static SecurityServer jwt(String issuer, Map<String, String> more) {
        int port = FreePort.find();
        Map<String, String> values = new HashMap<>(Map.of(
                "mcp.auth.issuers.0.url", issuer,
                "mcp.auth.issuers.0.mode", "jwt"));
        values.putAll(more);
        return start(port, values);
    }

    /** A POST of {@code body} to the MCP endpoint with the usual MCP headers and {@code Authorization: Bearer token}. */
    Request.Builder post(String token, String body) {
        Request.Builder request = new Request.Builder()
                .url(mcpUrl)
                .header("Accept", "application/json, text/event-stream")
                .post(RequestBody.create(body, JSON));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request;
    }

    Reply send(Request request) {
        try (Response response = http.newCall(request).execute()) {
            return new Reply(response.code(), response.body().string(), response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An exchange as seen by the client. */
    record Reply(int status, String body, okhttp3.Headers headers) {
        String header(String name) {
            return headers.get(name);
        }

        /** The {@code error} parameter of the challenge, or null when there is no {@code error} (or no challenge). */
        String challengeError() {
            String challenge = header("WWW-Authenticate");
            if (challenge == null) {
                return null;
            }
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("error=\"([^\"]*)\"").matcher(challenge);
            return m.find() ? m.group(1) : null;
        }
    }

    @Override
    public void close() {
        server.stop();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}

package org.mcpidp.mcpserver.security;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.mcpidp.testkit.FreePort;
import org.mcpidp.verifier.TokenVerifier;
import org.mcpidp.testkit.McpHttp;
import org.mcpidp.mcpserver.ServerUnderTest;

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
    private final McpHttp mcp;
    private final ServerUnderTest server;

    private SecurityServer(ServerUnderTest server) {
        this.baseUrl = server.baseUrl;
        this.mcpUrl = baseUrl + "/mcp";
        this.verifier = server.verifier;
        this.server = server;
        this.http = new OkHttpClient.Builder()
                .callTimeout(Duration.ofSeconds(30))
                .readTimeout(Duration.ofSeconds(5))
                .retryOnConnectionFailure(false)
                .followRedirects(false)
                .build();
        this.mcp = new McpHttp(mcpUrl, http);
    }

    /** The MCP resource URL a server on {@code port} has: the audience its tokens need. */
    static String resource(int port) {
        return "http://127.0.0.1:" + port + "/mcp";
    }

    /** Starts the server on {@code port} with {@code overrides} on top of application.yaml (no env, no sysprops). */
    static SecurityServer start(int port, Map<String, String> overrides) {
        return new SecurityServer(ServerUnderTest.start(port, overrides));
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
        return mcp.post(token, Optional.empty(), body);
    }

    Reply send(Request request) {
        McpHttp.Reply reply = mcp.send(request);
        return new Reply(reply.status(), reply.body(), reply.headers());
    }

    /**
     * An exchange as seen by the client, with the challenge parsed. (Kept as its own type until the secret-leak
     * test, which names it, moves to the shared {@link McpHttp.Reply}.)
     */
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

    /** Sessions open in the server's registry now. */
    int sessionsOpen() {
        return server.sessions().open();
    }

    @Override
    public void close() {
        server.close();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}

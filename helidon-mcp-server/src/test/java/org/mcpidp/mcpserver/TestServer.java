package org.mcpidp.mcpserver;

import java.util.HashMap;
import java.util.Map;
import org.mcpidp.testkit.FreePort;
import org.mcpidp.verifier.TokenVerifier;

/**
 * The real server (same {@link Main#server} as production, same application.yaml) on a free loopback port, with
 * test overrides on top of the YAML and no environment variables (CI's environment must not change a test).
 */
final class TestServer implements AutoCloseable {

    final int port;
    final String baseUrl;
    final String resource;
    final ServerConfig settings;
    final TokenVerifier verifier;
    private final ServerUnderTest server;

    private TestServer(ServerUnderTest server) {
        this.port = server.port;
        this.baseUrl = server.baseUrl;
        this.resource = server.mcpUrl;
        this.settings = server.settings;
        this.verifier = server.verifier;
        this.server = server;
    }

    static int freePort() {
        return FreePort.find();
    }

    /** Starts the server on {@code port} trusting {@code realm} by introspection, plus {@code overrides}. */
    static TestServer start(int port, DemoRealm realm, Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>();
        values.put("mcp.auth.issuers.0.url", realm.realm.issuer());
        values.put("mcp.auth.issuers.0.mode", "introspection");
        values.put("mcp.auth.issuers.0.client-id", DemoRealm.SERVER_CLIENT);
        values.put("mcp.auth.issuers.0.client-secret", realm.serverSecret);
        values.putAll(overrides);
        return new TestServer(ServerUnderTest.start(port, values));
    }

    String prmUrl() {
        return baseUrl + "/.well-known/oauth-protected-resource/mcp";
    }

    @Override
    public void close() {
        server.close();
    }
}

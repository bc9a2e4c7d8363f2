package org.mcpidp.mcpserver;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.webserver.WebServer;
import java.util.HashMap;
import java.util.Map;
import org.mcpidp.mcpserver.tools.ProductStore;
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
    private final WebServer server;

    private TestServer(int port, ServerConfig settings, TokenVerifier verifier, WebServer server) {
        this.port = port;
        this.baseUrl = "http://127.0.0.1:" + port;
        this.resource = settings.resource().toString();
        this.settings = settings;
        this.verifier = verifier;
        this.server = server;
    }

    static int freePort() {
        return FreePort.find();
    }

    /** Starts the server on {@code port} trusting {@code realm} by introspection, plus {@code overrides}. */
    static TestServer start(int port, DemoRealm realm, Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>();
        values.put("server.port", Integer.toString(port));
        values.put("mcp.auth.issuers.0.url", realm.realm.issuer());
        values.put("mcp.auth.issuers.0.mode", "introspection");
        values.put("mcp.auth.issuers.0.client-id", DemoRealm.SERVER_CLIENT);
        values.put("mcp.auth.issuers.0.client-secret", realm.serverSecret);
        values.putAll(overrides);
        Config config = Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(ConfigSources.create(values), ConfigSources.classpath("application.yaml"))
                .build();
        ServerConfig settings = ServerConfig.from(config, Map.of());
        TokenVerifier verifier = settings.newTokenVerifier();
        WebServer server = Main.server(config, settings, verifier, ProductStore.withSamples()).build().start();
        return new TestServer(port, settings, verifier, server);
    }

    String prmUrl() {
        return baseUrl + "/.well-known/oauth-protected-resource/mcp";
    }

    @Override
    public void close() {
        server.stop();
    }
}

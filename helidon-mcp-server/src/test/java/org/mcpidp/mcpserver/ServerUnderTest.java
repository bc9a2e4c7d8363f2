package org.mcpidp.mcpserver;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.webserver.WebServer;
import java.util.HashMap;
import java.util.Map;
import org.mcpidp.mcpserver.tools.ProductStore;
import org.mcpidp.verifier.TokenVerifier;

/**
 * The one way the module's tests start the real server: {@link Main#parts} (as production) with the packaged
 * application.yaml and test overrides on top, on a loopback port. No environment variables or system properties are
 * read: CI's environment must not change a test. The named fixtures ({@link TestServer}, {@link LocalIdpServer},
 * the security and people servers) add only what their tests need on top of this.
 */
public final class ServerUnderTest implements AutoCloseable {

    public final int port;
    public final String baseUrl;
    public final String mcpUrl;
    public final ServerConfig settings;
    public final TokenVerifier verifier;
    final Main.Parts parts;
    private final WebServer server;

    private ServerUnderTest(int port, ServerConfig settings, TokenVerifier verifier, Main.Parts parts,
                            WebServer server) {
        this.port = port;
        this.baseUrl = "http://127.0.0.1:" + port;
        this.mcpUrl = parts.auth().resource().toString();
        this.settings = settings;
        this.verifier = verifier;
        this.parts = parts;
        this.server = server;
    }

    /** {@code overrides} on top of application.yaml, nothing else. */
    public static Config config(Map<String, String> overrides) {
        return Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(ConfigSources.create(overrides), ConfigSources.classpath("application.yaml"))
                .build();
    }

    /** Starts the server on {@code port} with {@code overrides} (which must name the issuers). */
    public static ServerUnderTest start(int port, Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>(overrides);
        values.put("server.port", Integer.toString(port));
        Config config = config(values);
        ServerConfig settings = ServerConfig.from(config);
        Main.Parts parts = Main.parts(config, settings, ProductStore.withSamples());
        WebServer server = parts.server().build().start();
        return new ServerUnderTest(port, settings, parts.auth().verifier().orElseThrow(), parts, server);
    }

    @Override
    public void close() {
        server.stop();
    }
}

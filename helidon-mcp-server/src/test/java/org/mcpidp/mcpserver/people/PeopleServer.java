package org.mcpidp.mcpserver.people;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.webserver.WebServer;
import java.util.HashMap;
import java.util.Map;
import org.mcpidp.mcpserver.Main;
import org.mcpidp.mcpserver.ServerConfig;
import org.mcpidp.mcpserver.tools.ProductStore;

/**
 * The real MCP server (Main.server, the packaged application.yaml) on a loopback port, trusting the demo tenant by
 * introspection with the mcp-server client's secret, and allowing browser calls from one origin. No environment
 * variables or system properties are read: CI's environment must not change the test.
 */
final class PeopleServer implements AutoCloseable {

    final String mcpUrl;
    private final WebServer server;

    private PeopleServer(String mcpUrl, WebServer server) {
        this.mcpUrl = mcpUrl;
        this.server = server;
    }

    static PeopleServer start(int port, DemoTenant tenant, String allowedOrigin) {
        Map<String, String> values = new HashMap<>();
        values.put("server.port", Integer.toString(port));
        values.put("mcp.auth.issuers.0.url", tenant.issuer);
        values.put("mcp.auth.issuers.0.mode", "introspection");
        values.put("mcp.auth.issuers.0.client-id", DemoTenant.SERVER_CLIENT);
        values.put("mcp.auth.issuers.0.client-secret", tenant.serverSecret);
        values.put("mcp.allowed-origins.0", allowedOrigin);
        Config config = Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(ConfigSources.create(values), ConfigSources.classpath("application.yaml"))
                .build();
        ServerConfig settings = ServerConfig.from(config, Map.of());
        WebServer server = Main.server(config, settings, settings.newTokenVerifier(), ProductStore.withSamples())
                .build().start();
        return new PeopleServer(settings.resource().toString(), server);
    }

    @Override
    public void close() {
        server.stop();
    }
}

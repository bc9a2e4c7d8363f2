package org.mcpidp.conformance;

import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.modelcontextprotocol.modern.server.feature.McpChangeFeed;
import java.lang.System.Logger.Level;
import org.mcpidp.mcpauth.BearerAuthFeature;
import org.mcpidp.mcpauth.SdkEngine;

/**
 * The fixture server of the official MCP conformance suite, built on the kit like any server: the MCP Java SDK engine
 * with the tools, prompts and resources the suite's scenarios call, behind the kit's stages (configured from
 * {@code mcp.*} like the demo server: the issuers are required). Both protocol eras on one endpoint.
 */
public final class ConformanceServer {

    private static final System.Logger LOGGER = System.getLogger(ConformanceServer.class.getName());

    private ConformanceServer() {
    }

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        Config config = Config.create();
        WebServerConfig.Builder server;
        try {
            server = server(config);
        } catch (IllegalStateException | IllegalArgumentException e) {
            System.err.println("conformance-server: " + e.getMessage());
            System.exit(2);
            return;
        }
        WebServer started = server.build().start();
        LOGGER.log(Level.INFO, "MCP conformance fixture on http://" + config.get("server.host").asString()
                .orElse("127.0.0.1") + ":" + started.port() + "/mcp");
    }

    /** The whole server from configuration ({@code server.*}, {@code mcp.*}). */
    public static WebServerConfig.Builder server(Config config) {
        McpChangeFeed changes = new McpChangeFeed();
        SdkEngine.Builder engine = SdkEngine.builder().config(config)
                .serverInfo("mcp-idp-kit-conformance-fixture", "1.0.0")
                .changes(changes);
        FixtureTools.all(changes).forEach(engine::addTool);
        FixturePrompts.prompts().forEach(engine::addPrompt);
        FixturePrompts.resources().forEach(engine::addResource);
        BearerAuthFeature auth = BearerAuthFeature.builder().config(config).engine(engine.build()).build();
        return WebServer.builder().config(config.get("server")).addFeature(auth);
    }
}

package com.example.mcp;

import io.helidon.config.Config;
import io.helidon.extensions.mcp.server.McpServerConfig;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import org.mcpidp.mcpauth.BearerAuthFeature;

/** A server on the Helidon MCP extension, protected as an OAuth 2.1 resource server: its tools move to the feature. */
public final class ExtensionOrdersServer {

    public static void main(String[] args) {
        Config config = Config.create(); // application.yaml, environment variables, system properties
        WebServerConfig.Builder server;
        try {
            server = server(config);
        } catch (IllegalStateException | IllegalArgumentException e) {
            System.err.println(e.getMessage()); // names the key, e.g. "configuration mcp.auth.issuers ..."
            System.exit(2);
            return;
        }
        server.build().start();
    }

    static WebServerConfig.Builder server(Config config) {
        BearerAuthFeature auth = BearerAuthFeature.builder()
                .config(config) // mcp.*: issuers, resource, audiences, sessions, allowed origins, ...
                .mcpServer(McpServerConfig.builder().name("orders").version("1.0.0"))
                .addTool(new OrderStatusTool()) // instead of McpServerConfig.addTool: now guarded
                .build();
        return WebServer.builder()
                .config(config.get("server"))
                .addFeature(auth)
                .routing(routing -> routing.addFeature(auth.mcpServerFeature()));
    }
}

package com.example.mcp;

import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.modelcontextprotocol.modern.McpSchema;
import io.modelcontextprotocol.modern.server.McpSyncResponse;
import java.util.List;
import java.util.Map;
import org.mcpidp.mcpauth.BearerAuthFeature;
import org.mcpidp.mcpauth.SdkEngine;
import org.mcpidp.mcpauth.SdkTool;
import org.mcpidp.mcpauth.ToolRequirement;
import org.mcpidp.verifier.AuthInfo;

/** An MCP server (MCP Java SDK, both protocol eras on /mcp) protected as an OAuth 2.1 resource server. */
public final class OrdersServer {

    public static void main(String[] args) {
        WebServerConfig.Builder server;
        try {
            server = server(Config.create()); // application.yaml, environment variables, system properties
        } catch (IllegalStateException | IllegalArgumentException e) {
            System.err.println(e.getMessage()); // names the key, e.g. "configuration mcp.auth.issuers ..."
            System.exit(2);
            return;
        }
        server.build().start();
    }

    static WebServerConfig.Builder server(Config config) {
        SdkEngine engine = SdkEngine.builder()
                .config(config) // mcp.request-state.*, mcp.list-ttl, mcp.legacy-era
                .serverInfo("orders", "1.0.0")
                .addTool(orderStatus())
                .build();
        BearerAuthFeature auth = BearerAuthFeature.builder()
                .config(config) // mcp.*: issuers, resource, audiences, sessions, allowed origins, ...
                .engine(engine)
                .build();
        return WebServer.builder().config(config.get("server")).addFeature(auth);
    }

    /** A tool, written against the SDK, and what calling it needs: scope orders:read, or the role support. */
    static SdkTool orderStatus() {
        McpSchema.Tool definition = McpSchema.Tool.builder("order_status", Map.of("type", "object",
                        "properties", Map.of("id", Map.of("type", "string")), "required", List.of("id")))
                .description("Shows the status of one order.")
                .build();
        return SdkTool.of(definition, ToolRequirement.scopes("orders:read").orAnyRole("support"), (context, call) -> {
            AuthInfo caller = SdkTool.caller(context); // the verified token: subject, scopes, roles, claims
            String text = "order " + call.arguments().get("id") + " is shipped (asked by " + caller.subject() + ")";
            return McpSyncResponse.result(McpSchema.CallToolResult.builder()
                    .addContent(McpSchema.TextContent.builder(text).build())
                    .build());
        });
    }
}

package com.example.mcp;

import io.modelcontextprotocol.modern.McpException;
import io.modelcontextprotocol.modern.McpSchema;
import io.modelcontextprotocol.modern.server.McpSyncResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.mcpidp.downstream.DownstreamCalls;
import org.mcpidp.downstream.DownstreamException;
import org.mcpidp.downstream.DownstreamTarget;
import org.mcpidp.downstream.DownstreamTokens;
import org.mcpidp.downstream.KeycloakTokenExchange;
import org.mcpidp.mcpauth.SdkTool;
import org.mcpidp.mcpauth.ToolRequirement;

/** A tool that calls the company's orders API as its caller, with a token exchanged for that API. */
public final class OrderHistoryTool {

    /** The API as the tenant spec names it: its client id is the audience, orders:read the scope. */
    static final DownstreamTarget ORDERS_API = new DownstreamTarget("orders-api", Set.of("orders:read"));

    static SdkTool create(String issuer, String serverSecret, String ordersUrl) {
        OkHttpClient http = new OkHttpClient(); // one client (and pool) for the exchanges and the API calls
        DownstreamTokens tokens = DownstreamTokens.builder()
                .exchanger(KeycloakTokenExchange.builder() // RFC 8693, only for callers of this issuer
                        .issuer(issuer)
                        .clientId("mcp-server").clientSecret(serverSecret) // the MCP server's own client
                        .httpClient(http)
                        .build())
                .build(); // cached until the earlier of both tokens' exp
        DownstreamCalls calls = DownstreamCalls.create(tokens, http);
        McpSchema.Tool definition = McpSchema.Tool.builder("order_history", Map.of("type", "object",
                "properties", Map.of())).description("Lists the caller's orders.").build();
        return SdkTool.of(definition, ToolRequirement.scopes("mcp:read"), (context, call) -> {
            Request request = new Request.Builder().url(ordersUrl).build(); // no Authorization: send adds it
            try (Response answer = calls.send(SdkTool.caller(context), ORDERS_API, request)) {
                return McpSyncResponse.result(McpSchema.CallToolResult.builder()
                        .addContent(McpSchema.TextContent.builder(answer.body().string()).build())
                        .build());
            } catch (DownstreamException e) { // NOT_IN_AUDIENCE, SCOPE_NOT_ALLOWED, UNAVAILABLE, ...
                throw new McpException(McpSchema.ErrorCodes.INTERNAL_ERROR, e.getMessage());
            } catch (IOException e) {
                throw new McpException(McpSchema.ErrorCodes.INTERNAL_ERROR, "the orders API is unavailable");
            }
        });
    }
}

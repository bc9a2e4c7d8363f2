package org.mcpidp.mcpserver.tools;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.extensions.mcp.server.McpException;
import io.helidon.extensions.mcp.server.McpToolRequest;
import io.helidon.extensions.mcp.server.McpToolResult;
import java.io.IOException;
import java.util.Objects;
import java.util.Set;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;
import org.mcpidp.downstream.DownstreamCalls;
import org.mcpidp.downstream.DownstreamTarget;
import org.mcpidp.mcpserver.auth.GuardedTool;
import org.mcpidp.mcpserver.auth.ToolRequirement;

/**
 * {@code list_orders}: the caller's orders from the company's orders API, called AS the caller with a token exchanged
 * for that API (audience {@code orders-api}, scope {@code orders:read}); the caller's MCP token never leaves this
 * server. A failed exchange ({@code DownstreamException}) travels to the auth library's error mapping; an orders API
 * that cannot be reached is a JSON-RPC error that says so, and the next call tries again.
 */
public final class ListOrdersTool implements GuardedTool {

    /** The orders API as the tenant spec names it: its client id is the audience, orders:read the scope. */
    public static final DownstreamTarget ORDERS = new DownstreamTarget("orders-api", Set.of("orders:read"));

    private final DownstreamCalls downstream;
    private final HttpUrl orders;

    /** @param ordersApi the orders API's base URL ({@code mcp.downstream.orders-api.url}) */
    public ListOrdersTool(DownstreamCalls downstream, HttpUrl ordersApi) {
        this.downstream = Objects.requireNonNull(downstream);
        this.orders = ordersApi.newBuilder().addPathSegment("orders").build();
    }

    @Override
    public ToolRequirement requirement() {
        return ToolRequirement.scopes("mcp:read").orAnyRole("reader");
    }

    @Override
    public String name() {
        return "list_orders";
    }

    @Override
    public String description() {
        return "Lists the caller's orders from the orders API (called as the caller, with a token made for that API).";
    }

    @Override
    public String schema() {
        return """
                {"type": "object", "properties": {}}""";
    }

    @Override
    public McpToolResult tool(McpToolRequest request) {
        try (Response answer = downstream.send(GuardedTool.caller(request), ORDERS, new Request.Builder().url(orders).build())) {
            if (answer.code() >= 500) {
                throw new McpException("the orders API is unavailable (HTTP " + answer.code() + "); try again later");
            }
            if (!answer.isSuccessful()) {
                return ToolJson.error("the orders API refused the call: HTTP " + answer.code());
            }
            JsonNode orders = ToolJson.JSON.readTree(answer.body().byteStream());
            return ToolJson.result(orders);
        } catch (IOException e) {
            // OkHttp's message names host and port, never a header
            throw new McpException("the orders API is unavailable (" + orders.host() + ":" + orders.port() + ": "
                    + e.getClass().getSimpleName() + "); try again later");
        }
    }
}

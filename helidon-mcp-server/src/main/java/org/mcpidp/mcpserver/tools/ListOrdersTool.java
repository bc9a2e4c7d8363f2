package org.mcpidp.mcpserver.tools;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelcontextprotocol.modern.McpException;
import io.modelcontextprotocol.modern.McpSchema;
import io.modelcontextprotocol.modern.server.McpRequestContext;
import io.modelcontextprotocol.modern.server.McpSyncResponse;
import java.io.IOException;
import java.util.Objects;
import java.util.Set;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;
import org.mcpidp.downstream.DownstreamCalls;
import org.mcpidp.downstream.DownstreamException;
import org.mcpidp.downstream.DownstreamTarget;
import org.mcpidp.mcpauth.SdkTool;
import org.mcpidp.mcpauth.ToolRequirement;

/**
 * {@code list_orders}: the caller's orders from the company's orders API, called AS the caller with a token exchanged
 * for that API (audience {@code orders-api}, scope {@code orders:read}); the caller's MCP token never leaves this
 * server. A failed exchange becomes an answer the client understands ({@link DownstreamFailures}); an orders API that cannot
 * be reached is a JSON-RPC error that says so, and the next call tries again.
 */
public final class ListOrdersTool implements SdkTool {

    /** The orders API as the tenant spec names it: its client id is the audience, orders:read the scope. */
    public static final DownstreamTarget ORDERS = new DownstreamTarget("orders-api", Set.of("orders:read"));

    private static final McpSchema.Tool DEFINITION = McpSchema.Tool.builder("list_orders", ToolJson.NO_ARGUMENTS)
            .description("Lists the caller's orders from the orders API (called as the caller, with a token made "
                    + "for that API).")
            .build();

    private final DownstreamCalls downstream;
    private final HttpUrl orders;

    /** @param ordersApi the orders API's base URL ({@code mcp.downstream.orders-api.url}) */
    public ListOrdersTool(DownstreamCalls downstream, HttpUrl ordersApi) {
        this.downstream = Objects.requireNonNull(downstream);
        this.orders = ordersApi.newBuilder().addPathSegment("orders").build();
    }

    @Override
    public McpSchema.Tool definition() {
        return DEFINITION;
    }

    @Override
    public ToolRequirement requirement() {
        return ToolRequirement.scopes("mcp:read").orAnyRole("reader");
    }

    @Override
    public McpSyncResponse<McpSchema.CallToolOutcome> call(McpRequestContext context,
                                                           McpSchema.CallToolRequest request) {
        try (Response answer = downstream.send(SdkTool.caller(context), ORDERS,
                new Request.Builder().url(orders).build())) {
            if (answer.code() >= 500) {
                throw new McpException(McpSchema.ErrorCodes.INTERNAL_ERROR, "the orders API is unavailable (HTTP "
                        + answer.code() + "); try again later");
            }
            if (!answer.isSuccessful()) {
                return ToolJson.error("the orders API refused the call: HTTP " + answer.code());
            }
            JsonNode list = ToolJson.JSON.readTree(answer.body().byteStream());
            return ToolJson.result(list);
        } catch (DownstreamException e) {
            throw DownstreamFailures.toolError(context, e);
        } catch (IOException e) {
            // OkHttp's message names host and port, never a header
            throw new McpException(McpSchema.ErrorCodes.INTERNAL_ERROR, "the orders API is unavailable ("
                    + orders.host() + ":" + orders.port() + ": " + e.getClass().getSimpleName() + "); try again later");
        }
    }
}

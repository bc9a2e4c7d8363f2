package org.mcpidp.mcpauth;

import io.modelcontextprotocol.modern.McpException;
import io.modelcontextprotocol.modern.McpSchema;
import io.modelcontextprotocol.modern.server.McpRequestContext;
import io.modelcontextprotocol.modern.server.feature.McpSyncTool;
import org.mcpidp.verifier.AuthInfo;

/**
 * An MCP tool served by the {@link SdkEngine}: written once, against the MCP Java SDK's 2026-07-28 API (its
 * definition and a {@link McpSyncTool.Handler}), with what a caller needs to call it declared next to it. The engine
 * serves it to clients of both protocol eras: 2026-07-28 directly, 2025-11-25 and 2025-06-18 through the SDK's legacy
 * server (an {@code InputRequiredResult} becomes server-to-client requests in a legacy session).
 *
 * <p>The requirement is enforced three times, each independent of the others: the JSON-RPC gate refuses a call with
 * 403 before any tool code runs, the tool lists leave the tool out for a caller who may not call it, and the engine
 * checks it again against the caller handed to the tool ({@link #caller}) right before the handler runs.
 */
public interface SdkTool extends McpSyncTool.Handler {

    /** The tool as clients list it: name, description, input schema (and title, annotations, output schema). */
    McpSchema.Tool definition();

    /** What calling this tool needs; never null ({@link ToolRequirement#anyAuthenticated()} for any caller). */
    ToolRequirement requirement();

    /**
     * Client capabilities the tool cannot work without (a client that lacks them gets -32021), or null for none.
     * A tool that only prefers a capability (asks for a confirmation when it can) checks
     * {@code context.clientCapabilities()} itself instead.
     */
    default McpSchema.ClientCapabilities requiredCapabilities() {
        return null;
    }

    /**
     * A tool from its three parts, for a tool whose handler is a lambda:
     * <pre>{@code
     * SdkTool listProducts = SdkTool.of(McpSchema.Tool.builder("list_products", NO_ARGUMENTS).build(),
     *         ToolRequirement.scopes("mcp:read"), (context, request) -> result(store.list()));
     * }</pre>
     */
    static SdkTool of(McpSchema.Tool definition, ToolRequirement requirement, McpSyncTool.Handler handler) {
        return new Simple(definition, requirement, handler);
    }

    /** What {@link #of} makes. */
    record Simple(McpSchema.Tool definition, ToolRequirement requirement, McpSyncTool.Handler handler)
            implements SdkTool {

        public Simple {
            java.util.Objects.requireNonNull(definition, "definition");
            java.util.Objects.requireNonNull(requirement, "requirement");
            java.util.Objects.requireNonNull(handler, "handler");
        }

        @Override
        public io.modelcontextprotocol.modern.server.McpSyncResponse<McpSchema.CallToolOutcome> call(
                McpRequestContext context, McpSchema.CallToolRequest request) {
            return handler.call(context, request);
        }
    }

    /**
     * The verified caller of the request being handled. Its absence means the request reached the engine without the
     * kit's stages: a wiring error, refused here with a JSON-RPC error, never answered with data.
     */
    static AuthInfo caller(McpRequestContext context) {
        return CallerContext.caller(context.transportContext())
                .orElseThrow(() -> new McpException(McpSchema.ErrorCodes.INTERNAL_ERROR, "no authenticated caller"));
    }
}

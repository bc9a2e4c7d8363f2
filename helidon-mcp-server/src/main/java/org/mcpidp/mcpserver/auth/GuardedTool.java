package org.mcpidp.mcpserver.tools;

import io.helidon.extensions.mcp.server.McpException;
import io.helidon.extensions.mcp.server.McpRequest;
import io.helidon.extensions.mcp.server.McpTool;
import org.mcpidp.mcpserver.auth.ToolRequirement;
import org.mcpidp.verifier.AuthInfo;

/**
 * An MCP tool that declares, next to its definition, what a caller needs to call it. The bearer filter enforces the
 * requirement before the tool runs (a tool cannot answer HTTP 403 itself) and hides the tool from callers who may
 * not call it.
 */
public interface GuardedTool extends McpTool {

    /** What calling this tool needs. */
    ToolRequirement requirement();

    /**
     * The verified caller, put into the request context by the bearer filter. Its absence means the tool was reached
     * without the filter: a wiring error, never answered with data.
     */
    static AuthInfo caller(McpRequest request) {
        return request.requestContext().get(AuthInfo.class)
                .orElseThrow(() -> new McpException("no authenticated caller"));
    }
}

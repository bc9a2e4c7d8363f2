package org.mcpidp.mcpauth;

import io.helidon.extensions.mcp.server.McpException;
import io.helidon.extensions.mcp.server.McpRequest;
import io.helidon.extensions.mcp.server.McpTool;
import org.mcpidp.verifier.AuthInfo;

/**
 * The authorization contract of an MCP tool: it declares, next to its definition, what a caller needs to call it.
 * Tools are registered once, with {@link BearerAuthFeature.Builder#addTool}, which hands them to the MCP extension;
 * the bearer filter enforces the requirement before the tool runs (a tool cannot answer HTTP 403 itself) and hides the
 * tool from callers who may not call it. A tool whose {@link #requirement()} is null stops the server at startup: open
 * access is declared, with {@link ToolRequirement#anyAuthenticated()}, never assumed.
 */
public interface GuardedTool extends McpTool {

    /** What calling this tool needs; never null ({@link ToolRequirement#anyAuthenticated()} for any caller). */
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

package org.mcpidp.mcpauth;

import io.helidon.extensions.mcp.server.McpException;
import io.helidon.extensions.mcp.server.McpToolAnnotations;
import io.helidon.extensions.mcp.server.McpToolRequest;
import io.helidon.extensions.mcp.server.McpToolResult;
import io.helidon.extensions.mcp.server.McpTool;
import java.util.Optional;
import org.mcpidp.verifier.AuthInfo;

/**
 * A {@link GuardedTool} as the MCP extension gets it: before the tool runs, its requirement is checked again against
 * the caller the extension hands it. The JSON-RPC gate already refused such a call with a 403; this second check is
 * where the tool runs, so a future gate bug cannot run a tool for a caller that lacks its requirement, and a request
 * that reached the extension without the gate (no caller in its context) runs nothing.
 */
final class CheckedTool implements McpTool {

    private final GuardedTool tool;
    private final ToolRequirement requirement;

    CheckedTool(GuardedTool tool, ToolRequirement requirement) {
        this.tool = tool;
        this.requirement = requirement;
    }

    @Override
    public McpToolResult tool(McpToolRequest request) {
        admit(request.requestContext().get(AuthInfo.class));
        return tool.tool(request);
    }

    /** @throws McpException when there is no caller, or one the requirement does not allow */
    void admit(Optional<AuthInfo> caller) {
        if (caller.isEmpty()) {
            throw new McpException("no authenticated caller");
        }
        if (!requirement.allows(caller.get())) {
            throw new McpException("not allowed: tool " + tool.name() + " needs what this caller lacks");
        }
    }

    @Override
    public String name() {
        return tool.name();
    }

    @Override
    public String description() {
        return tool.description();
    }

    @Override
    public String schema() {
        return tool.schema();
    }

    @Override
    public Optional<String> title() {
        return tool.title();
    }

    @Override
    public Optional<McpToolAnnotations> annotations() {
        return tool.annotations();
    }

    @Override
    public Optional<String> outputSchema() {
        return tool.outputSchema();
    }
}

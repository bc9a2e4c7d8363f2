package org.mcpidp.mcpserver.tools;

import io.helidon.extensions.mcp.server.McpToolRequest;
import io.helidon.extensions.mcp.server.McpToolResult;
import java.util.Objects;
import org.mcpidp.mcpserver.auth.GuardedTool;
import org.mcpidp.mcpserver.auth.ToolRequirement;

/** {@code list_products}: the catalogue. Needs scope {@code mcp:read}. */
public final class ListProductsTool implements GuardedTool {

    private final ProductStore store;

    public ListProductsTool(ProductStore store) {
        this.store = Objects.requireNonNull(store);
    }

    @Override
    public ToolRequirement requirement() {
        return ToolRequirement.scopes("mcp:read");
    }

    @Override
    public String name() {
        return "list_products";
    }

    @Override
    public String description() {
        return "Lists the products of the store.";
    }

    @Override
    public String schema() {
        return ToolJson.NO_ARGUMENTS;
    }

    @Override
    public McpToolResult tool(McpToolRequest request) {
        return ToolJson.result(store.list());
    }
}

package org.mcpidp.mcpserver.tools;

import io.modelcontextprotocol.modern.McpSchema;
import io.modelcontextprotocol.modern.server.McpRequestContext;
import io.modelcontextprotocol.modern.server.McpSyncResponse;
import java.util.Objects;
import org.mcpidp.mcpauth.SdkTool;
import org.mcpidp.mcpauth.ToolRequirement;

/** {@code list_products}: the catalogue. Needs scope {@code mcp:read}. */
public final class ListProductsTool implements SdkTool {

    private static final McpSchema.Tool DEFINITION = McpSchema.Tool.builder("list_products", ToolJson.NO_ARGUMENTS)
            .description("Lists the products of the store.")
            .build();

    private final ProductStore store;

    public ListProductsTool(ProductStore store) {
        this.store = Objects.requireNonNull(store);
    }

    @Override
    public McpSchema.Tool definition() {
        return DEFINITION;
    }

    @Override
    public ToolRequirement requirement() {
        return ToolRequirement.scopes("mcp:read");
    }

    @Override
    public McpSyncResponse<McpSchema.CallToolOutcome> call(McpRequestContext context,
                                                           McpSchema.CallToolRequest request) {
        return ToolJson.result(store.list());
    }
}

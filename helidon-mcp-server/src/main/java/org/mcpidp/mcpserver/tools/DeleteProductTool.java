package org.mcpidp.mcpserver.tools;

import io.helidon.extensions.mcp.server.McpToolRequest;
import io.helidon.extensions.mcp.server.McpToolResult;
import java.util.Objects;
import java.util.Optional;
import org.mcpidp.mcpserver.auth.GuardedTool;
import org.mcpidp.mcpserver.auth.ToolRequirement;

/** {@code delete_product}: removes a product. Needs scope {@code mcp:admin}, or the realm role {@code admin}. */
public final class DeleteProductTool implements GuardedTool {

    private final ProductStore store;

    public DeleteProductTool(ProductStore store) {
        this.store = Objects.requireNonNull(store);
    }

    @Override
    public ToolRequirement requirement() {
        return ToolRequirement.scopes("mcp:admin").orAnyRole("admin");
    }

    @Override
    public String name() {
        return "delete_product";
    }

    @Override
    public String description() {
        return "Deletes a product by id.";
    }

    @Override
    public String schema() {
        return """
                {"type": "object",
                 "properties": {"id": {"type": "string", "description": "Product id, e.g. p-1"}},
                 "required": ["id"]}""";
    }

    @Override
    public McpToolResult tool(McpToolRequest request) {
        Optional<String> id = request.arguments().get("id").asString().asOptional();
        if (id.isEmpty()) {
            return ToolJson.error("id (string) is required");
        }
        return store.delete(id.get())
                .map(ToolJson::result)
                .orElseGet(() -> ToolJson.error("no product " + id.get()));
    }
}

package org.mcpidp.mcpserver.tools;

import io.helidon.extensions.mcp.server.McpToolRequest;
import io.helidon.extensions.mcp.server.McpToolResult;
import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;
import org.mcpidp.mcpserver.auth.GuardedTool;
import org.mcpidp.mcpserver.auth.ToolRequirement;

/** {@code create_product}: adds a product. Needs scope {@code mcp:write}. */
public final class CreateProductTool implements GuardedTool {

    private final ProductStore store;

    public CreateProductTool(ProductStore store) {
        this.store = Objects.requireNonNull(store);
    }

    @Override
    public ToolRequirement requirement() {
        return ToolRequirement.scopes("mcp:write");
    }

    @Override
    public String name() {
        return "create_product";
    }

    @Override
    public String description() {
        return "Creates a product with a name and a price.";
    }

    @Override
    public String schema() {
        return """
                {"type": "object",
                 "properties": {"name": {"type": "string", "description": "Product name"},
                                "price": {"type": "number", "description": "Price, not negative"}},
                 "required": ["name", "price"]}""";
    }

    @Override
    public McpToolResult tool(McpToolRequest request) {
        Optional<String> name = request.arguments().get("name").asString().asOptional();
        Optional<Double> price = request.arguments().get("price").asDouble().asOptional();
        if (name.isEmpty() || price.isEmpty()) {
            return ToolJson.error("name (string) and price (number) are required");
        }
        try {
            return ToolJson.result(store.create(name.get(), BigDecimal.valueOf(price.get())));
        } catch (IllegalArgumentException e) {
            return ToolJson.error(e.getMessage());
        }
    }
}

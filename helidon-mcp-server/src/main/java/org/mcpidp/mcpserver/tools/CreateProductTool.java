package org.mcpidp.mcpserver.tools;

import io.modelcontextprotocol.modern.McpSchema;
import io.modelcontextprotocol.modern.server.McpRequestContext;
import io.modelcontextprotocol.modern.server.McpSyncResponse;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.mcpidp.mcpauth.SdkTool;
import org.mcpidp.mcpauth.ToolRequirement;

/** {@code create_product}: adds a product. Needs scope {@code mcp:write}. */
public final class CreateProductTool implements SdkTool {

    private static final McpSchema.Tool DEFINITION = McpSchema.Tool.builder("create_product", Map.of(
                    "type", "object",
                    "properties", Map.of(
                            "name", Map.of("type", "string", "description", "Product name"),
                            "price", Map.of("type", "number", "description", "Price, not negative")),
                    "required", List.of("name", "price")))
            .description("Creates a product with a name and a price.")
            .build();

    private final ProductStore store;

    public CreateProductTool(ProductStore store) {
        this.store = Objects.requireNonNull(store);
    }

    @Override
    public McpSchema.Tool definition() {
        return DEFINITION;
    }

    @Override
    public ToolRequirement requirement() {
        return ToolRequirement.scopes("mcp:write");
    }

    @Override
    public McpSyncResponse<McpSchema.CallToolOutcome> call(McpRequestContext context,
                                                           McpSchema.CallToolRequest request) {
        Optional<String> name = ToolJson.text(request, "name");
        Object price = request.arguments() == null ? null : request.arguments().get("price");
        if (name.isEmpty() || !(price instanceof Number number)) {
            return ToolJson.error("name (string) and price (number) are required");
        }
        try {
            return ToolJson.result(store.create(name.get(), new BigDecimal(number.toString())));
        } catch (IllegalArgumentException e) {
            return ToolJson.error(e.getMessage());
        }
    }
}

package org.mcpidp.mcpserver.tools;

import io.modelcontextprotocol.modern.McpSchema;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mcpidp.mcpauth.SdkTool;
import org.mcpidp.mcpauth.ToolRequirement;

/**
 * The store's simple tools, each a definition, a requirement and a handler ({@link SdkTool#of}):
 * {@code list_products} (scope {@code mcp:read}) and {@code create_product} (scope {@code mcp:write}).
 * {@code delete_product} asks to confirm first and has a class of its own ({@link DeleteProductTool}).
 */
public final class ProductTools {

    private static final McpSchema.Tool LIST = McpSchema.Tool.builder("list_products", ToolJson.NO_ARGUMENTS)
            .description("Lists the products of the store.")
            .build();

    private static final McpSchema.Tool CREATE = McpSchema.Tool.builder("create_product", Map.of(
                    "type", "object",
                    "properties", Map.of(
                            "name", Map.of("type", "string", "description", "Product name"),
                            "price", Map.of("type", "number", "description", "Price, not negative")),
                    "required", List.of("name", "price")))
            .description("Creates a product with a name and a price.")
            .build();

    private ProductTools() {
    }

    public static SdkTool list(ProductStore store) {
        return SdkTool.of(LIST, ToolRequirement.scopes("mcp:read"), (context, request) ->
                ToolJson.result(store.list()));
    }

    public static SdkTool create(ProductStore store) {
        return SdkTool.of(CREATE, ToolRequirement.scopes("mcp:write"), (context, request) -> {
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
        });
    }
}

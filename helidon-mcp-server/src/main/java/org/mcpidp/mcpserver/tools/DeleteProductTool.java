package org.mcpidp.mcpserver.tools;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.modern.McpSchema;
import io.modelcontextprotocol.modern.server.InputResponses;
import io.modelcontextprotocol.modern.server.McpRequestContext;
import io.modelcontextprotocol.modern.server.McpSyncResponse;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.mcpidp.mcpauth.SdkTool;
import org.mcpidp.mcpauth.ToolRequirement;

/**
 * {@code delete_product}: removes a product. Needs scope {@code mcp:admin}, or (for an agent's own token) the realm
 * role {@code admin}. When the client can show a form (it declares elicitation), the caller is asked to confirm
 * first: in 2026-07-28 the first call answers with an input request and the client calls again with the answer and
 * the sealed {@code requestState}; in a 2025-11-25 session the engine turns that into an {@code elicitation/create}
 * request. A client without the capability (an agent) deletes at once, as before.
 */
public final class DeleteProductTool implements SdkTool {

    static final String CONFIRM = "confirm";
    private static final McpSchema.Tool DEFINITION = McpSchema.Tool.builder("delete_product", Map.of(
                    "type", "object",
                    "properties", Map.of("id", Map.of("type", "string", "description", "Product id, e.g. p-1")),
                    "required", List.of("id")))
            .description("Deletes a product by id (asks the user to confirm when the client can show a form).")
            .build();
    private static final Map<String, Object> CONFIRM_FORM = Map.of(
            "type", "object",
            "properties", Map.of(CONFIRM, Map.of("type", "boolean", "title", "Delete it",
                    "description", "Yes, delete this product")),
            "required", List.of(CONFIRM));

    private final ProductStore store;
    private final McpJsonMapper mapper = McpJsonDefaults.getMapper();

    public DeleteProductTool(ProductStore store) {
        this.store = Objects.requireNonNull(store);
    }

    @Override
    public McpSchema.Tool definition() {
        return DEFINITION;
    }

    @Override
    public ToolRequirement requirement() {
        return ToolRequirement.scopes("mcp:admin").orAnyRole("admin");
    }

    @Override
    public McpSyncResponse<McpSchema.CallToolOutcome> call(McpRequestContext context,
                                                           McpSchema.CallToolRequest request) {
        Optional<String> id = ToolJson.text(request, "id");
        if (id.isEmpty()) {
            return ToolJson.error("id (string) is required");
        }
        String state = "delete:" + id.get();
        if (context.clientCapabilities() != null && context.clientCapabilities().supportsElicitationForm()) {
            McpSchema.ElicitResult answer = state.equals(request.requestState())
                    ? InputResponses.get(request.inputResponses(), CONFIRM, McpSchema.ElicitResult.class, mapper)
                    : null;
            if (answer == null) {
                return McpSyncResponse.result(McpSchema.InputRequiredResult.builder()
                        .elicit(CONFIRM, McpSchema.ElicitFormRequest.builder("Delete product " + id.get() + "?",
                                CONFIRM_FORM).build())
                        .requestState(state)
                        .build());
            }
            if (answer.action() != McpSchema.ElicitResult.Action.ACCEPT || answer.content() == null
                    || !Boolean.TRUE.equals(answer.content().get(CONFIRM))) {
                return ToolJson.error("not deleted: the user did not confirm deleting " + id.get());
            }
        }
        return store.delete(id.get())
                .map(ToolJson::result)
                .orElseGet(() -> ToolJson.error("no product " + id.get()));
    }
}

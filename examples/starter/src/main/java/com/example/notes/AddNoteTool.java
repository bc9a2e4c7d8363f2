package com.example.notes;

import io.modelcontextprotocol.modern.McpSchema;
import io.modelcontextprotocol.modern.server.McpRequestContext;
import io.modelcontextprotocol.modern.server.McpSyncResponse;
import java.util.List;
import java.util.Map;
import org.mcpidp.mcpauth.SdkTool;
import org.mcpidp.mcpauth.ToolRequirement;
import org.mcpidp.verifier.AuthInfo;

/** {@code add_note}: stores a note written by the caller. Needs scope {@code notes:write}. */
final class AddNoteTool implements SdkTool {

    private static final McpSchema.Tool DEFINITION = McpSchema.Tool.builder("add_note", Map.of(
                    "type", "object",
                    "properties", Map.of("text", Map.of("type", "string",
                            "description", "The note, 1 to 1000 characters")),
                    "required", List.of("text")))
            .description("Adds a note; its author is the verified caller.")
            .build();

    private final NoteStore store;

    AddNoteTool(NoteStore store) {
        this.store = store;
    }

    @Override
    public McpSchema.Tool definition() {
        return DEFINITION;
    }

    @Override
    public ToolRequirement requirement() {
        return ToolRequirement.scopes("notes:write");
    }

    @Override
    public McpSyncResponse<McpSchema.CallToolOutcome> call(McpRequestContext context,
                                                           McpSchema.CallToolRequest request) {
        AuthInfo caller = SdkTool.caller(context);
        if (!(request.arguments() != null && request.arguments().get("text") instanceof String text)) {
            return Text.error("text (string) is required");
        }
        String author = caller.username().or(caller::clientId).orElse(caller.subject());
        try {
            NoteStore.Note note = store.add(text, author);
            return Text.result("added note " + note.id() + " by " + note.author());
        } catch (IllegalArgumentException e) {
            return Text.error(e.getMessage());
        }
    }
}

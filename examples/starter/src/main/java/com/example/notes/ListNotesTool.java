package com.example.notes;

import io.modelcontextprotocol.modern.McpSchema;
import io.modelcontextprotocol.modern.server.McpRequestContext;
import io.modelcontextprotocol.modern.server.McpSyncResponse;
import java.util.Map;
import org.mcpidp.mcpauth.SdkTool;
import org.mcpidp.mcpauth.ToolRequirement;

/** {@code list_notes}: every note. Needs scope {@code notes:read}. */
final class ListNotesTool implements SdkTool {

    private static final McpSchema.Tool DEFINITION = McpSchema.Tool.builder("list_notes",
                    Map.of("type", "object", "properties", Map.of()))
            .description("Lists the notes, oldest first.")
            .build();

    private final NoteStore store;

    ListNotesTool(NoteStore store) {
        this.store = store;
    }

    @Override
    public McpSchema.Tool definition() {
        return DEFINITION;
    }

    /** Declared next to the tool: the kit answers 403 insufficient_scope before the tool runs when it is not met. */
    @Override
    public ToolRequirement requirement() {
        return ToolRequirement.scopes("notes:read");
    }

    @Override
    public McpSyncResponse<McpSchema.CallToolOutcome> call(McpRequestContext context,
                                                           McpSchema.CallToolRequest request) {
        StringBuilder out = new StringBuilder();
        for (NoteStore.Note note : store.list()) {
            out.append(note.id()).append(". ").append(note.text()).append(" (").append(note.author()).append(", ")
                    .append(note.created()).append(")\n");
        }
        return Text.result(out.isEmpty() ? "no notes yet" : out.toString().strip());
    }
}

package com.example.notes;

import io.helidon.extensions.mcp.server.McpToolRequest;
import io.helidon.extensions.mcp.server.McpToolResult;
import org.mcpidp.mcpauth.GuardedTool;
import org.mcpidp.mcpauth.ToolRequirement;

/** {@code list_notes}: every note. Needs scope {@code notes:read}. */
final class ListNotesTool implements GuardedTool {

    private final NoteStore store;

    ListNotesTool(NoteStore store) {
        this.store = store;
    }

    @Override
    public ToolRequirement requirement() {
        return ToolRequirement.scopes("notes:read");
    }

    @Override
    public String name() {
        return "list_notes";
    }

    @Override
    public String description() {
        return "Lists the notes, oldest first.";
    }

    @Override
    public String schema() {
        return """
                {"type": "object", "properties": {}}""";
    }

    @Override
    public McpToolResult tool(McpToolRequest request) {
        StringBuilder out = new StringBuilder();
        for (NoteStore.Note note : store.list()) {
            out.append(note.id()).append(". ").append(note.text()).append(" (").append(note.author()).append(", ")
                    .append(note.created()).append(")\n");
        }
        return Text.result(out.isEmpty() ? "no notes yet" : out.toString().strip());
    }
}

package com.example.notes;

import io.helidon.extensions.mcp.server.McpToolRequest;
import io.helidon.extensions.mcp.server.McpToolResult;
import java.util.Optional;
import org.mcpidp.mcpauth.GuardedTool;
import org.mcpidp.mcpauth.ToolRequirement;
import org.mcpidp.verifier.AuthInfo;

/** {@code add_note}: stores a note written by the caller. Needs scope {@code notes:write}. */
final class AddNoteTool implements GuardedTool {

    private final NoteStore store;

    AddNoteTool(NoteStore store) {
        this.store = store;
    }

    /** Declared next to the tool: the kit answers 403 insufficient_scope before the tool runs when it is not met. */
    @Override
    public ToolRequirement requirement() {
        return ToolRequirement.scopes("notes:write");
    }

    @Override
    public String name() {
        return "add_note";
    }

    @Override
    public String description() {
        return "Adds a note; its author is the verified caller.";
    }

    @Override
    public String schema() {
        return """
                {"type": "object",
                 "properties": {"text": {"type": "string", "description": "The note, 1 to 1000 characters"}},
                 "required": ["text"]}""";
    }

    @Override
    public McpToolResult tool(McpToolRequest request) {
        AuthInfo caller = GuardedTool.caller(request);
        Optional<String> text = request.arguments().get("text").asString().asOptional();
        if (text.isEmpty()) {
            return Text.error("text (string) is required");
        }
        String author = caller.username().or(caller::clientId).orElse(caller.subject());
        try {
            NoteStore.Note note = store.add(text.get(), author);
            return Text.result("added note " + note.id() + " by " + note.author());
        } catch (IllegalArgumentException e) {
            return Text.error(e.getMessage());
        }
    }
}

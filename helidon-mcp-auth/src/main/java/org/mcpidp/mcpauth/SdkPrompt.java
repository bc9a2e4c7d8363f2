package org.mcpidp.mcpauth;

import io.modelcontextprotocol.modern.server.feature.McpSyncPrompt;
import java.util.Objects;

/**
 * A prompt served by the {@link SdkEngine}: the MCP Java SDK's prompt (definition, handler, completions) and what a
 * caller needs to get it (and to complete its arguments).
 */
public record SdkPrompt(McpSyncPrompt prompt, ToolRequirement requirement) {

    public SdkPrompt {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(requirement, "requirement: a prompt declares what it needs "
                + "(ToolRequirement.anyAuthenticated() for any caller)");
    }

    public String name() {
        return prompt.definition().name();
    }
}

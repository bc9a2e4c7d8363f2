package org.mcpidp.mcpauth;

import io.modelcontextprotocol.modern.McpSchema;
import io.modelcontextprotocol.modern.server.McpRequestContext;
import io.modelcontextprotocol.modern.server.feature.McpSyncPrompt;
import io.modelcontextprotocol.modern.server.feature.McpSyncPromptRepository;
import io.modelcontextprotocol.modern.server.feature.PromptsPage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@link SdkEngine}'s prompts, listed per caller in registration order; each handler re-checks its requirement. */
final class GuardedPrompts implements McpSyncPromptRepository {
    private final Map<String, SdkPrompt> prompts;
    private final Map<String, McpSyncPrompt> guarded = new LinkedHashMap<>();

    GuardedPrompts(Map<String, SdkPrompt> prompts) {
        this.prompts = prompts;
        prompts.forEach((name, prompt) -> {
            McpSyncPrompt original = prompt.prompt();
            McpSyncPrompt.Handler handler = (context, request) -> {
                EngineAccess.admit(context, prompt.requirement(), "prompt " + name);
                return original.handler().get(context, request);
            };
            McpSyncPrompt checked = original.requiredCapabilities() == null
                    ? McpSyncPrompt.of(original.definition(), handler)
                    : McpSyncPrompt.of(original.definition(), original.requiredCapabilities(), handler);
            guarded.put(name, original.completionHandler() == null ? checked
                    : checked.withCompletionHandler(original.completionHandler()));
        });
    }

    @Override
    public PromptsPage list(McpRequestContext context, String cursor) {
        List<McpSchema.Prompt> visible = new ArrayList<>();
        prompts.values().forEach(prompt -> {
            if (EngineAccess.visible(context, prompt.requirement())) {
                visible.add(prompt.prompt().definition());
            }
        });
        return PromptsPage.of(visible);
    }

    @Override
    public McpSyncPrompt find(McpRequestContext context, String name) {
        return guarded.get(name);
    }

    @Override
    public boolean supportsCompletion() {
        return prompts.values().stream().anyMatch(prompt -> prompt.prompt().completionHandler() != null);
    }
}

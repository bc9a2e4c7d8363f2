package org.mcpidp.mcpauth;

import io.modelcontextprotocol.modern.McpSchema;
import io.modelcontextprotocol.modern.server.McpRequestContext;
import io.modelcontextprotocol.modern.server.feature.McpSyncTool;
import io.modelcontextprotocol.modern.server.feature.McpSyncToolRepository;
import io.modelcontextprotocol.modern.server.feature.ToolsPage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@link SdkEngine}'s tools, listed per caller in registration order; each handler re-checks its requirement. */
final class GuardedTools implements McpSyncToolRepository {
    private final Map<String, SdkTool> tools;
    private final Map<String, McpSyncTool> guarded = new LinkedHashMap<>();

    GuardedTools(Map<String, SdkTool> tools) {
        this.tools = tools;
        tools.forEach((name, tool) -> {
            McpSyncTool.Handler checked = (context, request) -> {
                EngineAccess.admit(context, tool.requirement(), "tool " + name);
                return tool.call(context, request);
            };
            guarded.put(name, tool.requiredCapabilities() == null ? McpSyncTool.of(tool.definition(), checked)
                    : McpSyncTool.of(tool.definition(), tool.requiredCapabilities(), checked));
        });
    }

    @Override
    public ToolsPage list(McpRequestContext context, String cursor) {
        List<McpSchema.Tool> visible = new ArrayList<>(tools.size());
        tools.values().forEach(tool -> {
            if (EngineAccess.visible(context, tool.requirement())) {
                visible.add(tool.definition());
            }
        });
        return ToolsPage.of(visible);
    }

    @Override
    public McpSyncTool find(McpRequestContext context, String name) {
        return guarded.get(name);
    }
}

package org.mcpidp.mcpauth;

import io.helidon.extensions.mcp.server.McpServerConfig;
import io.helidon.extensions.mcp.server.McpServerFeature;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tools of one {@link BearerAuthFeature}, registered once and fail closed: every tool declares its requirement,
 * under a name no other tool has, and reaches the MCP extension only this way (a tool added to the extension directly
 * would be unguarded, so it stops the start).
 *
 * @param requirements every tool's requirement, by name, in registration order
 * @param capabilities what {@code initialize} may announce of the extension
 * @param extension    the built MCP extension; null when none was given (and then there are no tools)
 */
record ToolRegistration(Map<String, ToolRequirement> requirements, ExtensionCapabilities capabilities,
                        McpServerFeature extension) {

    /**
     * @param extension  the feature's own copy of the application's extension builder (null for none): the tools
     *                   are added to it
     * @param addedByApp the tools the application added to its builder itself (each must be a registered one)
     */
    static ToolRegistration of(List<GuardedTool> tools, McpServerConfig.Builder extension, SessionLimits limits,
                               List<io.helidon.extensions.mcp.server.McpTool> addedByApp) {
        Map<String, ToolRequirement> requirements = new LinkedHashMap<>();
        for (GuardedTool tool : tools) {
            ToolRequirement requirement = tool.requirement();
            if (requirement == null) {
                throw new IllegalStateException("tool " + tool.name() + " declares no requirement: return the "
                        + "scopes or roles it needs, or ToolRequirement.anyAuthenticated() for any caller");
            }
            if (requirements.putIfAbsent(tool.name(), requirement) != null) {
                throw new IllegalStateException("tool " + tool.name() + " is registered twice");
            }
        }
        if (extension == null) {
            if (!tools.isEmpty()) {
                throw new IllegalStateException("tools were registered but no MCP extension was given (mcpServer(...))");
            }
            return new ToolRegistration(Map.of(), ExtensionCapabilities.ALL, null);
        }
        addedByApp.stream().filter(tool -> !requirements.containsKey(tool.name())).findFirst()
                .ifPresent(tool -> {
                    throw new IllegalStateException("tool " + tool.name() + " was added to the MCP extension "
                            + "directly, so nothing would guard it: register it with addTool");
                });
        refuseUnguarded("prompts", extension.prompts().size());
        refuseUnguarded("resources", extension.resources().size());
        refuseUnguarded("completions", extension.completions().size());
        refuseUnguarded("resource subscribers", extension.resourceSubscribers().size()
                + extension.resourceUnsubscribers().size());
        // each tool checks its requirement again where it runs (CheckedTool); none reaches it unwrapped
        extension.tools(List.of());
        tools.forEach(tool -> extension.addTool(new CheckedTool(tool, tool.requirement())));
        ExtensionCapabilities capabilities = ExtensionCapabilities.of(extension);
        McpServerFeature built = extension.build();
        ExtensionSessions sessions = ExtensionSessions.of(built);
        if (sessions.capacity() < limits.max()) {
            // its LRU would drop sessions on its own, and 1.2.0 then keeps their ids forever
            throw new IllegalStateException("the MCP extension keeps at most " + sessions.capacity()
                    + " sessions (maxSessionCount), fewer than mcp.sessions.max " + limits.max());
        }
        // in registration order: the scopes a challenge and the metadata name follow it
        return new ToolRegistration(Collections.unmodifiableMap(requirements), capabilities, built);
    }

    /**
     * The gate decides for tools only: prompts, resources and completions added to the extension would be served to
     * every authenticated caller, so the start stops instead.
     */
    private static void refuseUnguarded(String what, int count) {
        if (count > 0) {
            throw new IllegalStateException(count + " " + what + " were added to the MCP extension, which this kit "
                    + "cannot guard with a requirement (only tools, registered with addTool): remove them, or serve "
                    + "them with the MCP Java SDK engine, where prompts and resources declare requirements");
        }
    }
}

package org.mcpidp.mcpserver.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.helidon.extensions.mcp.server.McpServerConfig;
import io.helidon.extensions.mcp.server.McpTool;
import io.helidon.extensions.mcp.server.McpToolRequest;
import io.helidon.extensions.mcp.server.McpToolResult;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** Tools register once, through the feature, and fail closed: no requirement, no server. */
class ToolRegistrationTest {

    private static final URI RESOURCE = URI.create("http://127.0.0.1:8080/mcp");

    private record Tool(String name, ToolRequirement requirement) implements GuardedTool {
        @Override
        public String description() {
            return "test tool";
        }

        @Override
        public String schema() {
            return "{\"type\":\"object\",\"properties\":{}}";
        }

        @Override
        public McpToolResult tool(McpToolRequest request) {
            return McpToolResult.builder().addTextContent("ok").build();
        }
    }

    private static BearerAuthFeature.Builder feature() {
        return BearerAuthFeature.builder().enabled(false).resource(RESOURCE);
    }

    @Test
    void whenAToolDeclaresNoRequirementThenStartupFailsNamingTheTool() {
        assertThatThrownBy(() -> feature()
                .addTool(new Tool("open_door", null))
                .mcpServer(McpServerConfig.builder().path("/mcp"))
                .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("tool open_door declares no requirement")
                .hasMessageContaining("ToolRequirement.anyAuthenticated()");
    }

    @Test
    void whenAToolReachesTheExtensionDirectlyThenStartupFailsNamingTheTool() {
        McpTool unguarded = new Tool("side_door", ToolRequirement.anyAuthenticated());
        assertThatThrownBy(() -> feature()
                .mcpServer(McpServerConfig.builder().path("/mcp").addTool(unguarded))
                .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("tool side_door was added to the MCP extension directly");
    }

    @Test
    void whenTwoToolsShareANameThenStartupFails() {
        assertThatThrownBy(() -> feature()
                .addTool(new Tool("twin", ToolRequirement.anyAuthenticated()))
                .addTool(new Tool("twin", ToolRequirement.scopes("mcp:admin")))
                .mcpServer(McpServerConfig.builder().path("/mcp"))
                .build())
                .hasMessageContaining("tool twin is registered twice");
    }

    @Test
    void whenToolsDeclareRequirementsThenTheExtensionGetsThemOnce() {
        BearerAuthFeature feature = feature()
                .addTool(new Tool("whoami", ToolRequirement.anyAuthenticated()))
                .addTool(new Tool("list", ToolRequirement.scopes("mcp:read")))
                .mcpServer(McpServerConfig.builder().path("/mcp"))
                .build();

        assertThat(feature.mcpServerFeature()).isNotNull();
        assertThat(feature.tools()).containsOnlyKeys("whoami", "list");
        assertThat(feature.scopesSupported()).containsExactly("mcp:read");
    }

    @Test
    void whenAnAllowedOriginIsNotAnOriginThenStartupFails() {
        assertThatThrownBy(() -> feature().allowedOrigins(java.util.List.of("https://app.example/path")).build())
                .hasMessageContaining("allowed origin must be scheme://host[:port]");
    }
}

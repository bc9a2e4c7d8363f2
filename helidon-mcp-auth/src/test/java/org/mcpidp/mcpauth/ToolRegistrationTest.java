package org.mcpidp.mcpauth;

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
    void whenAPromptResourceOrCompletionIsAddedToTheExtensionThenStartupFails() {
        McpServerConfig.Builder withPrompt = McpServerConfig.builder().path("/mcp").addPrompt(
                new io.helidon.extensions.mcp.server.McpPrompt() {
                    @Override
                    public String name() {
                        return "p";
                    }

                    @Override
                    public String description() {
                        return "an unguarded prompt";
                    }

                    @Override
                    public java.util.List<io.helidon.extensions.mcp.server.McpPromptArgument> arguments() {
                        return java.util.List.of();
                    }

                    @Override
                    public io.helidon.extensions.mcp.server.McpPromptResult prompt(
                            io.helidon.extensions.mcp.server.McpPromptRequest request) {
                        throw new AssertionError("never called");
                    }
                });

        assertThatThrownBy(() -> feature().mcpServer(withPrompt).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("1 prompts were added to the MCP extension");
    }

    @Test
    void whenAnotherMcpExtensionIsRoutedOutsideTheFeatureThenTheServerDoesNotStart() {
        BearerAuthFeature auth = feature()
                .addTool(new Tool("whoami", ToolRequirement.anyAuthenticated()))
                .mcpServer(McpServerConfig.builder().path("/mcp"))
                .build();
        io.helidon.extensions.mcp.server.McpServerFeature foreign = McpServerConfig.builder().path("/other")
                .addTool(new Tool("side_door", ToolRequirement.anyAuthenticated())).build();

        assertThatThrownBy(() -> io.helidon.webserver.WebServer.builder().port(0).host("127.0.0.1").addFeature(auth)
                .routing(routing -> routing.addFeature(auth.mcpServerFeature()).addFeature(foreign))
                .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("outside BearerAuthFeature");
    }

    @Test
    void whenOnlyTheFeaturesOwnExtensionIsRoutedThenTheServerStarts() {
        BearerAuthFeature auth = feature()
                .addTool(new Tool("whoami", ToolRequirement.anyAuthenticated()))
                .mcpServer(McpServerConfig.builder().path("/mcp"))
                .build();

        io.helidon.webserver.WebServer server = io.helidon.webserver.WebServer.builder().port(0).host("127.0.0.1")
                .addFeature(auth).routing(routing -> routing.addFeature(auth.mcpServerFeature())).build();

        assertThat(server).isNotNull();
    }

    @Test
    void whenTheGateIsBypassedThenTheToolChecksItsRequirementItself() {
        GuardedTool deleteProduct = new Tool("delete_product", ToolRequirement.scopes("mcp:admin").orAnyRole("admin"));
        CheckedTool checked = new CheckedTool(deleteProduct, deleteProduct.requirement());
        org.mcpidp.verifier.AuthInfo reader = new org.mcpidp.verifier.AuthInfo("alice", java.util.Optional.of("app"),
                "https://idp", java.util.Set.of(), java.util.Set.of("mcp:read"), java.util.Set.of("admin"),
                java.time.Instant.now().plusSeconds(60), java.util.Map.of());
        org.mcpidp.verifier.AuthInfo admin = new org.mcpidp.verifier.AuthInfo("alice", java.util.Optional.of("app"),
                "https://idp", java.util.Set.of(), java.util.Set.of("mcp:admin"), java.util.Set.of(),
                java.time.Instant.now().plusSeconds(60), java.util.Map.of());

        assertThatThrownBy(() -> checked.admit(java.util.Optional.of(reader)))
                .isInstanceOf(io.helidon.extensions.mcp.server.McpException.class)
                .hasMessageContaining("not allowed");
        assertThatThrownBy(() -> checked.admit(java.util.Optional.empty()))
                .hasMessageContaining("no authenticated caller");
        checked.admit(java.util.Optional.of(admin)); // allowed: no exception
    }

    @Test
    void whenAnAllowedOriginIsNotAnOriginThenStartupFails() {
        assertThatThrownBy(() -> feature().allowedOrigins(java.util.List.of("https://app.example/path")).build())
                .hasMessageContaining("allowed origin must be scheme://host[:port]");
    }
}

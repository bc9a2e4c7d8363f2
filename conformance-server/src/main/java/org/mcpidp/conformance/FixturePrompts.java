package org.mcpidp.conformance;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.modern.McpSchema;
import io.modelcontextprotocol.modern.server.InputResponses;
import io.modelcontextprotocol.modern.server.McpSyncResponse;
import io.modelcontextprotocol.modern.server.feature.McpSyncPrompt;
import io.modelcontextprotocol.modern.server.feature.McpSyncResource;
import io.modelcontextprotocol.modern.server.feature.McpSyncResourceTemplate;
import io.modelcontextprotocol.util.DefaultMcpUriTemplateManager;
import java.util.List;
import java.util.Map;
import org.mcpidp.mcpauth.SdkPrompt;
import org.mcpidp.mcpauth.SdkResource;
import org.mcpidp.mcpauth.ToolRequirement;

/**
 * The prompts, resources, resource template and completions the conformance suite reads, with the exact contents its
 * scenarios check. Open to any authenticated caller.
 */
final class FixturePrompts {

    private static final ToolRequirement ANY = ToolRequirement.anyAuthenticated();
    /** Lists and reads may be cached for five minutes (2026-07-28 caching hints). */
    private static final long READ_TTL_MS = 300_000;

    private FixturePrompts() {
    }

    static List<SdkPrompt> prompts() {
        return List.of(
                new SdkPrompt(McpSyncPrompt.of(McpSchema.Prompt.builder("test_simple_prompt")
                        .description("A simple prompt without arguments").build(), (context, request) ->
                        messages(user(text("This is a simple prompt for testing.")))), ANY),
                new SdkPrompt(McpSyncPrompt.of(McpSchema.Prompt.builder("test_prompt_with_arguments")
                                .description("A prompt with two required arguments")
                                .arguments(List.of(argument("arg1", "First test argument"),
                                        argument("arg2", "Second test argument"))).build(),
                                (context, request) -> messages(user(text("Prompt with arguments: arg1='"
                                        + request.arguments().get("arg1") + "', arg2='"
                                        + request.arguments().get("arg2") + "'"))))
                        .withCompletionHandler((context, request) -> McpSchema.CompleteResult.of(
                                new McpSchema.CompleteResult.Completion(List.of(request.argument().value()
                                        + "-completed", "testValue1"), 2, false))), ANY),
                new SdkPrompt(McpSyncPrompt.of(McpSchema.Prompt.builder("test_prompt_with_embedded_resource")
                        .description("A prompt with an embedded resource")
                        .arguments(List.of(argument("resourceUri", "URI of the resource to embed"))).build(),
                        (context, request) -> messages(
                                user(McpSchema.EmbeddedResource.builder(McpSchema.TextResourceContents.builder(
                                                request.arguments().get("resourceUri"),
                                                "Embedded resource content for testing.")
                                        .mimeType("text/plain").build()).build()),
                                user(text("Please process the embedded resource above.")))), ANY),
                new SdkPrompt(McpSyncPrompt.of(McpSchema.Prompt.builder("test_prompt_with_image")
                        .description("A prompt with an image").build(), (context, request) -> messages(
                        user(McpSchema.ImageContent.builder(FixtureTools.PNG, "image/png").build()),
                        user(text("Please analyze the image above.")))), ANY),
                new SdkPrompt(McpSyncPrompt.of(McpSchema.Prompt.builder("test_input_required_result_prompt")
                        .description("MRTR: prompt that requires elicitation input").build(),
                        (context, request) -> {
                            McpSchema.ElicitResult answer = InputResponses.get(request.inputResponses(),
                                    "user_context", McpSchema.ElicitResult.class, McpJsonDefaults.getMapper());
                            if (answer == null || answer.content() == null) {
                                return McpSyncResponse.result(McpSchema.InputRequiredResult.builder()
                                        .elicit("user_context", McpSchema.ElicitFormRequest.builder(
                                                "What context should the prompt use?", FixtureTools.schema(
                                                        Map.of("context", Map.of("type", "string")),
                                                        List.of("context"))).build())
                                        .build());
                            }
                            return messages(user(text("Prompt with context: " + answer.content().get("context"))));
                        }), ANY));
    }

    static List<SdkResource> resources() {
        return List.of(
                SdkResource.of(McpSchema.Resource.builder("test://static-text", "static-text")
                                .title("Static Text Resource").description("A static text resource for testing")
                                .mimeType("text/plain").build(),
                        McpSyncResource.of((context, request) -> read(McpSchema.TextResourceContents.builder(
                                "test://static-text", "This is the content of the static text resource.")
                                .mimeType("text/plain").build())), ANY),
                SdkResource.of(McpSchema.Resource.builder("test://static-binary", "static-binary")
                                .description("A static binary resource for testing").mimeType("image/png").build(),
                        McpSyncResource.of((context, request) -> read(McpSchema.BlobResourceContents.builder(
                                "test://static-binary", FixtureTools.PNG).mimeType("image/png").build())), ANY),
                SdkResource.of(McpSchema.Resource.builder("test://watched-resource", "watched-resource")
                                .description("A resource clients may subscribe to").mimeType("text/plain").build(),
                        McpSyncResource.of((context, request) -> read(McpSchema.TextResourceContents.builder(
                                "test://watched-resource", "Watched resource content").mimeType("text/plain")
                                .build())), ANY),
                SdkResource.template(McpSyncResourceTemplate.of(McpSchema.ResourceTemplate.builder(
                                        "test://template/{id}/data", "template")
                                .description("A resource template").mimeType("application/json").build()),
                        McpSyncResource.of((context, request) -> {
                            String id = new DefaultMcpUriTemplateManager("test://template/{id}/data")
                                    .extractVariableValues(request.uri()).get("id");
                            return read(McpSchema.TextResourceContents.builder(request.uri(), "{\"id\":\"" + id
                                    + "\",\"templateTest\":true,\"data\":\"Data for ID: " + id + "\"}")
                                    .mimeType("application/json").build());
                        }), ANY));
    }

    private static McpSyncResponse<McpSchema.ReadResourceOutcome> read(McpSchema.ResourceContents contents) {
        return McpSyncResponse.result(McpSchema.ReadResourceResult.builder(List.of(contents))
                .ttlMs(READ_TTL_MS).cacheScope(McpSchema.CacheScope.PRIVATE).build());
    }

    private static McpSyncResponse<McpSchema.GetPromptOutcome> messages(McpSchema.PromptMessage... messages) {
        return McpSyncResponse.result(McpSchema.GetPromptResult.builder(List.of(messages)).build());
    }

    private static McpSchema.PromptMessage user(McpSchema.Content content) {
        return McpSchema.PromptMessage.builder(McpSchema.Role.USER, content).build();
    }

    private static McpSchema.TextContent text(String text) {
        return McpSchema.TextContent.builder(text).build();
    }

    private static McpSchema.PromptArgument argument(String name, String description) {
        return McpSchema.PromptArgument.builder(name).description(description).required(true).build();
    }
}

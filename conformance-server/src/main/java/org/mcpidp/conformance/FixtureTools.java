package org.mcpidp.conformance;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.modern.McpException;
import io.modelcontextprotocol.modern.McpSchema;
import io.modelcontextprotocol.modern.server.InputResponses;
import io.modelcontextprotocol.modern.server.McpRequestContext;
import io.modelcontextprotocol.modern.server.McpSyncResponse;
import io.modelcontextprotocol.modern.server.feature.McpChangeFeed;
import io.modelcontextprotocol.modern.server.feature.ServerChange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.mcpidp.mcpauth.SdkTool;
import org.mcpidp.mcpauth.ToolRequirement;

/**
 * The tools the official MCP conformance suite calls (its scenario sources name them and their exact answers), written
 * once against the MCP Java SDK's 2026-07-28 API like any tool of the kit: the 2026-07-28 scenarios reach them
 * directly, the 2025-11-25 scenarios through the engine's legacy sessions, where an input request becomes an
 * {@code elicitation/create} or {@code sampling/createMessage} request of the session. Every tool is open to any
 * authenticated caller: the suite reaches the server through a proxy that adds one token.
 */
final class FixtureTools {

    /** A 1x1 red PNG. */
    static final String PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";
    /** A minimal WAV. */
    static final String WAV = "UklGRiYAAABXQVZFZm10IBAAAAABAAEAQB8AAAB9AAACABAAZGF0YQIAAAA=";

    private static final Map<String, Object> NO_ARGUMENTS = Map.of("type", "object", "properties", Map.of());
    private static final McpJsonMapper MAPPER = McpJsonDefaults.getMapper();

    private FixtureTools() {
    }

    /** One fixture tool: a definition and a handler, open to any authenticated caller. */
    private record Fixture(McpSchema.Tool definition, McpSchema.ClientCapabilities requiredCapabilities,
                           Handler handler) implements SdkTool {

        interface Handler {
            McpSyncResponse<McpSchema.CallToolOutcome> call(McpRequestContext context,
                                                            McpSchema.CallToolRequest request);
        }

        @Override
        public ToolRequirement requirement() {
            return ToolRequirement.anyAuthenticated();
        }

        @Override
        public McpSyncResponse<McpSchema.CallToolOutcome> call(McpRequestContext context,
                                                               McpSchema.CallToolRequest request) {
            return handler.call(context, request);
        }
    }

    /** Every fixture tool; {@code test_simple_text} first (a scenario calls the first listed tool). */
    static List<SdkTool> all(McpChangeFeed changes) {
        List<SdkTool> tools = new ArrayList<>();
        tools.add(tool("test_simple_text", "Returns a simple text response",
                (context, request) -> text("This is a simple text response for testing.")));
        tools.add(tool("test_image_content", "Returns an image",
                (context, request) -> result(McpSchema.ImageContent.builder(PNG, "image/png").build())));
        tools.add(tool("test_audio_content", "Returns an audio clip",
                (context, request) -> result(McpSchema.AudioContent.builder(WAV, "audio/wav").build())));
        tools.add(tool("test_embedded_resource", "Returns an embedded resource",
                (context, request) -> result(McpSchema.EmbeddedResource.builder(McpSchema.TextResourceContents
                        .builder("test://embedded-resource", "This is an embedded resource content.")
                        .mimeType("text/plain").build()).build())));
        tools.add(tool("test_multiple_content_types", "Returns text, an image and a resource",
                (context, request) -> result(
                        McpSchema.TextContent.builder("Multiple content types test:").build(),
                        McpSchema.ImageContent.builder(PNG, "image/png").build(),
                        McpSchema.EmbeddedResource.builder(McpSchema.TextResourceContents
                                .builder("test://mixed-content-resource", "{\"test\":\"data\",\"value\":123}")
                                .mimeType("application/json").build()).build())));
        tools.add(tool("test_error_handling", "Returns a tool error",
                (context, request) -> McpSyncResponse.result(McpSchema.CallToolResult.builder()
                        .addContent(McpSchema.TextContent.builder(
                                "This tool intentionally returns an error for testing").build())
                        .isError(true).build())));
        tools.add(tool("test_tool_with_progress", "Reports progress three times", (context, request) ->
                McpSyncResponse.streaming(notifier -> {
                    for (double progress : new double[] {0, 50, 100}) {
                        notifier.progress(progress, 100.0, "step " + (int) progress);
                        pause();
                    }
                    Object token = context.progressToken();
                    return textResult(token == null ? "done" : String.valueOf(token));
                })));
        tools.add(tool("test_tool_with_logging", "Logs three messages", (context, request) ->
                McpSyncResponse.streaming(notifier -> {
                    if (context.meta() != null && context.meta().get("io.modelcontextprotocol/logLevel") != null) {
                        for (String message : List.of("Tool execution started", "Tool processing data",
                                "Tool execution completed")) {
                            notifier.notify("notifications/message", Map.of("level", "info", "data", message));
                            pause();
                        }
                    }
                    return textResult("Tool with logging executed successfully");
                })));
        tools.add(tool("test_sampling", "Asks the client's model", schema(Map.of("prompt", Map.of("type", "string")),
                List.of("prompt")), FixtureTools::sampling));
        tools.add(tool("test_elicitation", "Asks the user", schema(Map.of("message", Map.of("type", "string")),
                List.of("message")), FixtureTools::elicitation));
        tools.add(tool("test_elicitation_sep1034_defaults", "Asks with defaults", (context, request) ->
                elicit(request, "defaults", "Provide defaults", SEP1034, "Elicitation completed")));
        tools.add(tool("test_elicitation_sep1330_enums", "Asks with enums", (context, request) ->
                elicit(request, "enums", "Choose options", SEP1330, "Elicitation completed")));
        tools.add(new Fixture(McpSchema.Tool.builder("json_schema_2020_12_tool", JSON_SCHEMA_2020_12)
                .description("Tool with JSON Schema 2020-12 features").build(), null,
                (context, request) -> text("ok")));
        tools.add(new Fixture(McpSchema.Tool.builder("test_missing_capability", NO_ARGUMENTS)
                .description("Needs the client's sampling capability").build(),
                McpSchema.ClientCapabilities.builder().sampling().build(), (context, request) -> text("Success")));
        tools.add(tool("test_streaming_elicitation", "Streams progress", (context, request) ->
                McpSyncResponse.streaming(notifier -> {
                    notifier.progress(50, 100.0, "halfway");
                    return textResult("Streaming complete");
                })));
        tools.add(tool("test_logging_tool", "Logs only when asked to", (context, request) ->
                McpSyncResponse.streaming(notifier -> {
                    if (context.meta() != null && context.meta().get("io.modelcontextprotocol/logLevel") != null) {
                        notifier.notify("notifications/message", Map.of("level", "info", "data", "evaluated"));
                    }
                    return textResult("Logging evaluated");
                })));
        tools.add(tool("test_trigger_tool_change", "Announces a tool list change", (context, request) -> {
            changes.broadcast(new ServerChange.ToolsListChanged());
            return text("Mutation triggered");
        }));
        tools.add(tool("test_trigger_prompt_change", "Announces a prompt list change", (context, request) -> {
            changes.broadcast(new ServerChange.PromptsListChanged());
            return text("Mutation triggered");
        }));
        tools.add(new Fixture(McpSchema.Tool.builder("test_custom_header", Map.of("type", "object",
                        "properties", Map.of("region", Map.of("type", "string", "x-mcp-header", "Region")),
                        "required", List.of("region")))
                .description("Echoes an argument mirrored into the Mcp-Param-Region header").build(), null,
                (context, request) -> text("region=" + request.arguments().get("region"))));
        tools.addAll(MultiRoundTripTools.all());
        return List.copyOf(tools);
    }

    // ---- 2025-11-25 server-to-client requests, written as input requests ----

    private static McpSyncResponse<McpSchema.CallToolOutcome> sampling(McpRequestContext context,
                                                                       McpSchema.CallToolRequest request) {
        McpSchema.CreateMessageResult answer = InputResponses.get(request.inputResponses(), "sampling",
                McpSchema.CreateMessageResult.class, MAPPER);
        if (answer == null) {
            String prompt = String.valueOf(request.arguments().get("prompt"));
            return McpSyncResponse.result(McpSchema.InputRequiredResult.builder()
                    .createMessage("sampling", McpSchema.CreateMessageRequest.builder(List.of(
                            McpSchema.SamplingMessage.builder(McpSchema.Role.USER,
                                    McpSchema.TextContent.builder(prompt).build()).build()), 100).build())
                    .build());
        }
        String reply = answer.content() instanceof McpSchema.TextContent textContent ? textContent.text() : "";
        return text("LLM response: " + reply);
    }

    private static McpSyncResponse<McpSchema.CallToolOutcome> elicitation(McpRequestContext context,
                                                                          McpSchema.CallToolRequest request) {
        Map<String, Object> form = Map.of("type", "object",
                "properties", Map.of(
                        "username", Map.of("type", "string", "description", "User's response"),
                        "email", Map.of("type", "string", "description", "User's email address")),
                "required", List.of("username", "email"));
        return elicit(request, "user", String.valueOf(request.arguments().get("message")), form, "User response");
    }

    private static McpSyncResponse<McpSchema.CallToolOutcome> elicit(McpSchema.CallToolRequest request, String key,
                                                                     String message, Map<String, Object> form,
                                                                     String prefix) {
        McpSchema.ElicitResult answer = InputResponses.get(request.inputResponses(), key,
                McpSchema.ElicitResult.class, MAPPER);
        if (answer == null) {
            return McpSyncResponse.result(McpSchema.InputRequiredResult.builder()
                    .elicit(key, McpSchema.ElicitFormRequest.builder(message, form).build())
                    .build());
        }
        return text(prefix + ": action=" + answer.action().name().toLowerCase(java.util.Locale.ROOT) + ", content="
                + answer.content());
    }

    private static final Map<String, Object> SEP1034 = Map.of("type", "object", "properties", ordered(
            "name", Map.of("type", "string", "description", "Name", "default", "John Doe"),
            "age", Map.of("type", "integer", "description", "Age", "default", 30),
            "score", Map.of("type", "number", "description", "Score", "default", 95.5),
            "status", Map.of("type", "string", "description", "Status",
                    "enum", List.of("active", "inactive", "pending"), "default", "active"),
            "verified", Map.of("type", "boolean", "description", "Verified", "default", true)),
            "required", List.of());

    private static final Map<String, Object> SEP1330 = Map.of("type", "object", "properties", ordered(
            "untitledSingle", Map.of("type", "string", "enum", List.of("option1", "option2", "option3")),
            "titledSingle", Map.of("type", "string", "oneOf", List.of(
                    Map.of("const", "value1", "title", "First Option"),
                    Map.of("const", "value2", "title", "Second Option"),
                    Map.of("const", "value3", "title", "Third Option"))),
            "legacyEnum", Map.of("type", "string", "enum", List.of("opt1", "opt2", "opt3"),
                    "enumNames", List.of("Option One", "Option Two", "Option Three")),
            "untitledMulti", Map.of("type", "array", "minItems", 1, "maxItems", 3,
                    "items", Map.of("type", "string", "enum", List.of("option1", "option2", "option3"))),
            "titledMulti", Map.of("type", "array", "items", Map.of("anyOf", List.of(
                    Map.of("const", "value1", "title", "First Choice"),
                    Map.of("const", "value2", "title", "Second Choice"),
                    Map.of("const", "value3", "title", "Third Choice"))))));

    private static final Map<String, Object> JSON_SCHEMA_2020_12;

    static {
        try {
            JSON_SCHEMA_2020_12 = MAPPER.readValue("""
                    {"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object",
                     "$defs":{"address":{"$anchor":"addressDef","type":"object",
                       "properties":{"street":{"type":"string"},"city":{"type":"string"}}}},
                     "properties":{"name":{"type":"string"},"address":{"$ref":"#/$defs/address"},
                       "contactMethod":{"type":"string","enum":["phone","email"]},"phone":{"type":"string"},
                       "email":{"type":"string"}},
                     "allOf":[{"anyOf":[{"required":["phone"]},{"required":["email"]}]}],
                     "if":{"properties":{"contactMethod":{"const":"phone"}},"required":["contactMethod"]},
                     "then":{"required":["phone"]},"else":{"required":["email"]},"additionalProperties":false}""",
                    new io.modelcontextprotocol.json.TypeRef<Map<String, Object>>() {
                    });
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- helpers ----

    static Fixture tool(String name, String description, Fixture.Handler handler) {
        return tool(name, description, NO_ARGUMENTS, handler);
    }

    static Fixture tool(String name, String description, Map<String, Object> schema, Fixture.Handler handler) {
        return new Fixture(McpSchema.Tool.builder(name, schema).description(description).build(), null, handler);
    }

    static Map<String, Object> schema(Map<String, Object> properties, List<String> required) {
        return Map.of("type", "object", "properties", properties, "required", required);
    }

    static McpSyncResponse<McpSchema.CallToolOutcome> text(String text) {
        return McpSyncResponse.result(textResult(text));
    }

    static McpSchema.CallToolResult textResult(String text) {
        return McpSchema.CallToolResult.builder().addContent(McpSchema.TextContent.builder(text).build()).build();
    }

    private static McpSyncResponse<McpSchema.CallToolOutcome> result(McpSchema.Content... contents) {
        McpSchema.CallToolResult.Builder result = McpSchema.CallToolResult.builder();
        for (McpSchema.Content content : contents) {
            result.addContent(content);
        }
        return McpSyncResponse.result(result.build());
    }

    /** Keys in the order given (a form's fields are shown in it). */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new McpException(McpSchema.ErrorCodes.INTERNAL_ERROR, "interrupted");
        }
    }

    static String newState(String prefix) {
        return prefix + ":" + UUID.randomUUID();
    }
}

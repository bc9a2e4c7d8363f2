package org.mcpidp.conformance;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.modern.McpSchema;
import io.modelcontextprotocol.modern.server.InputResponses;
import io.modelcontextprotocol.modern.server.McpRequestContext;
import io.modelcontextprotocol.modern.server.McpSyncResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mcpidp.mcpauth.SdkTool;

/**
 * The conformance suite's multi round-trip tools (2026-07-28, {@code InputRequiredResult}): each answers with input
 * requests until the client calls again with the answers (and the {@code requestState} it was given, sealed and
 * checked by the kit's engine, so a tampered one never reaches the tool).
 */
final class MultiRoundTripTools {

    private static final McpJsonMapper MAPPER = McpJsonDefaults.getMapper();
    private static final Map<String, Object> NAME_FORM = FixtureTools.schema(
            Map.of("name", Map.of("type", "string")), List.of("name"));
    private static final Map<String, Object> CONFIRM_FORM = FixtureTools.schema(
            Map.of("ok", Map.of("type", "boolean")), List.of("ok"));

    private MultiRoundTripTools() {
    }

    static List<SdkTool> all() {
        List<SdkTool> tools = new ArrayList<>();
        tools.add(FixtureTools.tool("test_input_required_result_elicitation", "Asks for the user's name",
                (context, request) -> {
                    McpSchema.ElicitResult name = elicited(request, "user_name");
                    return name == null ? ask("user_name", "What is your name?", NAME_FORM, null)
                            : FixtureTools.text("Hello, " + name.content().get("name") + "!");
                }));
        tools.add(FixtureTools.tool("test_input_required_result_sampling", "Asks the client's model",
                (context, request) -> {
                    McpSchema.CreateMessageResult answer = InputResponses.get(request.inputResponses(),
                            "capital_question", McpSchema.CreateMessageResult.class, MAPPER);
                    if (answer == null) {
                        return McpSyncResponse.result(McpSchema.InputRequiredResult.builder()
                                .createMessage("capital_question", question("What is the capital of France?", 100))
                                .build());
                    }
                    return FixtureTools.text("Sampling result: " + text(answer));
                }));
        tools.add(FixtureTools.tool("test_input_required_result_list_roots", "Asks for the client's roots",
                (context, request) -> {
                    McpSchema.ListRootsResult roots = InputResponses.get(request.inputResponses(), "client_roots",
                            McpSchema.ListRootsResult.class, MAPPER);
                    if (roots == null) {
                        return McpSyncResponse.result(McpSchema.InputRequiredResult.builder()
                                .listRoots("client_roots").build());
                    }
                    return FixtureTools.text("Found " + roots.roots().size() + " root(s)");
                }));
        tools.add(FixtureTools.tool("test_input_required_result_request_state", "Confirms with a request state",
                (context, request) -> {
                    McpSchema.ElicitResult confirm = "request-state".equals(request.requestState())
                            ? elicited(request, "confirm") : null;
                    return confirm == null ? ask("confirm", "Please confirm", CONFIRM_FORM, "request-state")
                            : FixtureTools.text("state-ok: requestState validated");
                }));
        tools.add(FixtureTools.tool("test_input_required_result_multiple_inputs", "Asks three things at once",
                MultiRoundTripTools::multipleInputs));
        tools.add(FixtureTools.tool("test_input_required_result_multi_round", "Asks in two rounds",
                MultiRoundTripTools::multiRound));
        tools.add(FixtureTools.tool("test_input_required_result_tampered_state", "Refuses a tampered state",
                (context, request) -> {
                    McpSchema.ElicitResult confirm = "tamper-test".equals(request.requestState())
                            ? elicited(request, "confirm") : null;
                    return confirm == null ? ask("confirm", "Please confirm", CONFIRM_FORM, "tamper-test")
                            : FixtureTools.text("integrity-ok: state verified");
                }));
        tools.add(FixtureTools.tool("test_input_required_result_capabilities",
                "Asks only for what the client can answer", MultiRoundTripTools::capabilities));
        return tools;
    }

    private static McpSyncResponse<McpSchema.CallToolOutcome> multipleInputs(McpRequestContext context,
                                                                             McpSchema.CallToolRequest request) {
        boolean retry = "multiple-inputs".equals(request.requestState());
        McpSchema.ElicitResult name = retry ? elicited(request, "user_name") : null;
        McpSchema.CreateMessageResult greeting = retry ? InputResponses.get(request.inputResponses(), "greeting",
                McpSchema.CreateMessageResult.class, MAPPER) : null;
        McpSchema.ListRootsResult roots = retry ? InputResponses.get(request.inputResponses(), "client_roots",
                McpSchema.ListRootsResult.class, MAPPER) : null;
        if (name == null || greeting == null || roots == null) {
            return McpSyncResponse.result(McpSchema.InputRequiredResult.builder()
                    .elicit("user_name", McpSchema.ElicitFormRequest.builder("What is your name?", NAME_FORM)
                            .build())
                    .createMessage("greeting", question("Generate a greeting", 50))
                    .listRoots("client_roots")
                    .requestState("multiple-inputs")
                    .build());
        }
        return FixtureTools.text("Name: " + name.content().get("name") + "; Greeting: " + text(greeting)
                + "; Roots: " + roots.roots().size());
    }

    private static McpSyncResponse<McpSchema.CallToolOutcome> multiRound(McpRequestContext context,
                                                                         McpSchema.CallToolRequest request) {
        String state = request.requestState() == null ? "" : request.requestState();
        if (state.startsWith("round-2:")) {
            McpSchema.ElicitResult color = elicited(request, "step2");
            if (color != null) {
                return FixtureTools.text("Multi-round complete for " + state.substring("round-2:".length())
                        + " who likes " + color.content().get("color"));
            }
        }
        if (state.equals("round-1")) {
            McpSchema.ElicitResult name = elicited(request, "step1");
            if (name != null) {
                return ask("step2", "Step 2: What is your favorite color?", FixtureTools.schema(
                        Map.of("color", Map.of("type", "string")), List.of("color")),
                        "round-2:" + name.content().get("name"));
            }
        }
        return ask("step1", "Step 1: What is your name?", NAME_FORM, "round-1");
    }

    private static McpSyncResponse<McpSchema.CallToolOutcome> capabilities(McpRequestContext context,
                                                                           McpSchema.CallToolRequest request) {
        McpSchema.ClientCapabilities declared = context.clientCapabilities();
        boolean sampling = declared != null && declared.supportsSampling();
        boolean elicitation = declared != null && declared.supportsElicitationForm();
        if (request.requestState() != null && request.requestState().startsWith("capabilities-test:")
                && request.inputResponses() != null && !request.inputResponses().isEmpty()) {
            return FixtureTools.text("capabilities-ok: received "
                    + String.join(",", new java.util.TreeSet<>(request.inputResponses().keySet())));
        }
        if (!sampling && !elicitation) {
            return FixtureTools.text("No supported capabilities declared");
        }
        McpSchema.InputRequiredResult.Builder ask = McpSchema.InputRequiredResult.builder()
                .requestState(FixtureTools.newState("capabilities-test"));
        if (sampling) {
            ask.createMessage("sample_input", question("Sample request", 50));
        }
        if (elicitation) {
            ask.elicit("user_name", McpSchema.ElicitFormRequest.builder("What is your name?", NAME_FORM).build());
        }
        return McpSyncResponse.result(ask.build());
    }

    private static McpSyncResponse<McpSchema.CallToolOutcome> ask(String key, String message,
                                                                  Map<String, Object> form, String state) {
        McpSchema.InputRequiredResult.Builder result = McpSchema.InputRequiredResult.builder()
                .elicit(key, McpSchema.ElicitFormRequest.builder(message, form).build());
        if (state != null) {
            result.requestState(state);
        }
        return McpSyncResponse.result(result.build());
    }

    /** An accepted elicitation answer under {@code key}, or null (missing, declined, or of the wrong shape). */
    private static McpSchema.ElicitResult elicited(McpSchema.CallToolRequest request, String key) {
        McpSchema.ElicitResult answer = InputResponses.get(request.inputResponses(), key, McpSchema.ElicitResult.class,
                MAPPER);
        return answer != null && answer.action() == McpSchema.ElicitResult.Action.ACCEPT && answer.content() != null
                ? answer : null;
    }

    private static McpSchema.CreateMessageRequest question(String text, int maxTokens) {
        return McpSchema.CreateMessageRequest.builder(List.of(McpSchema.SamplingMessage.builder(McpSchema.Role.USER,
                McpSchema.TextContent.builder(text).build()).build()), maxTokens).build();
    }

    private static String text(McpSchema.CreateMessageResult answer) {
        return answer.content() instanceof McpSchema.TextContent content ? content.text() : "";
    }
}

package org.mcpidp.mcpauth;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a caller needs for each thing an engine serves by name: tools ({@code tools/call}), prompts
 * ({@code prompts/get}), resources ({@code resources/read}, by URI or URI template) and the completions of a prompt's
 * or template's arguments. The JSON-RPC gate looks every call up here before the engine sees it; a name the engine does
 * not serve has no requirement, and is refused, never let through.
 *
 * @param tools     by tool name
 * @param prompts   by prompt name
 * @param resources by resource URI (a template's requirement answers for every URI it matches)
 */
record Requirements(Map<String, ToolRequirement> tools, Map<String, ToolRequirement> prompts,
                    Function<String, Optional<ToolRequirement>> resources) {

    /** Only tools (the MCP extension's engine: prompts and resources refuse to start there). */
    static Requirements toolsOnly(Map<String, ToolRequirement> tools) {
        return new Requirements(tools, Map.of(), uri -> Optional.empty());
    }

    /** What a call names that needs a requirement, and under which one; empty when it names nothing guarded. */
    Optional<Target> of(JsonRpcCalls.Call call) {
        return switch (call.method()) {
            case JsonRpcCalls.TOOLS_CALL -> call.target().map(name -> new Target("tool", name,
                    Optional.ofNullable(tools.get(name))));
            case JsonRpcCalls.PROMPTS_GET -> call.target().map(name -> new Target("prompt", name,
                    Optional.ofNullable(prompts.get(name))));
            case JsonRpcCalls.RESOURCES_READ -> call.target().map(uri -> new Target("resource", uri,
                    resources.apply(uri)));
            case "completion/complete" -> completion(call.message().path("params").path("ref"));
            default -> Optional.empty();
        };
    }

    /** The completion of an argument reveals values of the prompt or resource it belongs to: the same requirement. */
    private Optional<Target> completion(JsonNode ref) {
        String type = ref.path("type").asText("");
        if (type.equals("ref/prompt") && ref.path("name").isTextual()) {
            String name = ref.path("name").textValue();
            return Optional.of(new Target("prompt", name, Optional.ofNullable(prompts.get(name))));
        }
        if (type.equals("ref/resource") && ref.path("uri").isTextual()) {
            String uri = ref.path("uri").textValue();
            return Optional.of(new Target("resource", uri, resources.apply(uri)));
        }
        return Optional.empty(); // a malformed ref: the engine answers it, and completes nothing
    }

    /**
     * What a call names.
     *
     * @param kind        tool, prompt or resource
     * @param requirement empty when the engine serves no such thing
     */
    record Target(String kind, String name, Optional<ToolRequirement> requirement) {
    }
}

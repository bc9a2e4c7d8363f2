package org.mcpidp.mcpauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.extensions.mcp.server.McpServerConfig;

/**
 * What the MCP extension really serves, so that {@code initialize} announces nothing else. Helidon MCP 1.2.0 writes
 * {@code prompts}, {@code resources}, {@code completions} (and the client-side {@code elicitation}) into every
 * {@code initialize} answer ({@code McpJsonSerializerV1..V3.createJsonInitializeResponse}), but registers
 * {@code prompts/list}, {@code resources/list} and {@code resources/templates/list} only when prompts or resources
 * are configured, answering -32600 "Invalid request" otherwise. Clients list what is announced right after
 * connecting, so an announced capability the server lacks is removed from the answer here. {@code logging} and
 * {@code tools} are always served and stay.
 *
 * @param prompts     prompts are configured ({@code prompts/list}, {@code prompts/get} exist)
 * @param resources   resources are configured ({@code resources/list}, {@code resources/templates/list}, ...)
 * @param completions completions are configured ({@code completion/complete} has something to complete)
 */
record ExtensionCapabilities(boolean prompts, boolean resources, boolean completions)
        implements AnswerRewriter.MessageRewrite {

    /** Nothing removed: for a feature that does not build the extension itself. */
    static final ExtensionCapabilities ALL = new ExtensionCapabilities(true, true, true);

    static ExtensionCapabilities of(McpServerConfig.Builder extension) {
        return new ExtensionCapabilities(!extension.prompts().isEmpty(), !extension.resources().isEmpty(),
                !extension.completions().isEmpty());
    }

    /** True when an {@code initialize} answer needs rewriting at all. */
    boolean trimsSomething() {
        return !prompts || !resources || !completions;
    }

    @Override
    public boolean rewrite(JsonNode message) {
        JsonNode result = message.path("result");
        if (!result.has("protocolVersion") || !(result.path("capabilities") instanceof ObjectNode capabilities)) {
            return false; // not an initialize result
        }
        boolean changed = false;
        if (!prompts) {
            changed |= capabilities.remove("prompts") != null;
        }
        if (!resources) {
            changed |= capabilities.remove("resources") != null;
        }
        if (!completions) {
            changed |= capabilities.remove("completions") != null;
        }
        // elicitation is a client capability (the server asks, the client answers); a server announcing it is noise
        changed |= capabilities.remove("elicitation") != null;
        return changed;
    }
}

package org.mcpidp.mcpauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.Iterator;
import java.util.Map;
import org.mcpidp.verifier.AuthInfo;

/** Removes from a {@code tools/list} result the tools {@code caller} may not call. */
record ToolListRewrite(Map<String, ToolRequirement> tools, AuthInfo caller) implements AnswerRewriter.MessageRewrite {

    @Override
    public boolean rewrite(JsonNode message) {
        JsonNode list = message.path("result").path("tools");
        if (!(list instanceof ArrayNode array)) {
            return false;
        }
        boolean changed = false;
        for (Iterator<JsonNode> it = array.elements(); it.hasNext(); ) {
            JsonNode tool = it.next();
            ToolRequirement requirement = tools.get(tool.path("name").asText());
            if (requirement != null && !requirement.allows(caller)) {
                it.remove();
                changed = true;
            }
        }
        return changed;
    }
}

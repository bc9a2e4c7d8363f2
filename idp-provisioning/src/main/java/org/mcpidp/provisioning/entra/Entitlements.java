package org.mcpidp.provisioning.entra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * Graph's rule for permission scopes and app roles: an enabled one cannot be changed or removed (400
 * {@code CannotDeleteOrUpdateEnabledEntitlement}); it must first be PATCHed with {@code isEnabled:false}. Both live
 * in a list that is written whole, so one change here is: disable (when needed), then write the target list.
 */
final class Entitlements {

    private Entitlements() {
    }

    /**
     * @param live        the list as Graph has it now
     * @param match       finds the entry to replace or remove (none: {@code replacement} is appended)
     * @param replacement the new entry, or empty to remove
     * @param write       PATCHes a whole list ({@code what}, list)
     */
    static void replace(String what, JsonNode live, Predicate<JsonNode> match, Optional<ObjectNode> replacement,
                        BiConsumer<String, ArrayNode> write) {
        ArrayNode list = live.isArray() ? ((ArrayNode) live).deepCopy() : GraphGateway.JSON.createArrayNode();
        int index = -1;
        for (int i = 0; i < list.size(); i++) {
            if (match.test(list.get(i))) {
                index = i;
                break;
            }
        }
        if (index >= 0 && list.get(index).path("isEnabled").asBoolean(false)
                && (replacement.isEmpty() || !list.get(index).equals(replacement.get()))) {
            ((ObjectNode) list.get(index)).put("isEnabled", false);
            write.accept("disable " + what, list.deepCopy());
        }
        if (index >= 0 && replacement.isPresent()) {
            list.set(index, replacement.get());
        } else if (index >= 0) {
            list.remove(index);
        } else {
            replacement.ifPresent(list::add);
        }
        write.accept(what, list);
    }
}

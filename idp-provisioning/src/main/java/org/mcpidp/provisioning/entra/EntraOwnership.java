package org.mcpidp.provisioning.entra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mcpidp.provisioning.engine.Owner;

/**
 * This tool's ownership marker on Entra objects, the one place that writes and reads it (only owned objects are ever
 * deleted):
 * <ul>
 *   <li>app registrations and their service principals carry the tag {@code mcpidp:managed-by:<realm>} (tags others
 *       gave them are kept); an app is found by its {@code uniqueName}, {@code mcpidp:<realm>:<clientId>}
 *       ({@link EntraNames#uniqueName}), and the tenant's apps by the tag;</li>
 *   <li>a client secret this tool added has that tag as its display name;</li>
 *   <li>delegated permissions and app roles carry no tags: they are the tenant's when their id is the one
 *       {@link EntraNames} derives from tenant and name.</li>
 * </ul>
 */
final class EntraOwnership {

    static final String TAG_PREFIX = "mcpidp:managed-by:";

    private EntraOwnership() {
    }

    /** The tag that marks an app registration or service principal as the tenant's. */
    static String tag(String realm) {
        return TAG_PREFIX + realm;
    }

    /** Whose an app registration is: the tenant's when it carries the tenant's tag; nobody's when it does not exist. */
    static Owner of(Optional<JsonNode> app, String realm) {
        return Owner.ifOwned(app.map(a -> EntraFields.strings(a.path("tags")).contains(tag(realm))).orElse(false), realm);
    }

    /** Sets {@code body}'s tags to the live app's ({@code null} for a new one) plus the tenant's. */
    static void mark(ObjectNode body, JsonNode live, String realm) {
        List<String> tags = new ArrayList<>(live == null ? List.of() : EntraFields.strings(live.path("tags")));
        if (!tags.contains(tag(realm))) {
            tags.add(tag(realm));
        }
        ArrayNode array = body.putArray("tags");
        tags.forEach(array::add);
    }

    /** The Graph {@code $filter} that lists the tenant's app registrations. */
    static String filter(String realm) {
        return "tags/any(t:t eq " + GraphGateway.literal(tag(realm)) + ")";
    }

    /** The display name of the client secret this tool adds to an agent; marks it as the tenant's. */
    static String passwordName(String realm) {
        return tag(realm);
    }

    static boolean hasPassword(JsonNode app, String realm) {
        return EntraFields.stream(app.path("passwordCredentials"))
                .anyMatch(c -> passwordName(realm).equals(c.path("displayName").asText()));
    }

    /** A delegated permission of the MCP server's API. */
    static boolean ownsScope(String realm, JsonNode scope) {
        return scope.path("id").asText().equals(EntraNames.scopeId(realm, scope.path("value").asText()).toString());
    }

    /** A delegated permission of the downstream API {@code api} (its spec client id). */
    static boolean ownsDownstreamScope(String realm, String api, JsonNode scope) {
        return scope.path("id").asText()
                .equals(EntraNames.downstreamScopeId(realm, api, scope.path("value").asText()).toString());
    }

    /** An app role of the MCP server's API: a scope's app-only twin or a spec role. */
    static boolean ownsAppRole(String realm, JsonNode role) {
        String value = role.path("value").asText();
        String id = role.path("id").asText();
        return id.equals(EntraNames.scopeRoleId(realm, value).toString()) || id.equals(EntraNames.roleId(realm, value).toString());
    }
}

package org.mcpidp.provisioning.entra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mcpidp.provisioning.Change;
import org.mcpidp.provisioning.FieldChange;
import org.mcpidp.provisioning.ResourceType;
import org.mcpidp.provisioning.engine.KeyedReconciler;
import org.mcpidp.provisioning.spec.TenantSpec;

/**
 * The MCP server's app registration. Upserted by {@code uniqueName} with {@code Prefer: create-if-missing}; issues v2
 * tokens ({@code api.requestedAccessTokenVersion: 2}, so {@code aud} is its appId GUID); gets the App ID URI
 * {@code api://<appId>} in a second PATCH because the appId is only known once the app exists. Its permission scopes
 * and app roles have their own reconcilers; other App ID URIs someone added are kept.
 */
final class ApiApplicationReconciler extends KeyedReconciler<LiveTenant, ApplyContext> {

    static final String SIGN_IN_AUDIENCE = "AzureADMyOrg";

    @Override
    public ResourceType type() {
        return ResourceType.APPLICATION;
    }

    @Override
    protected Map<String, Map<String, String>> desired(TenantSpec spec, LiveTenant live) {
        String clientId = spec.resource().clientId();
        String appId = live.app(clientId).map(a -> a.path("appId").asText()).orElse("{appId}");
        return Map.of(clientId, desired(spec, appId));
    }

    @Override
    protected Optional<Map<String, String>> current(TenantSpec spec, LiveTenant live, String clientId,
                                                    Map<String, String> desired) {
        return live.app(clientId).map(app -> fields(app, spec.realm()));
    }

    @Override
    protected boolean ownsExisting(TenantSpec spec, LiveTenant live, String clientId) {
        return owns(spec, live, clientId);
    }

    /** An app found under the spec's unique name that lacks this tenant's tag is someone else's. */
    static boolean owns(TenantSpec spec, LiveTenant live, String clientId) {
        return live.app(clientId).map(app -> !managedBy(app, spec.realm()).isEmpty()).orElse(true);
    }

    @Override
    public boolean handles(Change change, TenantSpec spec) {
        return change.type() == ResourceType.APPLICATION && !(change instanceof Change.Delete)
                && change.name().equals(spec.resource().clientId());
    }

    @Override
    public void apply(Change change, TenantSpec spec, ApplyContext context) {
        GraphGateway graph = context.graph();
        boolean create = change instanceof Change.Create;
        List<FieldChange> fields = change instanceof Change.Update u ? u.fields() : List.of();
        JsonNode app = create ? null : context.apiApp();
        if (create || FieldChange.changed(fields, "displayName", "signInAudience", "requestedAccessTokenVersion", "managedBy")) {
            Optional<JsonNode> created = graph.upsert("create or update application " + change.name(),
                    Graph.application(graph, EntraNames.uniqueName(spec.realm(), change.name())), body(spec, app));
            app = created.orElse(app);
        }
        if (create || FieldChange.changed(fields, "identifierUris")) {
            addAppIdUri(graph, app == null ? context.apiApp() : app, change.name());
        }
    }

    /** Adds {@code api://<appId>} to the app's identifierUris (a second PATCH: the appId exists only after the create). */
    static void addAppIdUri(GraphGateway graph, JsonNode app, String name) {
        String uri = "api://" + app.path("appId").asText();
        Set<String> uris = new LinkedHashSet<>(EntraFields.strings(app.path("identifierUris")));
        uris.add(uri);
        ObjectNode patch = GraphGateway.object();
        ArrayNode list = patch.putArray("identifierUris");
        uris.forEach(list::add);
        graph.patch("set identifierUris of application " + name, Graph.applicationById(graph, app.path("id").asText()), patch);
    }

    private static Map<String, String> desired(TenantSpec spec, String appId) {
        Map<String, String> desired = new LinkedHashMap<>();
        desired.put("displayName", spec.resource().clientId());
        desired.put("signInAudience", SIGN_IN_AUDIENCE);
        desired.put("requestedAccessTokenVersion", "2");
        desired.put("identifierUris", "api://" + appId);
        desired.put("managedBy", spec.realm());
        return desired;
    }

    static Map<String, String> fields(JsonNode app, String realm) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("displayName", app.path("displayName").asText(""));
        fields.put("signInAudience", app.path("signInAudience").asText(""));
        JsonNode version = app.path("api").path("requestedAccessTokenVersion");
        fields.put("requestedAccessTokenVersion", version.isNull() || version.isMissingNode() ? "" : version.asText());
        String expected = "api://" + app.path("appId").asText();
        List<String> uris = EntraFields.strings(app.path("identifierUris"));
        fields.put("identifierUris", uris.contains(expected) ? expected : FieldChange.list(uris));
        fields.put("managedBy", managedBy(app, realm));
        return fields;
    }

    static String managedBy(JsonNode app, String realm) {
        return EntraFields.strings(app.path("tags")).contains(EntraNames.tag(realm)) ? realm : "";
    }

    /** Managed fields only; the {@code api} object is sent whole (with its live scopes) so nothing else changes. */
    private static ObjectNode body(TenantSpec spec, JsonNode live) {
        ObjectNode body = common(spec, spec.resource().clientId(), live);
        ObjectNode api = live != null && live.path("api").isObject() ? ((ObjectNode) live.path("api")).deepCopy() : body.objectNode();
        api.put("requestedAccessTokenVersion", 2);
        body.set("api", api);
        return body;
    }

    /** Fields every app this tool manages gets: name, audience, ownership tag (others' tags kept), a note. */
    static ObjectNode common(TenantSpec spec, String displayName, JsonNode live) {
        ObjectNode body = GraphGateway.object();
        body.put("displayName", displayName);
        body.put("signInAudience", SIGN_IN_AUDIENCE);
        List<String> tags = new ArrayList<>(live == null ? List.of() : EntraFields.strings(live.path("tags")));
        if (!tags.contains(EntraNames.tag(spec.realm()))) {
            tags.add(EntraNames.tag(spec.realm()));
        }
        ArrayNode tagArray = body.putArray("tags");
        tags.forEach(tagArray::add);
        body.put("notes", "Managed by idp-provisioning for tenant spec realm '" + spec.realm() + "'. Managed fields "
                + "are reset by the next apply; the app is deleted when it leaves the spec.");
        return body;
    }
}

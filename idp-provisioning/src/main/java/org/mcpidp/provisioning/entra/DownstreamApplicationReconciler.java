package org.mcpidp.provisioning.entra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mcpidp.provisioning.Change;
import org.mcpidp.provisioning.FieldChange;
import org.mcpidp.provisioning.ResourceType;
import org.mcpidp.provisioning.engine.Owner;
import org.mcpidp.provisioning.spec.DownstreamSpec;
import org.mcpidp.provisioning.spec.TenantSpec;

/**
 * The app registration of each downstream API (the spec's {@code downstream}): an API like the MCP server's own, v2
 * tokens ({@code aud} = its appId), App ID URI {@code api://<appId>}. The MCP server asks Entra for tokens for it
 * On-Behalf-Of its callers. Its scopes are {@link DownstreamScopeReconciler}'s; an app that leaves the spec is
 * deleted by {@link ClientApplicationReconciler} with the tenant's other orphans (Entra drops its service
 * principal and the grants to it with it).
 */
final class DownstreamApplicationReconciler extends AppRegistrationReconciler {

    @Override
    protected Map<String, Map<String, String>> desired(TenantSpec spec, LiveTenant live) {
        Map<String, Map<String, String>> wanted = new LinkedHashMap<>();
        for (DownstreamSpec api : spec.downstream()) {
            String appId = live.app(api.clientId()).map(a -> a.path("appId").asText()).orElse("{appId}");
            Map<String, String> desired = new LinkedHashMap<>();
            desired.put("displayName", api.clientId());
            desired.put("description", api.description());
            desired.put("signInAudience", ApiApplicationReconciler.SIGN_IN_AUDIENCE);
            desired.put("requestedAccessTokenVersion", "2");
            desired.put("identifierUris", "api://" + appId);
            wanted.put(api.clientId(), desired);
        }
        return wanted;
    }

    @Override
    protected Optional<Map<String, String>> current(TenantSpec spec, LiveTenant live, String clientId,
                                                    Map<String, String> desired) {
        return live.app(clientId).map(app -> {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("displayName", app.path("displayName").asText(""));
            fields.put("description", app.path("description").asText(""));
            fields.putAll(ApiApplicationReconciler.fields(app, "api://" + app.path("appId").asText()));
            return fields;
        });
    }

    @Override
    public boolean handles(Change change, TenantSpec spec) {
        return change.type() == ResourceType.APPLICATION && !(change instanceof Change.Delete)
                && spec.downstream(change.name()).isPresent();
    }

    @Override
    public void apply(Change change, TenantSpec spec, ApplyContext context) {
        GraphGateway graph = context.graph();
        DownstreamSpec api = spec.downstream(change.name()).orElseThrow();
        boolean create = change instanceof Change.Create;
        List<FieldChange> fields = change instanceof Change.Update u ? u.fields() : List.of();
        JsonNode app = create ? null : context.app(api.clientId());
        if (create || FieldChange.changed(fields, "displayName", "description", "signInAudience",
                "requestedAccessTokenVersion", Owner.FIELD)) {
            ObjectNode body = ApiApplicationReconciler.common(spec, api.clientId(), app);
            body.put("description", api.description().isEmpty() ? null : api.description());
            // The api object is sent whole (with its live scopes): a PATCH replaces complex properties.
            ObjectNode apiObject = app != null && app.path("api").isObject()
                    ? ((ObjectNode) app.path("api")).deepCopy() : body.objectNode();
            apiObject.put("requestedAccessTokenVersion", 2);
            body.set("api", apiObject);
            Optional<JsonNode> upserted = graph.upsert((create ? "create" : "update") + " application " + api.clientId(),
                    Graph.application(graph, EntraNames.uniqueName(spec.realm(), api.clientId())), body);
            app = upserted.orElse(app);
        }
        if (create || FieldChange.changed(fields, "identifierUris")) {
            ApiApplicationReconciler.addAppIdUri(graph, app == null ? context.app(api.clientId()) : app, api.clientId());
        }
    }
}

package org.mcpidp.provisioning.entra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mcpidp.provisioning.Change;
import org.mcpidp.provisioning.FieldChange;
import org.mcpidp.provisioning.ResourceType;
import org.mcpidp.provisioning.spec.ScopeSpec;
import org.mcpidp.provisioning.spec.TenantSpec;

/**
 * Each OPEN spec scope (no {@code roles}) is a delegated permission of the API ({@code api.oauth2PermissionScopes}, id
 * derived from tenant + name, type {@code User}): user tokens carry it in {@code scp}. Its app-only twin is an app role
 * with the same value ({@link AppRoleReconciler}). A role-gated scope is NOT a delegated permission: Entra puts a
 * consented delegated scope into every consenting user's {@code scp}, it cannot gate it per user; such a scope exists
 * only as an app role assigned to who holds its roles. A scope that becomes gated therefore loses its delegated
 * permission (disabled first, then removed). Scopes with another id (made by hand) are left alone.
 */
final class PermissionScopeReconciler implements Reconciler {

    @Override
    public Diff plan(TenantSpec spec, LiveTenant live) {
        JsonNode scopes = live.app(spec.resource().clientId()).map(a -> a.path("api").path("oauth2PermissionScopes"))
                .orElse(GraphGateway.JSON.createArrayNode());
        List<Change> upserts = new ArrayList<>();
        int unchanged = 0;
        for (ScopeSpec scope : delegated(spec)) {
            Map<String, String> desired = fields(entry(spec.realm(), scope));
            Optional<JsonNode> current = find(scopes, scope.name());
            if (current.isEmpty()) {
                upserts.add(new Change.Create(ResourceType.PERMISSION_SCOPE, scope.name(), FieldChange.created(desired)));
                continue;
            }
            List<FieldChange> changes = FieldChange.diff(fields(current.get()), desired);
            if (changes.isEmpty()) {
                unchanged++;
            } else {
                upserts.add(new Change.Update(ResourceType.PERMISSION_SCOPE, scope.name(), changes));
            }
        }
        List<Change> deletes = new ArrayList<>();
        for (JsonNode s : scopes) {
            String value = s.path("value").asText();
            if (owned(spec.realm(), s) && spec.scope(value).filter(scope -> !scope.gated()).isEmpty()) {
                deletes.add(new Change.Delete(ResourceType.PERMISSION_SCOPE, value));
            }
        }
        return new Diff(upserts, deletes, unchanged);
    }

    @Override
    public boolean handles(Change change, TenantSpec spec) {
        return change.type() == ResourceType.PERMISSION_SCOPE;
    }

    @Override
    public void apply(Change change, TenantSpec spec, ApplyContext context) {
        JsonNode app = context.apiApp();
        GraphGateway graph = context.graph();
        Optional<ObjectNode> replacement = change instanceof Change.Delete ? Optional.empty()
                : Optional.of(entry(spec.realm(), spec.scope(change.name()).orElseThrow()));
        Entitlements.replace("permission scope " + change.name(), app.path("api").path("oauth2PermissionScopes"),
                s -> s.path("value").asText().equals(change.name())
                        && (!(change instanceof Change.Delete) || owned(spec.realm(), s)),
                replacement,
                (what, list) -> {
                    // The api object is written whole: a PATCH replaces complex properties.
                    ObjectNode api = app.path("api").isObject() ? ((ObjectNode) app.path("api")).deepCopy() : GraphGateway.object();
                    api.set("oauth2PermissionScopes", list);
                    ObjectNode body = GraphGateway.object();
                    body.set("api", api);
                    graph.patch(what, Graph.applicationById(graph, app.path("id").asText()), body);
                });
    }

    /** The spec scopes that are delegated permissions: the open ones. */
    static List<ScopeSpec> delegated(TenantSpec spec) {
        return spec.scopes().stream().filter(s -> !s.gated()).toList();
    }

    static ObjectNode entry(String realm, ScopeSpec scope) {
        String description = scope.description().isEmpty() ? scope.name() : scope.description();
        ObjectNode entry = GraphGateway.object();
        entry.put("id", EntraNames.scopeId(realm, scope.name()).toString());
        entry.put("value", scope.name());
        entry.put("type", "User");
        entry.put("adminConsentDisplayName", scope.name());
        entry.put("adminConsentDescription", description);
        entry.put("userConsentDisplayName", scope.name());
        entry.put("userConsentDescription", description);
        entry.put("isEnabled", true);
        return entry;
    }

    private static Map<String, String> fields(JsonNode scope) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("id", scope.path("id").asText(""));
        fields.put("description", scope.path("adminConsentDescription").asText(""));
        fields.put("userConsentDescription", scope.path("userConsentDescription").asText(""));
        fields.put("displayName", scope.path("adminConsentDisplayName").asText(""));
        fields.put("type", scope.path("type").asText(""));
        fields.put("enabled", Boolean.toString(scope.path("isEnabled").asBoolean(false)));
        return fields;
    }

    private static Optional<JsonNode> find(JsonNode scopes, String value) {
        for (JsonNode s : scopes) {
            if (s.path("value").asText().equals(value)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    private static boolean owned(String realm, JsonNode scope) {
        return scope.path("id").asText().equals(EntraNames.scopeId(realm, scope.path("value").asText()).toString());
    }
}

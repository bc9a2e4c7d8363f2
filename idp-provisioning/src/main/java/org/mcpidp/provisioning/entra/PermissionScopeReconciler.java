package org.mcpidp.provisioning.entra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.mcpidp.provisioning.Change;
import org.mcpidp.provisioning.ResourceType;
import org.mcpidp.provisioning.engine.KeyedReconciler;
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
final class PermissionScopeReconciler extends KeyedReconciler<LiveTenant, ApplyContext> {

    @Override
    public ResourceType type() {
        return ResourceType.PERMISSION_SCOPE;
    }

    @Override
    protected Map<String, Map<String, String>> desired(TenantSpec spec, LiveTenant live) {
        Map<String, Map<String, String>> wanted = new LinkedHashMap<>();
        delegated(spec).forEach(scope -> wanted.put(scope.name(), fields(entry(spec.realm(), scope))));
        return wanted;
    }

    @Override
    protected Optional<Map<String, String>> current(TenantSpec spec, LiveTenant live, String value,
                                                    Map<String, String> desired) {
        return EntraFields.byValue(scopes(spec, live), value).map(PermissionScopeReconciler::fields);
    }

    /** Ours and no longer an open spec scope (gone, or now role-gated): removed. */
    @Override
    protected Stream<String> owned(TenantSpec spec, LiveTenant live) {
        return EntraFields.stream(scopes(spec, live)).filter(s -> EntraOwnership.ownsScope(spec.realm(), s)).map(s -> s.path("value").asText());
    }

    private static JsonNode scopes(TenantSpec spec, LiveTenant live) {
        return live.app(spec.resource().clientId()).map(a -> a.path("api").path("oauth2PermissionScopes"))
                .orElse(GraphGateway.JSON.createArrayNode());
    }

    /** Not the downstream APIs' scopes ({@link DownstreamScopeReconciler}): their keys name the API. */
    @Override
    public boolean handles(Change change, TenantSpec spec) {
        return change.type() == type() && !DownstreamScopeReconciler.isKey(change.name(), spec);
    }

    @Override
    public void apply(Change change, TenantSpec spec, ApplyContext context) {
        JsonNode app = context.apiApp();
        GraphGateway graph = context.graph();
        Optional<ObjectNode> replacement = change instanceof Change.Delete ? Optional.empty()
                : Optional.of(entry(spec.realm(), spec.scope(change.name()).orElseThrow()));
        Entitlements.replace("permission scope " + change.name(), app.path("api").path("oauth2PermissionScopes"),
                s -> s.path("value").asText().equals(change.name())
                        && (!(change instanceof Change.Delete) || EntraOwnership.ownsScope(spec.realm(), s)),
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
        return entry(EntraNames.scopeId(realm, scope.name()).toString(), scope.name(), scope.description());
    }

    /** A delegated permission ({@code type User}) as Graph lists it; the description defaults to the name. */
    static ObjectNode entry(String id, String name, String specDescription) {
        String description = specDescription.isEmpty() ? name : specDescription;
        ObjectNode entry = GraphGateway.object();
        entry.put("id", id);
        entry.put("value", name);
        entry.put("type", "User");
        entry.put("adminConsentDisplayName", name);
        entry.put("adminConsentDescription", description);
        entry.put("userConsentDisplayName", name);
        entry.put("userConsentDescription", description);
        entry.put("isEnabled", true);
        return entry;
    }

    static Map<String, String> fields(JsonNode scope) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("id", scope.path("id").asText(""));
        fields.put("description", scope.path("adminConsentDescription").asText(""));
        fields.put("userConsentDescription", scope.path("userConsentDescription").asText(""));
        fields.put("displayName", scope.path("adminConsentDisplayName").asText(""));
        fields.put("type", scope.path("type").asText(""));
        fields.put("enabled", Boolean.toString(scope.path("isEnabled").asBoolean(false)));
        return fields;
    }
}
